"""The partner month's page in a real Chromium: fits a 390 and a 320 px phone, lists today first, shows the grid on
a wide screen, and its totals move after a check-in without a reload."""
import pytest

from models import CheckIn
from tests.test_month_calendar import at, confirm, make_month


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True, "BASE_URL": "", "MONTH_TOTALS_SECONDS": 1}


@pytest.fixture
def month_world(app, make_user, make_org, org_admin, make_event):
    month = make_month(make_user("district_admin"))
    org = make_org("xinhua", admin=org_admin, name="新华路街道银龄志愿服务社（长宁区社区社会组织）")
    confirm(month, org)
    events = {}
    for days, title in ((0, "今天的重阳敬老茶话会与健康讲座"), (2, "后天的社区环保市集"), (-3, "三天前的亲子阅读")):
        starts = at(days)
        events[days] = make_event(org, title=title, starts_at=starts, ends_at=starts.replace(hour=starts.hour + 2),
                                  campaign=month, status="ended" if days < 0 else "published")
    return month, events


def checkins_shown(tab):
    return tab.page.locator('#month-totals tr[data-street="xinhua"] td[data-col="checkins"]').inner_text()


@pytest.mark.parametrize("width", [390, 320])
def test_the_phone_sees_a_list_by_day_today_first_without_overflow(open_tab, month_world, width):
    month, events = month_world
    tab = open_tab(viewport={"width": width, "height": 844})
    tab.goto(f"/campaigns/{month.id}/")
    assert tab.scroll_width() <= width, f"wider than the phone: {tab.scroll_width()}px"
    assert tab.page.locator(".month-list").is_visible() and not tab.page.locator(".month-grid").is_visible()
    first = tab.page.locator(".month-list .month-day").first
    assert "今天" in first.locator("h3").inner_text() and events[0].title in first.inner_text()
    tab.assert_no_errors()


def test_the_totals_move_after_a_check_in_without_a_reload(open_tab, month_world):
    month, events = month_world
    tab = open_tab()
    tab.goto(f"/campaigns/{month.id}/")
    tab.page.evaluate("() => { window.notReloaded = true; }")
    assert checkins_shown(tab) == "0"
    CheckIn.create(event=events[0], name="居民", phone="13600000001", number=1)
    tab.page.wait_for_function(
        """() => document.querySelector('#month-totals tr[data-street="xinhua"] td[data-col="checkins"]')
                   .textContent.trim() === '1'""", timeout=8000)
    assert tab.page.evaluate("() => window.notReloaded") is True
    tab.assert_no_errors()


def test_a_wide_screen_sees_the_month_as_a_grid(open_tab, month_world):
    month, events = month_world
    tab = open_tab(viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False)
    tab.goto(f"/campaigns/{month.id}/")
    grid = tab.page.locator(".month-grid")
    assert grid.is_visible() and not tab.page.locator(".month-list").is_visible()
    today = grid.locator("td.is-today")
    assert events[0].title in today.inner_text()
    assert grid.locator("tbody tr").first.locator("td").count() == 7
    assert tab.scroll_width() <= 1280
    tab.assert_no_errors()
