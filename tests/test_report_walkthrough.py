"""An event from the first scan to the accepted report, as its people live it: residents scan the event's code and a
volunteer records one who has no phone; two volunteers sign in and out; after the end the org admin finds the
attendance and the hours already in the report, uploads a phone JPEG with GPS, an iPhone HEIC and a broken file;
the street returns the report, the organization corrects it, the street accepts it; the year page adds it up."""
import datetime
import io
import re

import pillow_heif
import pytest
from PIL import Image

from blueprints.events.operations import end_past_events
from core.timeutil import to_local
from core.uploads import open_stored
from models import CheckIn, Event, Membership, ReportPhoto, Shift
from models.base import utcnow
from tests.conftest import csrf_from, login
from tests.test_reports import phone_jpeg

HX = {"HX-Request": "true"}


@pytest.fixture
def app_config(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


def resident_checks_in(client, token, name, phone):
    url = f"/c/{token}"
    html = client.get(url).get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="(key|t|csrf_token)"[^>]*value="([^"]*)"', html))
    response = client.post(url, data={**fields, "name": name, "phone": phone, "consent": "y"})
    assert response.status_code in (200, 303), response.get_data(as_text=True)[:500]


def iphone_heic():
    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1800), "orange").save(buffer, "HEIF")
    return buffer.getvalue()


def test_from_the_first_scan_to_the_accepted_report(app, client, make_user, make_org, make_event):
    admin = make_user(name="周管理员")
    org = make_org("xinhua", admin=admin)
    volunteers = [make_user(name="王志愿"), make_user(name="赵志愿")]
    for volunteer in volunteers:
        Membership.create(user=volunteer, organization=org, role="volunteer")
    event = make_event(org, starts_in=-datetime.timedelta(minutes=30), hours=1)

    # Residents scan (each on a phone of their own); a volunteer records a resident without a phone.
    for name, phone in (("李秀英", "13812340001"), ("张建国", "13812340002")):
        resident_checks_in(app.test_client(), event.checkin_token, name, phone)
    login(client, volunteers[0])
    token = csrf_from(client.get(f"/events/{event.id}/checkins").get_data(as_text=True))
    response = client.post(f"/events/{event.id}/checkins", data={"csrf_token": token, "name": "陈阿婆"})
    assert response.status_code in (200, 303)
    assert [c.method for c in CheckIn.select().order_by(CheckIn.number)] == ["qr", "qr", "manual"]

    # Two volunteers sign in on the manage page and out again later: 50 and 80 minutes of service.
    for volunteer, minutes in zip(volunteers, (50, 80), strict=True):
        login(client, volunteer)
        assert client.post(f"/events/{event.id}/shifts/start", headers=HX).status_code == 200
        Shift.update(started_at=utcnow() - datetime.timedelta(minutes=minutes)).where(
            Shift.volunteer == volunteer).execute()
        assert "已签退" in client.post(f"/events/{event.id}/shifts/stop", headers=HX).get_data(as_text=True)

    # The event ends (the hourly end-events job); the org admin opens the report and finds it filled in.
    Event.update(starts_at=utcnow() - datetime.timedelta(hours=3),
                 ends_at=utcnow() - datetime.timedelta(hours=2)).where(Event.id == event.id).execute()
    assert end_past_events() == 1
    login(client, admin)
    html = client.get(f"/events/{event.id}/report").get_data(as_text=True)
    assert "签到 3 人：扫码 2 人，手工登记 1 人" in html
    assert "王志愿：1.0 小时" in html and "赵志愿：1.5 小时" in html
    token = csrf_from(html)

    def save(**fields):
        response = client.post(f"/events/{event.id}/report/save", data={"csrf_token": token, **fields})
        assert response.status_code == 303

    save(section="attendance", attendance="3", beneficiaries="25")
    save(section="outcomes", outcomes="老人们学会了用手机挂号")
    save(section="problems", problems="下次多准备几台示范手机")

    def upload(data, name):
        return client.post(f"/events/{event.id}/report/photos", headers={"Accept": "application/json"},
                           data={"csrf_token": token, "photo": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")

    assert upload(phone_jpeg(), "IMG_0001.JPG").status_code == 200
    assert upload(iphone_heic(), "IMG_0002.HEIC").status_code == 200
    broken = upload(phone_jpeg()[:3000], "IMG_0003.JPG")
    assert broken.status_code == 422 and "无法作为图片读取" in broken.json["error"]
    assert upload(phone_jpeg((1200, 1600)), "IMG_0004.JPG").status_code == 200
    # What was written survives the broken photo; the stored photos are small JPEGs without EXIF.
    html = client.get(f"/events/{event.id}/report").get_data(as_text=True)
    assert "老人们学会了用手机挂号" in html and "下次多准备几台示范手机" in html
    photos = list(ReportPhoto.select())
    assert len(photos) == 3
    for photo in photos:
        with app.app_context(), Image.open(open_stored(photo.key)) as image:
            assert image.format == "JPEG" and max(image.size) <= 1600
            assert not image.getexif() and "exif" not in image.info
    assert client.post(f"/events/{event.id}/report/submit", data={"csrf_token": token}).status_code == 303

    # The street returns it; the organization corrects and resubmits; the street accepts: 已报告.
    moderator = make_user("street_moderator", street="xinhua", name="街镇管理员")
    login(client, moderator)
    console = client.get("/streets/xinhua/").get_data(as_text=True)
    report_id = re.search(r"/streets/xinhua/reports/(\d+)/return", console).group(1)
    client.post(f"/streets/xinhua/reports/{report_id}/return", headers=HX,
                data={"csrf_token": csrf_from(console), "reason": "请写上受益老人的反馈"})
    login(client, admin)
    assert "请写上受益老人的反馈" in client.get(f"/events/{event.id}/report").get_data(as_text=True)
    save(section="outcomes", outcomes="老人们学会了用手机挂号，都说很方便")
    assert client.post(f"/events/{event.id}/report/submit", data={"csrf_token": token}).status_code == 303
    login(client, moderator)
    console = client.get("/streets/xinhua/").get_data(as_text=True)
    client.post(f"/streets/xinhua/reports/{report_id}/accept", headers=HX, data={"csrf_token": csrf_from(console)})
    login(client, admin)
    assert "已报告" in client.get(f"/events/{event.id}/manage").get_data(as_text=True)

    # The organization's year: one event, three check-ins, two volunteers, 2.5 hours, one report accepted.
    year = to_local(Event.get_by_id(event.id).starts_at).year  # the year page counts by the Shanghai date
    html = client.get(f"/orgs/{org.id}/year/{year}").get_data(as_text=True)

    def stat(dom_id):
        return re.search(rf'id="{dom_id}"><strong>([^<]*)</strong>', html).group(1)

    assert (stat("total-events"), stat("total-checkins"), stat("total-volunteers"), stat("total-hours"),
            stat("reports-accepted")) == ("1", "3", "2", "2.5", "1")
