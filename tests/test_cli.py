"""Command-line tasks: migrations, demo data and its logins, first admin, another district."""
import datetime
import json

import pytest

from models import District, Organization, Street, User
from tests.conftest import login


def test_db_status_lists_the_applied_migrations(runner):
    result = runner.invoke(args=["db", "status"])
    assert result.exit_code == 0
    assert "[x] 0001_initial" in result.output and "[x] 0002_changning_streets" in result.output


def test_seed_demo_then_demo_accounts_cover_every_role_and_log_in(app, runner):
    assert runner.invoke(args=["seed-demo", "--if-empty"]).exit_code == 0
    accounts = json.loads(runner.invoke(args=["demo-accounts", "--json"]).output)
    roles = {a["role"] for a in accounts}
    assert roles == {"district_admin", "street_moderator", "org_admin", "volunteer", "reviewer", "partner"}
    assert all(set(a) == {"role", "phone", "password", "name", "street", "org"} for a in accounts)
    moderators = [a for a in accounts if a["role"] == "street_moderator"]
    assert sorted(a["street"] for a in moderators) == sorted(s.slug for s in Street.select())
    assert all(a["org"] for a in accounts if a["role"] in ("org_admin", "volunteer"))
    assert Organization.select().where(Organization.status == "pending").count() >= 3

    for account in accounts:
        client = app.test_client()
        response = client.post("/login", data={"phone": account["phone"], "password": account["password"]})
        assert response.status_code == 303, account
    moderator = moderators[0]
    client = app.test_client()
    client.post("/login", data={"phone": moderator["phone"], "password": moderator["password"]})
    assert client.get(f"/streets/{moderator['street']}/").status_code == 200
    other = next(a for a in moderators if a["street"] != moderator["street"])
    assert client.get(f"/streets/{other['street']}/").status_code == 404


def test_seed_demo_leaves_a_database_with_accounts_alone(runner, make_user):
    make_user()
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0 and "left as it is" in result.output
    assert User.select().count() == 1


def test_create_admin(runner):
    result = runner.invoke(
        args=["create-admin", "--phone", "13911119999", "--name", "区管理员", "--password", "long-enough"]
    )
    assert result.exit_code == 0, result.output
    admin = User.get(User.phone == "13911119999")
    assert admin.role == "district_admin" and admin.district.code == "310105"
    bad = runner.invoke(args=["create-admin", "--phone", "123", "--name", "x", "--password", "long-enough"])
    assert bad.exit_code != 0 and "11-digit" in bad.output


def test_another_district_is_just_data(app, runner, make_user):
    result = runner.invoke(
        args=[
            "add-district", "310104", "徐汇区",
            "--street", "310104003:tianping:天平路街道",
            "--street", "310104004:hunan:湖南路街道",
        ]
    )
    assert result.exit_code == 0, result.output
    xuhui = District.get(District.code == "310104")
    assert [s.slug for s in xuhui.streets.order_by(Street.code)] == ["tianping", "hunan"]

    runner.invoke(
        args=[
            "create-admin", "--phone", "13911118888", "--name", "徐汇管理员", "--password", "long-enough",
            "--district", "310104",
        ]
    )
    client = app.test_client()
    login(client, User.get(User.phone == "13911118888"))
    html = client.get("/admin/").get_data(as_text=True)
    assert "天平路街道" in html and "新华路街道" not in html
    assert client.get("/streets/tianping/").status_code == 200
    assert client.get("/streets/xinhua/").status_code == 404

    again = runner.invoke(args=["add-district", "310104", "徐汇区"])
    assert again.exit_code != 0 and "exists already" in again.output


def test_end_events_records_past_events_as_ended(runner, make_org, make_event):
    import datetime

    from models import Event

    org = make_org()
    past = make_event(org, status="published", starts_in=-datetime.timedelta(days=1))
    result = runner.invoke(args=["end-events"])
    assert result.exit_code == 0 and "1 events ended." in result.output
    assert Event.get_by_id(past.id).status == "ended"


