"""QR check-in in real Chromium: the organizer's code is decoded, a resident opens it in WeChat's browser on a phone,
checks in (then with one tap at the next event), the organizer's counter follows; the venue screen's rotating code."""
import datetime
import os
import re
import time
from io import BytesIO

import pytest

from core.timeutil import to_local
from models import CheckIn
from tests.e2e.conftest import PHONE

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM}", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright Python package")
zxingcpp = pytest.importorskip("zxingcpp", reason="the QR codes are read back with zxing-cpp")
Image = pytest.importorskip("PIL.Image")
expect = sync_api.expect

pytestmark = pytest.mark.browser

WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 "
    "MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64"
)
WECHAT = dict(PHONE, user_agent=WECHAT_UA)
OPEN_NOW = dict(status="published", starts_in=datetime.timedelta(minutes=-10), hours=2)

NAME = "张阿姨"
FULL_WIDTH_PHONE = "１３８１２３４１２３４"
PHONE_NUMBER = "13812341234"
MASKED = "138****1234"


@pytest.fixture
def org_admin(make_user):
    return make_user(name="组织管理员", phone="13900000201")


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin, name="新华路银发合唱团")


def qr_texts(image_bytes):
    """The text of every QR code zxing-cpp finds in a PNG."""
    found = zxingcpp.read_barcodes(Image.open(BytesIO(image_bytes)))
    assert all(code.format == zxingcpp.BarcodeFormat.QRCode for code in found), found
    return [code.text for code in found]


def scan_url(live_server, event):
    return f"{live_server.base_url}/c/{event.checkin_token}"


def fill_in_and_check_in(resident, name=NAME, phone=FULL_WIDTH_PHONE):
    page = resident.page
    page.get_by_label("姓名", exact=True).fill(name)
    page.get_by_label("手机号", exact=True).press_sequentially(phone)
    page.get_by_label("我已阅读并同意上面的个人信息说明").check()
    page.get_by_role("button", name="签到", exact=True).tap()


def local_time(checkin):
    return f"{to_local(checkin.created_at):%H:%M}"


def test_a_resident_scans_the_poster_code_and_the_organizer_counter_follows(app, open_tab, live_server, org, org_admin,
                                                                            make_event):
    event = make_event(org, **OPEN_NOW)
    organizer = open_tab()
    organizer.log_in(org_admin)

    # The code the organizer prints, fetched with the organizer's cookies, says where to check in.
    response = organizer.page.request.get(f"{live_server.base_url}/events/{event.id}/qr.png")
    assert response.ok and response.headers["content-type"] == "image/png"
    texts = qr_texts(response.body())
    assert texts == [scan_url(live_server, event)]

    # 签到管理 is open before anyone arrives.
    organizer.goto(f"/events/{event.id}/checkins")
    counter = organizer.page.locator("#counter strong")
    expect(counter).to_have_text("0")
    organizer.page.evaluate("() => { window.notReloaded = true; }")

    # A resident scans it in WeChat.
    resident = open_tab(**WECHAT)
    resident.goto(texts[0])
    assert "MicroMessenger" in resident.page.evaluate("() => navigator.userAgent")
    page = resident.page
    expect(page.get_by_role("heading", level=1)).to_have_text(event.title)
    resident.assert_fits_the_phone()
    button = page.get_by_role("button", name="签到", exact=True)
    assert button.bounding_box()["height"] >= 48
    assert float(page.evaluate("() => getComputedStyle(document.body).fontSize").removesuffix("px")) >= 18

    fill_in_and_check_in(resident)
    status = page.locator(".big-message")
    expect(status).to_contain_text("签到成功")
    expect(status).to_contain_text("第 1 位")
    expect(status).to_contain_text(MASKED)
    assert PHONE_NUMBER not in page.content()
    resident.assert_fits_the_phone()
    checkin = CheckIn.get(CheckIn.event == event)
    assert (checkin.name, checkin.phone, checkin.number, checkin.method) == (NAME, PHONE_NUMBER, 1, "qr")

    # The organizer's counter follows by itself (htmx polls, every 5 s by default) …
    poll = app.config["COUNTER_POLL_SECONDS"]
    assert organizer.page.locator("#counter").get_attribute("hx-trigger") == f"every {poll}s"
    expect(counter).to_have_text("1", timeout=(poll + 3) * 1000)
    assert organizer.page.evaluate("() => window.notReloaded") is True
    # … and after a reload the roster has the resident, the phone masked.
    organizer.page.reload()
    roster = organizer.page.locator("#roster")
    expect(roster).to_contain_text(f"1. {NAME}")
    expect(roster).to_contain_text(MASKED)
    assert PHONE_NUMBER not in organizer.page.content()

    resident.assert_no_errors()
    organizer.assert_no_errors()


