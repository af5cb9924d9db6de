"""`flask seed-demo --scale …`: a generated district on top of the demo, the same every time, whose console pages
make as many queries however large it grows (bench/consoles.py measures the real sizes)."""
import datetime
import re

import pytest
from peewee import fn

from blueprints.demo import scale
from blueprints.demo.data import DEMO_PASSWORD
from models import AuditLog, CheckIn, Event, Membership, Organization, Report, Shift, Signup, User, db, utcnow

TINY = ["--orgs", "12", "--events", "150", "--checkins", "900", "--signups", "240"]


@pytest.fixture
def seeded(app, runner):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    return app


def counts():
    return {m.__name__: m.select().count() for m in (Organization, Event, CheckIn, Signup, Report, Shift, AuditLog)}


def test_seed_demo_with_sizes_adds_exactly_that_many(app, runner):
    result = runner.invoke(args=["seed-demo", *TINY])
    assert result.exit_code == 0, result.output
    assert "generated data loaded: 12 orgs, 150 events, 900 checkins, 240 signups." in result.output
    demo_orgs = 20
    assert Organization.select().count() == demo_orgs + 12
    generated = Event.select().join(Organization).where(Organization.contact_phone.startswith("150"))
    assert generated.count() == 150
    assert CheckIn.select().where(CheckIn.event.in_(generated)).count() == 900
    assert Signup.select().where(Signup.event.in_(generated)).count() == 240
    # Every status, in the past and to come; reports on some ended events, none on others.
    statuses = {e.status for e in generated}
    assert {"published", "ended", "reported", "cancelled"} <= statuses
    now = utcnow()
    assert generated.where(Event.starts_at > now).exists()
    assert generated.where(Event.starts_at < now - datetime.timedelta(days=365)).exists()
    assert Report.select().where(Report.event.in_(generated)).exists()


def test_generated_checkins_are_numbered_without_gaps_and_accounts_log_in(app, runner, client):
    assert runner.invoke(args=["seed-demo", *TINY]).exit_code == 0
    per_event = (CheckIn.select(CheckIn.event, fn.COUNT(CheckIn.id), fn.MAX(CheckIn.number), fn.MIN(CheckIn.number))
                 .group_by(CheckIn.event).tuples())
    for _event, n, highest, lowest in per_event:
        assert (lowest, highest) == (1, n)
    # No check-in before an event's check-in opened, none at an event that has not started.
    assert not CheckIn.select().join(Event).where(Event.starts_at > utcnow()).exists()
    organization = Organization.select().where(Organization.contact_phone.startswith("150")).first()
    answer = client.post("/login", data={"phone": organization.contact_phone, "password": DEMO_PASSWORD})
    assert answer.status_code in (302, 303)
    assert organization.name in client.get(f"/orgs/{organization.id}/").get_data(as_text=True)


def test_the_same_sizes_give_the_same_data(seeded):
    now = utcnow().replace(microsecond=0)
    before = {m: m.select(fn.MAX(m.id)).scalar() or 0
              for m in (User, Organization, Membership, Event, CheckIn, Signup, Report, Shift, AuditLog)}

    def snapshot():
        events = list(Event.select(Event.title, Event.starts_at, Event.status, Event.checkin_token)
                      .where(Event.id > before[Event]).order_by(Event.id).tuples())
        checkins = list(CheckIn.select(CheckIn.phone, CheckIn.number, CheckIn.created_at)
                        .where(CheckIn.id > before[CheckIn]).order_by(CheckIn.id).tuples())
        orgs = list(Organization.select(Organization.name, Organization.status, Organization.grade)
                    .where(Organization.id > before[Organization]).order_by(Organization.id).tuples())
        return events, checkins, orgs

    scale.seed_scale(orgs=8, events=60, checkins=300, signups=80, now=now)
    first = snapshot()
    with db.atomic():
        for model in (CheckIn, Signup, Report, Shift, AuditLog, Event, Membership, Organization, User):
            model.delete().where(model.id > before[model]).execute()
    scale.seed_scale(orgs=8, events=60, checkins=300, signups=80, now=now)
    assert snapshot() == first
    assert len(first[0]) == 60 and len(first[1]) == 300


PAGES = [
    ("moderator", "/streets/huayang/"),
    ("moderator", "/streets/huayang/orgs"),
    ("moderator", "/streets/huayang/charts"),
    ("moderator", "/streets/huayang/signals"),
    ("admin", "/admin/"),
    ("admin", "/admin/charts"),
    ("admin", "/admin/signals"),
    ("resident", "/events/"),
]


def statements(app, client, path):
    seen = []
    original = db.obj.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        seen.append(sql)
        return original(sql, params, *args, **kwargs)

    db.obj.execute_sql = counting
    try:
        answer = client.get(path)
    finally:
        del db.obj.execute_sql
    return answer.status_code, len(seen)


def test_console_pages_make_as_many_queries_when_the_district_grows(seeded, runner):
    from blueprints.signals.operations import refresh
    from models import District

    rules = {r.rule for r in seeded.url_map.iter_rules()}
    pages = [(who, path) for who, path in PAGES
             if path in rules or path.replace("huayang", "<slug>") in rules]
    clients = {}
    for who, phone in (("moderator", "13900000001"), ("admin", "13900000000"), ("resident", None)):
        clients[who] = seeded.test_client()
        if phone:
            assert clients[who].post("/login", data={"phone": phone, "password": DEMO_PASSWORD}).status_code == 303

    def measure():
        with seeded.app_context():
            refresh(district=District.get(District.code == "310105"))
        result = {}
        for who, path in pages:
            statements(seeded, clients[who], path)  # warm: a first request may fill caches
            result[path] = statements(seeded, clients[who], path)
        return result

    scale.seed_scale(orgs=10, events=120, checkins=600, signups=100)
    small = measure()
    scale.seed_scale(orgs=30, events=600, checkins=4000, signups=600, seed=7)
    large = measure()
    assert all(status == 200 for status, _ in small.values()), small
    assert large == small


def test_a_long_queue_shows_its_oldest_items_and_how_many_wait(seeded, monkeypatch):
    from blueprints.streets import views

    monkeypatch.setattr(views, "QUEUE_SHOWN", 2)
    moderator = User.get(User.phone == "13900000001")
    organization = Organization.get(Organization.street == moderator.street_id, Organization.status == "active")
    waiting = Event.select().where(Event.street == moderator.street_id, Event.status == "submitted").count()
    for n in range(3):
        starts = utcnow() + datetime.timedelta(days=n + 1)
        Event.create(organization=organization, title=f"待审活动{n}", category="elderly", venue="活动室",
                     street=moderator.street_id, status="submitted", starts_at=starts,
                     ends_at=starts + datetime.timedelta(hours=2))
    client = seeded.test_client()
    client.post("/login", data={"phone": moderator.phone, "password": DEMO_PASSWORD})
    html = client.get(f"/streets/{moderator.street.slug}/").get_data(as_text=True)
    queue = html.split('id="event-queue"')[1].split("</section>")[0]
    assert len(re.findall(r'class="queue-row"', queue)) == 2
    assert f"这里显示最早的 2 项，共 {waiting + 3} 项" in queue