def test_demo_data_has_a_week_of_events_in_every_status_and_one_open_for_check_in_now(runner):
    import datetime

    from models import EVENT_STATUSES, Event, utcnow

    runner.invoke(args=["seed-demo"])
    statuses = {e.current_status for e in Event.select()}
    assert statuses == set(EVENT_STATUSES)
    now = utcnow()
    open_now = [e for e in Event.select() if e.current_status == "published" and e.checkin_opens_at <= now < e.ends_at]
    assert open_now, "a demo event must be open for check-in when the demo starts"
    assert Event.select().where(Event.checkin_mode == "rotating", Event.status == "published").exists()
    streets = {e.street_id for e in Event.select().where(Event.status == "published")}
    assert len(streets) == 10
    assert max(e.starts_at for e in Event.select()) - now < datetime.timedelta(days=8)


def test_running_the_demo_again_another_day_opens_check_in_again(runner):
    import datetime

    from models import Event, utcnow

    runner.invoke(args=["seed-demo"])
    for event in Event.select():  # a month later
        event.starts_at -= datetime.timedelta(days=30)
        event.ends_at -= datetime.timedelta(days=30)
        event.save()
    now = utcnow()
    assert not [e for e in Event.select() if e.current_status == "published" and e.checkin_opens_at <= now < e.ends_at]
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "check-in open" in result.output
    now = utcnow()
    open_now = [e for e in Event.select() if e.current_status == "published" and e.checkin_opens_at <= now < e.ends_at]
    assert {e.checkin_mode for e in open_now} == {"static", "rotating"}


def test_a_demo_database_from_before_events_gets_its_week_of_events(runner):
    from models import Event

    runner.invoke(args=["seed-demo"])
    Event.delete().execute()
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert Event.select().count() > 20


def test_the_demo_event_that_has_closed_was_this_morning_from_0830_to_1000(runner):
    from blueprints.demo.data import ORGANIZATIONS
    from core.timeutil import local_now, to_local
    from models import Event, Organization, utcnow

    runner.invoke(args=["seed-demo"])
    organization = Organization.get(Organization.name == ORGANIZATIONS[2][1])
    event = organization.events.order_by(Event.id).first()
    start, end = to_local(event.starts_at), to_local(event.ends_at)
    assert (start.time().isoformat(), end.time().isoformat()) == ("08:30:00", "10:00:00")
    assert event.ends_at <= utcnow(), "its check-in must have closed"
    today = local_now().date()
    assert start.date() == (today if local_now().hour >= 10 else today - datetime.timedelta(days=1))


@pytest.mark.parametrize(("local_now", "morning"), [
    ("2026-05-12 14:00", "2026-05-12 08:30"), ("2026-05-12 10:00", "2026-05-12 08:30"),
    ("2026-05-12 09:59", "2026-05-11 08:30"), ("2026-05-12 00:10", "2026-05-11 08:30"),
])
def test_the_morning_event_is_the_latest_morning_already_over(local_now, morning):
    from blueprints.demo.data import morning_start
    from core.timeutil import to_local, to_utc

    now = to_utc(datetime.datetime.fromisoformat(local_now))
    assert to_local(morning_start(now)) == datetime.datetime.fromisoformat(morning)


def test_the_demo_holds_the_years_contest_in_review_and_another_taking_applications(app, runner):
    from models import Campaign

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    contest = Campaign.get(Campaign.name == "第十届长宁区公益创投项目大赛")
    assert contest.published and contest.phase() == "review"
    assert [c.name for c in contest.ordered_categories()] == ["民生服务类", "社区治理类", "公益慈善类"]
    assert sum(c.weight for c in contest.ordered_criteria()) == 100
    innovation = Campaign.get(Campaign.name == "第四届社会组织公益创新创业大赛")
    assert innovation.is_open and sum(c.weight for c in innovation.ordered_criteria()) == 100
    page = app.test_client().get("/campaigns/").get_data(as_text=True)
    assert "第十届长宁区公益创投项目大赛" in page and "第四届社会组织公益创新创业大赛" in page


def test_a_demo_database_from_before_the_contest_gets_it_on_the_next_run(app, runner):
    from models import Assignment, Campaign, Conflict, Event, Proposal, Score

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    Event.update(project=None).execute()
    for model in (Score, Assignment, Conflict, Proposal, Campaign):
        model.delete().execute()
    assert runner.invoke(args=["seed-demo", "--if-empty"]).exit_code == 0
    assert Campaign.select().where(Campaign.name == "第十届长宁区公益创投项目大赛").count() == 1
    assert runner.invoke(args=["seed-demo", "--if-empty"]).exit_code == 0  # and only once
    assert Campaign.select().where(Campaign.kind == "contest").count() == 3
