"""报告逾期: a report is due REPORT_DUE_DAYS (7) after its event's end; the organization's admin and the street see
the events whose report was not handed in by then, and the event's pages say by when, or how late."""
import datetime
import io

import pytest

from blueprints.reports import queries
from core.timeutil import to_local
from models import Report
from tests.conftest import csrf_from, login
from tests.test_reports import phone_jpeg

DAY = datetime.timedelta(days=1)


@pytest.fixture
def app_config(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


@pytest.fixture
def world(make_user, make_org, make_event):
    """At 新华路街道: an organization with an event that ended 8 days ago and one that ended 6 days ago."""
    admin = make_user(name="报告管理员")
    org = make_org("xinhua", admin=admin, name="新华长者服务社")

    def ended(days, status="ended", **extra):
        return make_event(org, status=status, starts_in=-(days * DAY + datetime.timedelta(hours=2)), **extra)

    late, recent = ended(8, title="重阳节敬老活动"), ended(6, title="防诈骗讲座")
    moderator = make_user("street_moderator", street="xinhua", name="街镇管理员")
    return dict(admin=admin, org=org, late=late, recent=recent, moderator=moderator, ended=ended)


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def day_of(event, days=7):
    due = to_local(event.ends_at + days * DAY).date()
    return f"{due.year}年{due.month}月{due.day}日"


def test_late_event_is_overdue_on_the_admins_home_and_the_street_console(client, world):
    late = world["late"]
    login(client, world["admin"])
    html = text(client, "/")
    assert "1 场活动的报告已逾期" in html
    assert "报告逾期：重阳节敬老活动" in html and "已逾期 1 天" in html
    assert f"/events/{late.id}/report" in html
    assert "防诈骗讲座" not in html

    login(client, world["moderator"])
    html = text(client, "/streets/xinhua/")
    assert "逾期未交的活动报告" in html and "共 1 场活动的报告逾期未交" in html
    assert "重阳节敬老活动" in html and "新华长者服务社" in html and "逾期 1 天" in html
    assert f"/events/{late.id}/manage" in html
    assert "防诈骗讲座" not in html


def test_the_event_pages_say_by_when_or_how_late(client, world):
    late, recent = world["late"], world["recent"]
    login(client, world["admin"])
    assert f"报告请于 {day_of(recent)}前提交" in text(client, f"/events/{recent.id}/manage")
    assert f"报告请于 {day_of(recent)}前提交" in text(client, f"/events/{recent.id}/report")
    for url in (f"/events/{late.id}/manage", f"/events/{late.id}/report"):
        html = text(client, url)
        assert "报告已逾期 1 天" in html and day_of(late) in html
    # The street's moderator reads the same on the event's page the console links.
    login(client, world["moderator"])
    assert "报告已逾期 1 天" in text(client, f"/events/{late.id}/manage")


def test_submitting_the_report_removes_it_from_the_lists(client, world):
    late = world["late"]
    login(client, world["admin"])
    token = csrf_from(text(client, f"/events/{late.id}/report"))
    for n in range(3):
        client.post(f"/events/{late.id}/report/photos", content_type="multipart/form-data",
                    data={"csrf_token": token, "photo": (io.BytesIO(phone_jpeg((300 + n, 200))), f"{n}.jpg")})
    for section, fields in (("attendance", {"attendance": "0", "beneficiaries": "20"}),
                            ("outcomes", {"outcomes": "老人们很开心"}), ("problems", {"problems": "场地偏小"})):
        client.post(f"/events/{late.id}/report/save", data={"csrf_token": token, "section": section, **fields})
    assert client.post(f"/events/{late.id}/report/submit", data={"csrf_token": token}).status_code == 303
    assert Report.get(Report.event == late).status == "submitted"

    html = text(client, "/")
    assert "报告已逾期" not in html and "报告逾期：" not in html
    assert "报告已逾期" not in text(client, f"/events/{late.id}/report")
    assert "报告请于" not in text(client, f"/events/{late.id}/manage")
    login(client, world["moderator"])
    html = text(client, "/streets/xinhua/")
    assert "没有逾期未交的活动报告" in html
    assert "重阳节敬老活动" in html  # now in the queue of reports to review


def test_a_returned_report_is_on_the_admins_home_with_the_streets_comment(client, world):
    recent = world["recent"]
    Report.create(event=recent, status="returned", return_note="请补充活动照片的说明")
    login(client, world["admin"])
    html = text(client, "/")
    assert "报告被退回：防诈骗讲座" in html and "请补充活动照片的说明" in html
    assert f"/events/{recent.id}/report" in html
    # A returned report past its due date is still overdue: it has not been handed in.
    Report.create(event=world["late"], status="returned", return_note="人数不对")
    html = text(client, "/")
    assert "报告逾期：重阳节敬老活动" in html and "报告被退回：重阳节敬老活动" in html


def test_the_due_days_are_configured(app, client, world):
    app.config["REPORT_DUE_DAYS"] = 10
    login(client, world["admin"])
    assert "报告已逾期" not in text(client, "/")
    assert f"报告请于 {day_of(world['late'], 10)}前提交" in text(client, f"/events/{world['late'].id}/manage")
    app.config["REPORT_DUE_DAYS"] = 3
    assert "2 场活动的报告已逾期" in text(client, "/")


def test_cancelled_accepted_and_other_peoples_events_are_not_listed(client, world, make_user, make_org, make_event):
    ended = world["ended"]
    ended(20, title="取消了的活动", status="cancelled")
    ended(20, title="已报告的活动", status="reported")
    accepted = ended(20, title="报告已通过的活动")
    Report.create(event=accepted, status="accepted")
    ended(12, title="已发布未结的活动", status="published")  # published and past: it has ended, and is late
    other = make_org("xinhua", admin=make_user(name="别的管理员"), name="别的组织")
    make_event(other, status="ended", starts_in=-9 * DAY, title="别的组织的活动")
    elsewhere = make_org("huayang", admin=make_user(name="华阳管理员"), name="华阳组织")
    make_event(elsewhere, status="ended", starts_in=-9 * DAY, title="华阳的活动")

    login(client, world["admin"])
    html = text(client, "/")
    assert "2 场活动的报告已逾期" in html and "已发布未结的活动" in html and "已逾期 5 天" in html
    for title in ("取消了的活动", "已报告的活动", "报告已通过的活动", "别的组织的活动", "华阳的活动"):
        assert title not in html

    login(client, world["moderator"])
    html = text(client, "/streets/xinhua/")
    assert "共 3 场活动的报告逾期未交" in html and "别的组织的活动" in html and "华阳的活动" not in html
    # The oldest first.
    assert html.index("已发布未结的活动") < html.index("别的组织的活动") < html.index("重阳节敬老活动")


def test_the_console_shows_the_oldest_and_counts_the_rest(client, world, monkeypatch):
    monkeypatch.setattr(queries, "STREET_OVERDUE_SHOWN", 2)
    world["ended"](30, title="最早的活动")
    world["ended"](9, title="第二早的活动")
    login(client, world["moderator"])
    html = text(client, "/streets/xinhua/")
    assert "共 3 场活动的报告逾期未交，下面是最早的 2 场" in html
    assert "最早的活动" in html and "第二早的活动" in html and "重阳节敬老活动" not in html


def test_a_volunteer_sees_no_overdue_reports_at_home(client, world, make_user):
    from models import Membership

    volunteer = make_user(name="志愿者")
    Membership.create(user=volunteer, organization=world["org"], role="volunteer")
    login(client, volunteer)
    assert "报告已逾期" not in text(client, "/")