def test_a_remembered_resident_checks_in_with_one_tap(open_tab, live_server, org, make_event):
    first, second = make_event(org, **OPEN_NOW), make_event(org, **OPEN_NOW)
    resident = open_tab(**WECHAT)
    resident.goto(scan_url(live_server, first))
    fill_in_and_check_in(resident)
    expect(resident.page.locator(".big-message")).to_contain_text("签到成功")

    # The next event: no form, one tap.
    resident.goto(scan_url(live_server, second))
    page = resident.page
    assert page.get_by_label("姓名", exact=True).count() == 0
    one_tap = page.get_by_role("button", name=f"以 {NAME[0]}* 身份签到", exact=True)
    expect(one_tap).to_be_visible()
    assert one_tap.bounding_box()["height"] >= 48
    assert NAME not in page.locator("main").inner_text()  # only the first character of the name is shown
    expect(page.locator("main")).to_contain_text(MASKED)
    resident.assert_fits_the_phone()
    one_tap.tap()
    status = page.locator(".big-message")
    expect(status).to_contain_text("签到成功")
    expect(status).to_contain_text("第 1 位")
    again = CheckIn.get(CheckIn.event == second)
    assert (again.name, again.phone, again.number) == (NAME, PHONE_NUMBER, 1)

    # Back at the first event: already checked in, at that time.
    resident.goto(scan_url(live_server, first))
    checkin = CheckIn.get(CheckIn.event == first)
    expect(page.locator(".big-message")).to_contain_text(f"您已于 {local_time(checkin)} 签到")
    expect(page.locator(".big-message")).to_contain_text("第 1 位，不用再签了")
    assert CheckIn.select().count() == 2
    resident.assert_no_errors()


def test_a_phone_number_typed_on_another_phone_reveals_nothing_and_a_family_shares_one_phone(
    open_tab, live_server, org, make_event
):
    event = make_event(org, **OPEN_NOW)
    resident = open_tab(**WECHAT)
    resident.goto(scan_url(live_server, event))
    fill_in_and_check_in(resident)
    expect(resident.page.locator(".big-message")).to_contain_text("签到成功")

    # Someone else types the same number on their own phone: told it is checked in, and nothing of whose.
    stranger = open_tab(**WECHAT)
    stranger.goto(scan_url(live_server, event))
    fill_in_and_check_in(stranger, name="冒充者")
    message = stranger.page.locator(".big-message")
    expect(message).to_contain_text("这个手机号已签到")
    assert NAME not in stranger.page.content() and "第 1 位" not in message.inner_text()
    stranger.goto("/me/")
    expect(stranger.page.locator("main")).to_contain_text("这台手机没有记住您的签到信息")
    assert NAME not in stranger.page.content()

    # On the resident's phone, 换一个人签到 checks in the spouse; /me/ lists both, phones masked.
    resident.page.get_by_role("button", name="换一个人签到").tap()
    fill_in_and_check_in(resident, name="王老伯", phone="13900001111")
    expect(resident.page.locator(".big-message")).to_contain_text("第 2 位")
    resident.goto("/me/")
    main = resident.page.locator("main")
    expect(main).to_contain_text(NAME)
    expect(main).to_contain_text("王老伯")
    expect(main).to_contain_text("139****1111")
    assert PHONE_NUMBER not in resident.page.content()
    for tab in (resident, stranger):
        tab.assert_no_errors()


