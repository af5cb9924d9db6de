"""The demo's activity reports: ended events with reports in every state relative to today (draft, waiting in
华阳's queue, returned, accepted, overdue), each with check-ins, volunteers' shifts and real stored photos; the 第九届
projects' mid-term reports accepted, waiting and returned; seeding again (and another day) changes nothing but the
dates."""
import datetime
import hashlib
import io
from decimal import Decimal

import pytest
from PIL import Image

from blueprints.demo import reports as demo_reports
from blueprints.shifts.queries import hours_of
from core.uploads import open_stored
from models import (
    AuditLog,
    CheckIn,
    Event,
    Membership,
    ProjectReport,
    Proposal,
    Report,
    ReportPhoto,
    Shift,
    User,
    utcnow,
)
from tests.conftest import login

TITLES = [row[1] for row in demo_reports.EVENTS]


@pytest.fixture
def app_config(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return runner


def events():
    return list(Event.select().where(Event.title.in_(TITLES)).order_by(Event.id))


def event(title):
    return Event.get(Event.title == title)


def ago(moment):
    return (utcnow() - moment) / datetime.timedelta(days=1)


def test_reports_in_every_state_relative_to_today(demo):
    by_status = {}
    for report in Report.select().join(Event).where(Event.title.in_(TITLES)):
        by_status.setdefault(report.status, []).append(report)
    assert set(by_status) == {"draft", "submitted", "returned", "accepted"}
    [draft] = by_status["draft"]
    assert draft.submitted_at is None and draft.outcomes and not draft.problems
    assert 1 < ago(draft.event.ends_at) < 7  # still within its week
    for report in by_status["submitted"]:
        assert report.submitted_at < utcnow() and report.decided_at is None
        assert report.outcomes and report.problems and report.beneficiaries
    [returned] = by_status["returned"]
    assert returned.return_note and returned.decided_by.role == "street_moderator"
    [accepted] = by_status["accepted"]
    assert accepted.event.status == "reported" and accepted.decided_at < utcnow()
    assert all(r.event.status == "ended" for status, rows in by_status.items() if status != "accepted" for r in rows)
    overdue = [e for e in events() if not e.reports.exists()]
    assert len(overdue) == 2
    assert all(e.status == "ended" and ago(e.ends_at) >= 9 for e in overdue)
    assert AuditLog.select().where(AuditLog.action == "report.return").exists()


def test_several_reports_wait_in_huayangs_queue(app, demo):
    moderator = User.get(User.phone == "13900000001")
    assert moderator.street.slug == "huayang"
    waiting = [r for r in Report.select().join(Event).where(Event.street == moderator.street,
                                                              Report.status == "submitted")]
    assert len(waiting) >= 3
    client = app.test_client()
    login(client, moderator)
    page = client.get("/streets/huayang/").get_data(as_text=True)
    assert all(r.event.title in page for r in waiting)
    # Another street's waiting report is not in it.
    elsewhere = Report.select().join(Event).where(Event.street != moderator.street, Report.status == "submitted")
    assert elsewhere.exists() and all(r.event.title not in page for r in elsewhere)


def test_the_returned_report_shows_the_streets_comment_to_its_org_admin(app, demo):
    returned = Report.get(Report.status == "returned")
    admin = returned.event.organization.memberships.where(Membership.role == "admin").get().user
    client = app.test_client()
    login(client, admin)
    page = client.get(f"/events/{returned.event_id}/report")
    assert page.status_code == 200
    assert returned.return_note in page.get_data(as_text=True)


def test_every_report_page_opens_for_its_org_admin_and_street_moderator(app, demo):
    for row in events():
        for user in (row.organization.memberships.where(Membership.role == "admin").get().user,
                     User.get(User.role == "street_moderator", User.street == row.street_id)):
            client = app.test_client()
            login(client, user)
            page = client.get(f"/events/{row.id}/report")
            assert page.status_code == 200, (row.title, user.role)
            assert row.title in page.get_data(as_text=True)


def test_every_event_has_qr_and_manual_check_ins_and_two_or_three_volunteers(demo):
    assert len(events()) == len(demo_reports.EVENTS)
    for row in events():
        methods = [c.method for c in row.checkins]
        assert "qr" in methods and "manual" in methods, row.title
        assert all(c.recorded_by_id for c in row.checkins if c.method == "manual")
        assert len({c.phone for c in row.checkins}) == len(methods)
        shifts = list(row.shifts)
        assert 2 <= len(shifts) <= 3
        assert all(s.ended_at and s.started_at < row.starts_at and s.ended_at > row.ends_at for s in shifts)
        members = {m.user_id for m in row.organization.memberships}
        assert {s.volunteer_id for s in shifts} <= members
    corrected = Shift.select().where(Shift.corrected_hours.is_null(False))
    assert corrected.exists() and all(s.correction_reason and s.corrected_by_id for s in corrected)


def test_hours_sum_with_the_correction(app, demo):
    # 09:00–12:00; three volunteers: one corrected to 3, the others 3h42 and 3h44 (3.5 each by the default rule).
    shifts = list(event("法律咨询进社区（秋季专场）").shifts.order_by(Shift.started_at))
    with app.app_context():
        assert [hours_of(s) for s in shifts] == [Decimal("3.0"), Decimal("3.5"), Decimal("3.5")]
        assert sum(hours_of(s) for s in shifts) == Decimal("10.0")
        total = sum(hours_of(s) for s in Shift.select().join(Event).where(Event.title.in_(TITLES)))
    assert total > 40


def test_photos_are_stored_decodable_jpegs_of_at_most_1600_px(app, demo):
    reports = list(Report.select().join(Event).where(Event.title.in_(TITLES)))
    digests = set()
    with app.app_context():
        for report in reports:
            photos = list(report.photos)
            assert 3 <= len(photos) <= 5, report.event.title
            for photo in photos:
                data = open_stored(photo.key).read_bytes()
                digests.add(hashlib.sha256(data).hexdigest())
                with Image.open(open_stored(photo.key)) as image:
                    assert image.format == "JPEG"
                    image.load()
                    assert max(image.size) <= 1600 and image.size == (photo.width, photo.height)
                    assert "exif" not in image.info
                assert photo.size == len(data)
    assert len(digests) == sum(r.photos.count() for r in reports)  # every picture is another one
    assert ReportPhoto.select().where(ReportPhoto.width == 1600).exists()  # a phone's photo, scaled down
    draft = Report.get(Report.status == "draft")
    admin = draft.event.organization.memberships.where(Membership.role == "admin").get().user
    client = app.test_client()
    login(client, admin)
    response = client.get(f"/reports/photos/{draft.photos.first().id}")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(response.data)).format == "JPEG"
    response.close()


