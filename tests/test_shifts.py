"""Volunteer service time: members sign in and out of an event on its manage page; hours by the rounding rule; the
org admin sees everybody's hours, corrects one with a reason (audit-logged) and exports them for the platforms."""
import csv
import datetime
import io
from decimal import Decimal

import pytest

from blueprints.shifts.hours import minutes_between, shift_hours
from models import AuditLog, Membership, Shift
from models.base import utcnow
from tests.conftest import login

HX = {"HX-Request": "true"}


@pytest.mark.parametrize(("minutes", "hours"), [
    (0, "0"), (14, "0"), (15, "0.5"), (44, "0.5"), (45, "0.5"), (46, "1"), (59, "1"), (60, "1"), (61, "1"),
    (74, "1"), (75, "1.5"), (105, "1.5"), (106, "2"), (120, "2"), (134, "2"), (135, "2.5"), (-5, "0"),
])
def test_hours_by_the_default_rule(minutes, hours):
    """Under 15 minutes 0, up to 45 half an hour, up to 60 an hour, and so on each hour."""
    result = shift_hours(minutes)
    assert isinstance(result, Decimal)
    assert result == Decimal(hours)


def test_a_rule_of_its_own():
    """Whole hours only from 30 minutes on (a team whose platform counts no halves)."""
    rule = ((30, "0"),)
    assert [shift_hours(m, rule) for m in (29, 30, 89, 90)] == [Decimal(0), Decimal(1), Decimal(1), Decimal(2)]


def test_minutes_drop_the_seconds():
    start = datetime.datetime(2026, 11, 27, 9, 0)
    assert minutes_between(start, start + datetime.timedelta(minutes=14, seconds=59)) == 14
    assert minutes_between(start, None) == 0


@pytest.fixture
def org_admin(make_user):
    return make_user(name="组织管理员", phone="13911112222")


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin)


@pytest.fixture
def volunteer(make_user, org):
    user = make_user(name="李志愿", phone="13812345678")
    Membership.create(user=user, organization=org, role="volunteer")
    return user


@pytest.fixture
def event(make_event, org):
    """On now: started ten minutes ago, two hours long."""
    return make_event(org, starts_in=-datetime.timedelta(minutes=10), hours=2)


def shift_of(user, event, minutes, **extra):
    """A finished shift of ``minutes``, ending an hour ago."""
    ended = utcnow().replace(microsecond=0) - datetime.timedelta(hours=1)
    return Shift.create(event=event, volunteer=user, started_at=ended - datetime.timedelta(minutes=minutes),
                        ended_at=ended, **extra)