def code_on_screen(page, box):
    """The text of the QR code the venue screen shows in ``box``.

    A picture of that part of the page, not of the element: the screen replaces the element as it refreshes.
    """
    [text] = qr_texts(page.screenshot(clip=box))
    return text


def test_the_venue_screen_code_rotates_and_an_old_one_is_refused(app, open_tab, live_server, org, org_admin,
                                                                make_event, monkeypatch):
    event = make_event(org, checkin_mode="rotating", **OPEN_NOW)
    organizer = open_tab()
    organizer.log_in(org_admin)
    organizer.goto(f"/events/{event.id}/screen")
    organizer.page.evaluate("() => { window.notReloaded = true; }")
    screen_code = organizer.page.locator(".screen-code")
    refresh = app.config["SCREEN_REFRESH_SECONDS"]  # 12 s by default
    assert screen_code.get_attribute("hx-trigger") == f"every {refresh}s"
    expect(screen_code.locator(".count")).to_have_text("已签到 0 人")
    screen_code.locator(".code").scroll_into_view_if_needed()
    box = screen_code.locator(".code").bounding_box()
    scanned = code_on_screen(organizer.page, box)
    assert re.fullmatch(re.escape(scan_url(live_server, event)) + r"\?t=[\w.-]+", scanned), scanned

    # Scanned now: the form.
    resident = open_tab(**WECHAT)
    resident.goto(scanned)
    expect(resident.page.get_by_role("button", name="签到", exact=True)).to_be_visible()

    # The screen shows a new code after its refresh period, without a reload; the new one works too.
    deadline = time.monotonic() + refresh + 5
    refreshed = scanned
    while refreshed == scanned:
        assert time.monotonic() < deadline, "the screen still shows the code it showed at first"
        organizer.page.wait_for_timeout(200)
        refreshed = code_on_screen(organizer.page, box)
    assert refreshed.startswith(scan_url(live_server, event) + "?t=")
    assert organizer.page.evaluate("() => window.notReloaded") is True
    newcomer = open_tab(**WECHAT)
    newcomer.goto(refreshed)
    expect(newcomer.page.get_by_role("button", name="签到", exact=True)).to_be_visible()
    organizer.assert_no_errors()
    organizer.page.close()  # no screen refresh while the clock is moved below

    later_tab = open_tab(context=resident.context)  # another tab of the same phone
    real_time = time.time
    later = app.config["CHECKIN_SCAN_MAX_AGE"] + 30  # 90 s by default: past the scan's limit, within the form's
    assert later < app.config["CHECKIN_FORM_MAX_AGE"]
    with monkeypatch.context() as patched:
        # Moved on, in this process, which is the live server's too (it runs in a thread).
        patched.setattr("itsdangerous.timed.TimestampSigner.get_timestamp", lambda self: int(real_time() + later))
        # The same code, forwarded and opened later (a minute and a half, by default), is refused …
        later_tab.goto(scanned, status=403)
        expect(later_tab.page.get_by_role("alert")).to_contain_text("二维码已过期")
        assert later_tab.page.get_by_label("姓名", exact=True).count() == 0
        # … but the resident who opened it in time may still send the form.
        resident.page.bring_to_front()
        fill_in_and_check_in(resident)
        expect(resident.page.locator(".big-message")).to_contain_text("签到成功")
    assert CheckIn.get(CheckIn.event == event).phone == PHONE_NUMBER
    for tab in (resident, later_tab, newcomer):
        tab.assert_no_errors()


def test_the_poster_and_the_screen_load_without_console_errors(open_tab, org, org_admin, make_event):
    event = make_event(org, checkin_mode="rotating", **OPEN_NOW)
    organizer = open_tab(viewport={"width": 1280, "height": 800}, is_mobile=False, has_touch=False)
    organizer.log_in(org_admin)
    for path in (f"/events/{event.id}/screen", f"/events/{event.id}/poster"):
        organizer.goto(path)
        organizer.page.wait_for_load_state("networkidle")
    organizer.assert_no_errors()
