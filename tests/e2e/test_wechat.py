"""In WeChat's browser on a phone: download and print links explain how to open the system browser, the poster is
also an image to long-press, the waiting list's good news shows, and destructive taps ask first."""
import pytest

from models import Signup
from tests.e2e.test_checkin_browser import WECHAT, qr_texts

SMALL = dict(WECHAT, viewport={"width": 320, "height": 640})
HINT = "点右上角 ··· → 在浏览器打开"


@pytest.fixture
def org_admin(make_user):
    return make_user(name="组织管理员", phone="13900000301")


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin, name="新华路银发合唱团")


def test_wechat_explains_downloads_and_offers_the_poster_as_an_image(open_tab, live_server, org, org_admin,
                                                                     make_event):
    event = make_event(org, title="社区义诊", signup_enabled=True, capacity=10)
    resident = open_tab(**SMALL)
    resident.goto(f"/events/{event.id}")
    hint = resident.page.locator(".wechat-hint")
    assert HINT in hint.inner_text()
    calendar = resident.page.locator(f"a[href='/events/{event.id}/calendar.ics']").bounding_box()
    assert 0 < hint.bounding_box()["y"] - calendar["y"] < 200  # right beside the 加入日历 link
    resident.assert_fits_the_phone()

    organizer = open_tab(**SMALL)
    organizer.log_in(org_admin)
    organizer.goto(f"/events/{event.id}/checkins")
    assert HINT in organizer.page.locator(".wechat-hint").inner_text()
    organizer.goto(f"/events/{event.id}/poster")
    link = organizer.page.get_by_role("link", name="保存海报图片（长按保存）")
    assert link.is_visible()
    image = organizer.page.locator(f"img[src='/events/{event.id}/poster.png']")
    image.scroll_into_view_if_needed()
    assert image.evaluate("(img) => img.complete && img.naturalWidth") == 1240
    organizer.assert_fits_the_phone()
    png = organizer.context.request.get(live_server.base_url + f"/events/{event.id}/poster.png")
    assert png.headers["content-type"] == "image/png"
    assert qr_texts(png.body()) == [f"{live_server.base_url}/c/{event.checkin_token}"]
    organizer.assert_no_errors()

    desktop = open_tab(is_mobile=False, user_agent="Mozilla/5.0 (X11; Linux x86_64) Chrome/120")
    desktop.goto(f"/events/{event.id}")
    assert desktop.page.locator(".wechat-hint").count() == 0


def test_a_resident_moved_up_sees_it_and_cancelling_asks_first(open_tab, org, make_event):
    event = make_event(org, title="插花体验课", signup_enabled=True, capacity=1)
    first, second = open_tab(**SMALL), open_tab(**SMALL)
    for tab, name, phone in ((first, "李阿姨", "13812341234"), (second, "王伯伯", "13900005678")):
        tab.goto(f"/events/{event.id}")
        tab.page.fill("input[name=name]", name)
        tab.page.fill("input[name=phone]", phone)
        tab.page.locator("#signup label.choice").first.click()
        tab.page.locator("#signup button[type=submit]").click()
        tab.page.wait_for_url("**/signups/**")
    assert "候补名单第 1 位" in second.page.inner_text("main")

    first.page.get_by_role("link", name="取消报名").click()
    first.page.wait_for_url("**confirm=1**")
    assert Signup.get(Signup.name == "李阿姨").status == "confirmed"  # the first tap only asks
    assert "确定要取消报名吗" in first.page.inner_text("main")
    first.assert_fits_and_targets_at_least(48)
    first.page.get_by_role("button", name="确认取消").click()
    first.page.wait_for_load_state()
    assert "您已取消报名" in first.page.inner_text("main")

    second.page.reload()
    notice = second.page.locator(".promoted")
    assert "您已从候补转为正式报名" in notice.inner_text() and notice.is_visible()
    second.goto("/me/")
    me = second.page.inner_text("main")
    assert "已从候补转为正式报名" in me and "插花体验课" in me
    second.page.get_by_role("link", name="插花体验课").click()
    second.page.wait_for_url(f"**/events/{event.id}")
    second.assert_fits_the_phone()
    first.assert_no_errors()
    second.assert_no_errors()