class TestSignInAndOut:
    def test_the_manage_page_has_the_big_button(self, client, volunteer, event):
        login(client, volunteer)
        html = client.get(f"/events/{event.id}/manage").get_data(as_text=True)
        assert "签到上岗" in html and f"/events/{event.id}/shifts/start" in html

    def test_sign_in_then_out_without_javascript(self, client, volunteer, event):
        login(client, volunteer)
        response = client.post(f"/events/{event.id}/shifts/start")
        assert response.status_code == 303
        shift = Shift.get(Shift.event == event, Shift.volunteer == volunteer)
        assert shift.ended_at is None
        html = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "已签到上岗" in html and "签退" in html
        Shift.update(started_at=utcnow() - datetime.timedelta(minutes=50)).execute()
        response = client.post(f"/events/{event.id}/shifts/stop", follow_redirects=True)
        assert "已签退，本次计 1.0 小时" in response.get_data(as_text=True)
        assert Shift.get_by_id(shift.id).ended_at is not None

    def test_in_place_with_htmx(self, client, volunteer, event):
        login(client, volunteer)
        response = client.post(f"/events/{event.id}/shifts/start", headers=HX)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and 'id="shift-panel"' in html and "<html" not in html
        assert f"/events/{event.id}/shifts/stop" in html
        html = client.post(f"/events/{event.id}/shifts/stop", headers=HX).get_data(as_text=True)
        assert "已签退，本次计 0.0 小时" in html and f"/events/{event.id}/shifts/start" in html

    def test_one_open_shift_at_a_time(self, client, volunteer, event):
        login(client, volunteer)
        client.post(f"/events/{event.id}/shifts/start")
        response = client.post(f"/events/{event.id}/shifts/start", headers=HX)
        assert response.status_code == 422 and "请先签退" in response.get_data(as_text=True)
        assert Shift.select().count() == 1

    def test_signing_out_twice_says_so(self, client, volunteer, event):
        login(client, volunteer)
        response = client.post(f"/events/{event.id}/shifts/stop", headers=HX)
        assert response.status_code == 422 and "还没有签到上岗" in response.get_data(as_text=True)

    @pytest.mark.parametrize(("starts_in", "hours"), [
        (datetime.timedelta(days=1), 2),  # long before check-in opens
        (-datetime.timedelta(hours=6), 2),  # four hours after the end: past the three-hour grace
    ])
    def test_only_while_the_event_is_on(self, client, volunteer, make_event, org, starts_in, hours):
        event = make_event(org, starts_in=starts_in, hours=hours)
        login(client, volunteer)
        html = client.get(f"/events/{event.id}/manage").get_data(as_text=True)
        assert "/shifts/start" not in html and "结束后 3 小时内" in html
        assert client.post(f"/events/{event.id}/shifts/start").status_code == 303
        assert Shift.select().count() == 0

    def test_a_forgotten_shift_closes_when_sign_in_closes(self, app, client, volunteer, make_event, org):
        event = make_event(org, starts_in=-datetime.timedelta(hours=9), hours=2)
        Shift.create(event=event, volunteer=volunteer, started_at=event.starts_at)
        login(client, volunteer)
        client.post(f"/events/{event.id}/shifts/stop")
        shift = Shift.get()
        assert shift.ended_at == event.ends_at + datetime.timedelta(hours=3)

    def test_not_for_a_draft(self, client, volunteer, make_event, org):
        event = make_event(org, status="draft", starts_in=-datetime.timedelta(minutes=5))
        login(client, volunteer)
        client.post(f"/events/{event.id}/shifts/start")
        assert Shift.select().count() == 0

    def test_others_may_not(self, client, make_user, make_org, event):
        stranger = make_org("tianshan").memberships.get().user
        login(client, stranger)
        assert client.post(f"/events/{event.id}/shifts/start").status_code == 404
        login(client, make_user("street_moderator", street="xinhua"))
        assert client.post(f"/events/{event.id}/shifts/start").status_code == 403
        assert Shift.select().count() == 0


class TestRoster:
    def test_the_admin_sees_names_masked_phones_shanghai_times_and_hours(self, client, org_admin, volunteer, event):
        shift = shift_of(volunteer, event, 75)
        login(client, org_admin)
        html = client.get(f"/events/{event.id}/shifts").get_data(as_text=True)
        assert "李志愿" in html and "138****5678" in html and "13812345678" not in html
        assert "1.5 小时" in html
        shanghai = shift.ended_at + datetime.timedelta(hours=8)
        assert shanghai.strftime("%H:%M") in html

    def test_the_configured_rule_counts(self, app, client, org_admin, volunteer, event):
        app.config["SHIFT_ROUNDING"] = ((30, "0"),)  # whole hours only, from 30 minutes on
        shift_of(volunteer, event, 75)
        login(client, org_admin)
        assert "1.0 小时" in client.get(f"/events/{event.id}/shifts").get_data(as_text=True)

    def test_a_volunteer_may_not_see_the_roster(self, client, volunteer, event):
        login(client, volunteer)
        assert client.get(f"/events/{event.id}/shifts").status_code == 403
        assert client.get(f"/events/{event.id}/shifts.csv").status_code == 403


