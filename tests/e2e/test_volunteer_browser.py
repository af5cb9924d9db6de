"""签到管理 on a volunteer's phone in real Chromium: a queue of manual check-ins typed one after the other, the roster
that follows residents who scan on their own phones, the check-in link to paste into the WeChat group."""
import datetime
import os

import pytest

from models import CheckIn, Membership
from tests.e2e.test_checkin_browser import OPEN_NOW, WECHAT, fill_in_and_check_in, scan_url

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM}", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright Python package")
expect = sync_api.expect

pytestmark = pytest.mark.browser

FOCUSED_NAME = "() => document.activeElement && document.activeElement.name"


@pytest.fixture
def org(make_org, make_user):
    return make_org("xinhua", admin=make_user(name="组织管理员"), name="新华路银发合唱团")


@pytest.fixture
def volunteer(make_user, org):
    user = make_user(name="志愿者小红")
    Membership.create(user=user, organization=org, role="volunteer")
    return user


def test_a_queue_of_manual_check_ins_needs_only_the_keyboard_and_the_button(app, open_tab, live_server, org,
                                                                           volunteer, make_event):
    event = make_event(org, **OPEN_NOW)
    tab = open_tab()
    tab.log_in(volunteer)
    tab.goto(f"/events/{event.id}/checkins")
    page = tab.page
    page.evaluate("() => { window.notReloaded = true; }")
    page.get_by_label("姓名", exact=True).tap()
    button = page.get_by_role("button", name="代为签到")
    queue = ["赵阿婆", "钱阿公", "赵阿婆"]
    for number, name in enumerate(queue, start=1):
        assert page.evaluate(FOCUSED_NAME) == "name"
        page.keyboard.type(name)
        button.tap()
        expect(page.locator("#manual .msg-success")).to_have_text(f"已为 {name} 签到（第 {number} 位）")
        expect(page.locator("#counter strong")).to_have_text(str(number))
        expect(page.locator("#roster")).to_contain_text(f"{number}. {name}")
        # the form is empty again and the cursor is back in the name field, for the next in the queue
        expect(page.get_by_label("姓名", exact=True)).to_have_value("")
        expect(page.get_by_label("姓名", exact=True)).to_be_focused()  # htmx settles, then the focus moves
    # the third is a namesake of the first without a phone: a warning beside the form, the check-in made all the same
    expect(page.locator("#manual .msg-warning")).to_contain_text("已有同名的“赵阿婆”（第 1 位）签到")
    assert CheckIn.select().where(CheckIn.event == event).count() == 3
    assert page.evaluate("() => window.notReloaded") is True
    tab.assert_fits_and_targets_at_least(48)

    # the entry just made is undone with one tap
    page.locator("#manual").get_by_role("button", name="撤销这一条").tap()
    expect(page.locator("#counter strong")).to_have_text("2")
    assert CheckIn.get(CheckIn.event == event, CheckIn.number == 3).undone_at is not None
    tab.assert_no_errors()


def test_the_roster_follows_residents_who_scan_on_their_own_phones(app, open_tab, live_server, org, volunteer,
                                                                  make_event):
    event = make_event(org, **OPEN_NOW)
    tab = open_tab()
    tab.log_in(volunteer)
    tab.goto(f"/events/{event.id}/checkins")
    page = tab.page
    page.evaluate("() => { window.notReloaded = true; }")
    expect(page.locator("#roster")).to_contain_text("还没有人签到")
    # nothing changed: the polls are answered 204 and swap nothing
    statuses = []
    page.on("response", lambda r: statuses.append(r.status) if "/checkins/count" in r.url else None)
    page.wait_for_timeout(2500)
    assert statuses and set(statuses) == {204}

    resident = open_tab(**WECHAT)
    resident.goto(scan_url(live_server, event))
    fill_in_and_check_in(resident, name="张阿姨", phone="13812341234")
    expect(resident.page.locator(".big-message")).to_contain_text("签到成功")

    poll = app.config["COUNTER_POLL_SECONDS"]
    roster = page.locator("#roster")
    expect(roster).to_contain_text("1. 张阿姨", timeout=(poll + 3) * 1000)
    expect(roster).to_contain_text("138****1234")
    expect(page.locator("#counter strong")).to_have_text("1")
    assert page.evaluate("() => window.notReloaded") is True
    tab.assert_no_errors()


def test_the_check_in_link_is_there_to_copy(open_tab, live_server, org, volunteer, make_event):
    event = make_event(org, **OPEN_NOW)
    tab = open_tab()
    tab.log_in(volunteer)
    tab.goto(f"/events/{event.id}/checkins")
    link = tab.page.get_by_label("签到链接（可以发到微信群）")
    expect(link).to_have_value(scan_url(live_server, event))
    copy = tab.page.get_by_role("button", name="复制链接")
    expect(copy).to_be_visible()
    copy.tap()
    expect(tab.page.get_by_role("button", name="已复制")).to_be_visible()
    tab.assert_fits_and_targets_at_least(48)
    tab.assert_no_errors()


def test_a_rotating_code_is_not_offered_as_a_link(open_tab, org, volunteer, make_event):
    event = make_event(org, checkin_mode="rotating", starts_in=datetime.timedelta(minutes=-10), hours=2)
    tab = open_tab()
    tab.log_in(volunteer)
    tab.goto(f"/events/{event.id}/checkins")
    expect(tab.page.locator(".checkin-link")).to_have_count(0)
    expect(tab.page.get_by_text("签到二维码显示在现场大屏上")).to_be_visible()
