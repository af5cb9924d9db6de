"""A resident's first time, on a 320×640 phone in WeChat: errors in sight after a failed submit, the 签到 button on
the first screen, a second person on the same phone, and no account link where residents need no account."""
import datetime
import os

import pytest

from models import CheckIn, Signup
from tests.e2e.test_checkin_browser import NAME, OPEN_NOW, WECHAT, fill_in_and_check_in, scan_url

if not os.path.exists("/usr/bin/chromium"):
    pytest.skip("browser tests need Debian's Chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright Python package")
expect = sync_api.expect

pytestmark = pytest.mark.browser

SMALL = dict(WECHAT, viewport={"width": 320, "height": 640})
CONSENT = "我已阅读并同意上面的个人信息说明"

#: Where an element is on the screen, and whether it has the focus.
BOX_JS = """(el) => { const b = el.getBoundingClientRect();
  return {top: b.top, bottom: b.bottom, focused: document.activeElement === el}; }"""


@pytest.fixture
def org(make_user, make_org):
    return make_org("xinhua", admin=make_user(name="组织管理员", phone="13900000301"), name="新华路银发合唱团")


def on_screen(locator, height=640):
    box = locator.evaluate(BOX_JS)
    return box["top"] >= -1 and box["bottom"] <= height + 1  # a fraction of a pixel either way


def focused(locator):
    return locator.evaluate(BOX_JS)["focused"]


def test_a_forgotten_consent_tick_is_in_sight_and_what_was_typed_stays(open_tab, live_server, org, make_event):
    event = make_event(org, **OPEN_NOW)
    resident = open_tab(**SMALL)
    resident.goto(scan_url(live_server, event))
    page = resident.page
    page.get_by_label("姓名", exact=True).fill(NAME)
    page.get_by_label("手机号", exact=True).fill("13812341234")
    page.get_by_role("button", name="签到", exact=True).tap()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("请修改以下 1 处")
    expect(summary).to_contain_text("请先勾选同意个人信息说明")
    consent = page.get_by_label(CONSENT)
    assert on_screen(summary) and on_screen(consent) and focused(consent)
    expect(page.get_by_label("姓名", exact=True)).to_have_value(NAME)
    expect(page.get_by_label("手机号", exact=True)).to_have_value("13812341234")
    consent.check()
    page.get_by_role("button", name="签到", exact=True).tap()
    expect(page.locator(".big-message")).to_contain_text("签到成功")
    assert CheckIn.select().count() == 1
    resident.assert_no_errors()


def test_a_mistyped_phone_takes_the_focus_and_the_summary_links_each_field(open_tab, live_server, org, make_event):
    event = make_event(org, **OPEN_NOW)
    resident = open_tab(**dict(SMALL, viewport={"width": 390, "height": 640}))
    resident.goto(scan_url(live_server, event))
    page = resident.page
    page.get_by_label("手机号", exact=True).fill("1381234")
    page.get_by_role("button", name="签到", exact=True).tap()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("请修改以下 3 处")
    assert summary.get_attribute("role") == "alert"
    name = page.get_by_label("姓名", exact=True)
    assert focused(name) and on_screen(summary)
    summary.get_by_role("link").nth(1).tap()
    assert focused(page.get_by_label("手机号", exact=True))
    expect(page.get_by_label("手机号", exact=True)).to_have_value("1381234")
    resident.assert_no_errors()