class TestCorrection:
    def test_corrected_with_a_reason_and_audited(self, client, org_admin, volunteer, event):
        shift = shift_of(volunteer, event, 10)
        login(client, org_admin)
        response = client.post(f"/shifts/{shift.id}/correct", data={"hours": "2", "reason": "忘记签到，组长确认"},
                               headers=HX)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "2.0 小时" in html and "忘记签到，组长确认" in html
        shift = Shift.get_by_id(shift.id)
        assert shift.corrected_hours == Decimal("2") and shift.corrected_by_id == org_admin.id
        entry = AuditLog.get(AuditLog.action == "shift.correct")
        assert entry.target_id == shift.id and entry.actor_id == org_admin.id and "忘记签到" in entry.detail

    def test_without_a_reason_refused_beside_the_field(self, client, org_admin, volunteer, event):
        shift = shift_of(volunteer, event, 10)
        login(client, org_admin)
        response = client.post(f"/shifts/{shift.id}/correct", data={"hours": "2", "reason": " "})
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and "请填写修改的理由" in html and 'value="2"' in html
        assert Shift.get_by_id(shift.id).corrected_hours is None
        assert AuditLog.select().where(AuditLog.action == "shift.correct").count() == 0

    @pytest.mark.parametrize(("hours", "message"), [
        ("abc", "请填写时长"), ("1.25", "请按半小时填写"), ("30", "0 到 24"), ("-1", "0 到 24"), ("NaN", "0 到 24"),
    ])
    def test_bad_hours_refused(self, client, org_admin, volunteer, event, hours, message):
        shift = shift_of(volunteer, event, 10)
        login(client, org_admin)
        response = client.post(f"/shifts/{shift.id}/correct", data={"hours": hours, "reason": "r"}, headers=HX)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
        assert Shift.get_by_id(shift.id).corrected_hours is None

    def test_without_javascript_back_to_the_roster(self, client, org_admin, volunteer, event):
        shift = shift_of(volunteer, event, 10)
        login(client, org_admin)
        response = client.post(f"/shifts/{shift.id}/correct", data={"hours": "１．５", "reason": "补录"})
        assert response.status_code == 303
        assert Shift.get_by_id(shift.id).corrected_hours == Decimal("1.5")

    def test_a_volunteer_may_not_correct(self, client, volunteer, event):
        shift = shift_of(volunteer, event, 10)
        login(client, volunteer)
        assert client.post(f"/shifts/{shift.id}/correct", data={"hours": "5", "reason": "r"}).status_code == 403
        assert client.post("/shifts/999999/correct", data={"hours": "5", "reason": "r"}).status_code == 404
        assert Shift.get_by_id(shift.id).corrected_hours is None


class TestExport:
    def test_the_csv_for_the_volunteer_platforms(self, client, org_admin, volunteer, event, make_user, org):
        event.title = "=重阳敬老"
        event.save()
        mine = shift_of(volunteer, event, 75)
        other = make_user(name="王", phone="13900001111")
        Membership.create(user=other, organization=org, role="volunteer")
        shift_of(other, event, 10, corrected_hours=Decimal("2"), correction_reason="补录")
        Shift.create(event=event, volunteer=org_admin)  # still signed in: not yet exported
        login(client, org_admin)
        response = client.get(f"/events/{event.id}/shifts.csv")
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        assert rows[0][:2] == ["姓名", "手机号"] and rows[0][-1] == "时长（小时）"
        assert len(rows) == 3
        day = (mine.started_at + datetime.timedelta(hours=8)).strftime("%Y-%m-%d")  # the Shanghai date it began
        by_name = {row[0]: row for row in rows[1:]}
        assert by_name["李志愿"][1] == "13812345678" and by_name["李志愿"][-1] == "1.5"
        assert by_name["李志愿"][2] == "'=重阳敬老" and by_name["李志愿"][3] == day
        assert by_name["王"][-1] == "2.0"
        assert AuditLog.select().where(AuditLog.action == "shift.export").count() == 1