def test_the_funded_projects_have_midterm_reports_accepted_waiting_and_returned(demo):
    rows = list(ProjectReport.select().join(Proposal))
    assert sorted(r.status for r in rows) == ["accepted", "returned", "submitted"]
    assert len({r.project_id for r in rows}) == 3
    for report in rows:
        project = report.project
        assert report.kind == "midterm" and project.decision == "funded"
        assert report.spent <= project.amount_granted and report.progress and report.spending
        assert report.beneficiaries and report.submitted_at < utcnow()
        assert report.created_by.memberships.where(Membership.organization == project.organization_id,
                                                   Membership.role == "admin").exists()
    returned = next(r for r in rows if r.status == "returned")
    assert returned.return_note and returned.decided_by.role == "district_admin"
    waiting = next(r for r in rows if r.status == "submitted")
    assert waiting.decided_at is None


def test_the_projects_reported_activities_have_accepted_reports_with_photos(demo):
    linked = list(Event.select().where(Event.project.is_null(False), Event.status == "reported"))
    assert len(linked) >= 4
    for row in linked:
        [report] = row.reports
        assert report.status == "accepted" and report.project_id == row.project_id
        assert report.photos.count() == 3 and report.outcomes and report.problems
        assert row.ends_at < report.submitted_at < report.decided_at < utcnow()
    # Their events move with the contest: the reports follow them.
    demo_reports.shift(Report.select().where(Report.event.in_([e.id for e in linked])),
                       demo_reports.MOVING[Report], datetime.timedelta(days=-30))
    assert demo.invoke(args=["seed-demo", "--if-empty"]).exit_code == 0
    for row in linked:
        report = Report.get(Report.event == row.id)
        assert row.ends_at < report.created_at < row.ends_at + datetime.timedelta(days=1)


def counts():
    models = (User, Membership, Event, CheckIn, Shift, Report, ReportPhoto, ProjectReport)
    return {model.__name__: model.select().count() for model in models}


def test_seeding_again_changes_nothing(demo):
    before = counts()
    dates = [(e.id, e.starts_at) for e in events()]
    result = demo.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert counts() == before
    assert [(e.id, e.starts_at) for e in events()] == dates


def test_run_again_a_month_later_each_report_keeps_its_place_relative_to_today(demo):
    month = datetime.timedelta(days=-30)  # as if seeded a month ago
    rows = Event.select().where(Event.title.in_(TITLES))
    reports = Report.select().where(Report.event.in_(rows))
    demo_reports.shift(CheckIn.select().where(CheckIn.event.in_(rows)), demo_reports.MOVING[CheckIn], month)
    demo_reports.shift(Shift.select().where(Shift.event.in_(rows)), demo_reports.MOVING[Shift], month)
    demo_reports.shift(reports, demo_reports.MOVING[Report], month)
    demo_reports.shift(rows, demo_reports.MOVING[Event], month)
    demo_reports.shift(ProjectReport.select(), demo_reports.MOVING[ProjectReport], month)
    draft = Report.get(Report.status == "draft")
    assert ago(draft.event.ends_at) > 30
    before = counts()
    assert demo.invoke(args=["seed-demo", "--if-empty"]).exit_code == 0
    assert counts() == before
    draft = Report.get(Report.status == "draft")
    assert 1 < ago(draft.event.ends_at) < 7 and draft.created_at > draft.event.ends_at
    assert all(9 <= ago(e.ends_at) < 20 for e in events() if not e.reports.exists())
    for row in events():
        assert all(row.starts_at - datetime.timedelta(hours=1) < s.started_at < row.starts_at for s in row.shifts)
        assert all(abs(c.created_at - row.starts_at) < datetime.timedelta(hours=1) for c in row.checkins)
    waiting = ProjectReport.get(ProjectReport.status == "submitted")
    assert 0 < ago(waiting.submitted_at) < 7
