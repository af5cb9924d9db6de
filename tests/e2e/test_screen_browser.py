"""The venue screen fits a projector and a phone held upright without scrolling; the poster keeps 签到 on one line."""
import datetime
from io import BytesIO

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright Python package")
zxingcpp = pytest.importorskip("zxingcpp", reason="the QR codes are read back with zxing-cpp")
Image = pytest.importorskip("PIL.Image")

pytestmark = pytest.mark.browser

PROJECTOR = dict(viewport={"width": 1280, "height": 720}, is_mobile=False, has_touch=False)
FULL_HD = dict(viewport={"width": 1920, "height": 1080}, is_mobile=False, has_touch=False)
UPRIGHT_PHONE = dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
OPEN_NOW = dict(status="published", starts_in=datetime.timedelta(minutes=-10), hours=2)
#: A title and a venue as long as real ones get: they must not push the code or the count off the screen.
LONG = dict(title="长宁区华阳路街道睦邻互助会第三季度长者智能手机课堂暨反诈宣传进社区活动",
            venue="长宁区华阳路街道社区文化活动中心三楼多功能厅（安西路 23 弄 5 号，近长宁路）")

#: Where each part of the screen is, and how tall the document is against the window.
LAYOUT_JS = """() => {
  const box = (sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                         return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height}; };
  return {scrollHeight: document.documentElement.scrollHeight, scrollWidth: document.documentElement.scrollWidth,
          innerHeight: window.innerHeight, innerWidth: window.innerWidth,
          title: box('h1'), code: box('.code svg'), count: box('.count'), call: box('.call'),
          callLines: Math.round(document.querySelector('.call').getBoundingClientRect().height /
                                parseFloat(getComputedStyle(document.querySelector('.call')).lineHeight))};
}"""


@pytest.fixture
def org_admin(make_user):
    return make_user(name="组织管理员", phone="13900000202")


@pytest.fixture
def org(make_org, org_admin):
    return make_org("huayang", admin=org_admin, name="华阳路睦邻互助会")


def qr_texts(image_bytes):
    """The text of every QR code zxing-cpp finds in a PNG."""
    return [code.text for code in zxingcpp.read_barcodes(Image.open(BytesIO(image_bytes)))]


@pytest.mark.parametrize("device", [PROJECTOR, FULL_HD, UPRIGHT_PHONE], ids=["1280x720", "1920x1080", "390x844"])
@pytest.mark.parametrize("mode", ["rotating", "static"])
def test_the_venue_screen_fits_the_viewport_and_its_code_reads(open_tab, live_server, org, org_admin, make_event,
                                                               device, mode):
    event = make_event(org, checkin_mode=mode, **OPEN_NOW, **LONG)
    organizer = open_tab(**device)
    organizer.log_in(org_admin)
    organizer.goto(f"/events/{event.id}/screen")
    layout = organizer.page.evaluate(LAYOUT_JS)
    height, width = layout["innerHeight"], layout["innerWidth"]
    assert layout["scrollHeight"] <= height, f"the screen scrolls: {layout}"
    assert layout["scrollWidth"] <= width, f"the screen is wider than the window: {layout}"
    for part in ("title", "code", "count", "call"):
        assert 0 <= layout[part]["top"] and layout[part]["bottom"] <= height, f"{part} is off the screen: {layout}"
    assert layout["callLines"] == 1, f"微信扫一扫 签到 breaks across lines: {layout}"
    # As large as fits: the code takes at least half the shorter side of the window.
    assert layout["code"]["height"] >= 0.5 * min(height, width), layout
    organizer.page.mouse.move(0, 0)
    [scanned] = qr_texts(organizer.page.screenshot())
    assert scanned.startswith(f"{live_server.base_url}/c/{event.checkin_token}"), scanned
    organizer.assert_no_errors()


def test_the_poster_keeps_the_call_on_one_line_on_a_phone(open_tab, org, org_admin, make_event):
    event = make_event(org, **OPEN_NOW)
    organizer = open_tab()
    organizer.log_in(org_admin)
    organizer.goto(f"/events/{event.id}/poster")
    call = organizer.page.locator(".call")
    lines = call.evaluate("(el) => Math.round(el.getBoundingClientRect().height / "
                          "parseFloat(getComputedStyle(el).lineHeight))")
    assert lines == 1, "微信扫一扫 签到 breaks across lines on a 390-px phone"
    box = call.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    organizer.assert_fits_the_phone()
    organizer.assert_no_errors()