def test_the_checkin_button_is_on_the_first_screen_and_under_14_is_a_different_control(
    open_tab, live_server, org, make_event
):
    event = make_event(org, **OPEN_NOW)
    resident = open_tab(**SMALL)
    resident.goto(scan_url(live_server, event))
    page = resident.page
    button = page.get_by_role("button", name="签到", exact=True)
    assert button.bounding_box()["y"] + button.bounding_box()["height"] <= 640
    # The notice's first line comes before the fields, the full text a tap away.
    notice = page.locator(".privacy summary")
    assert notice.bounding_box()["y"] < page.get_by_label("姓名", exact=True).bounding_box()["y"]
    expect(page.locator(".privacy li").first).to_be_hidden()
    notice.tap()
    expect(page.locator(".privacy li").first).to_be_visible()

    # Under 14 is a link-like toggle after the button, not a second box like the consent.
    minor = page.get_by_label("为未满 14 周岁的孩子签到")
    assert minor.bounding_box()["y"] > button.bounding_box()["y"]
    assert page.locator("label.choice", has=minor).count() == 0
    minor.check()
    expect(page.get_by_text("上面请填写监护人的姓名和手机号")).to_be_visible()
    page.get_by_label("监护人姓名", exact=True).fill("王妈妈")
    page.get_by_label("监护人手机号", exact=True).fill("13912345678")
    page.get_by_label(CONSENT).check()
    button.tap()
    expect(page.locator(".big-message")).to_contain_text("签到成功")
    assert CheckIn.get().minor is True
    resident.assert_fits_and_targets_at_least(48)
    resident.assert_no_errors()


def test_a_remembered_resident_scanning_again_can_check_in_someone_else(open_tab, live_server, org, make_event):
    event = make_event(org, **OPEN_NOW)
    resident = open_tab(**SMALL)
    resident.goto(scan_url(live_server, event))
    fill_in_and_check_in(resident, name="陈老伯", phone="13812340001")
    expect(resident.page.locator(".big-message")).to_contain_text("签到成功")

    # His wife scans the code again on his phone: the page says he is in, and offers her the form.
    resident.goto(scan_url(live_server, event))
    page = resident.page
    expect(page.locator(".big-message")).to_contain_text("您已于")
    again = page.get_by_role("button", name="换一个人签到")
    assert on_screen(again)
    again.tap()
    fill_in_and_check_in(resident, name="陈阿婆", phone="13812340002")
    expect(page.locator(".big-message")).to_contain_text("第 2 位")
    assert {c.name for c in CheckIn.select()} == {"陈阿婆", "陈老伯"}
    resident.assert_no_errors()


def test_the_event_signup_form_brings_its_errors_into_sight(open_tab, live_server, org, make_event):
    event = make_event(org, signup_enabled=True, starts_in=datetime.timedelta(days=2))
    resident = open_tab(**SMALL)
    resident.goto(f"/events/{event.id}")
    page = resident.page
    page.get_by_label("手机号", exact=True).fill("13812341234")
    page.get_by_role("button", name="报名", exact=True).tap()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("请修改以下 2 处")
    assert focused(page.get_by_label("姓名", exact=True)) and on_screen(page.get_by_label("姓名", exact=True))
    expect(page.get_by_label("手机号", exact=True)).to_have_value("13812341234")
    assert Signup.select().count() == 0
    resident.assert_no_errors()


def test_the_account_signup_form_brings_its_errors_into_sight(open_tab):
    visitor = open_tab(**SMALL)
    visitor.goto("/signup")
    page = visitor.page
    page.get_by_label("姓名").fill("李志愿")
    page.get_by_role("button", name="注册", exact=True).tap()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("处")
    first = page.locator("[aria-invalid=true]").first
    assert focused(first) and on_screen(first) and on_screen(summary)
    expect(page.get_by_label("姓名")).to_have_value("李志愿")
    visitor.assert_no_errors()


def test_the_login_link_is_for_organizations_and_not_on_the_checkin_page(open_tab, live_server, org, make_event):
    event = make_event(org, **OPEN_NOW)
    visitor = open_tab(**SMALL)
    visitor.goto("/")
    header = visitor.page.locator("header")
    expect(header.get_by_role("link", name="组织登录")).to_be_visible()
    visitor.goto(scan_url(live_server, event))
    assert header.get_by_role("link").filter(has_text="登录").count() == 0
