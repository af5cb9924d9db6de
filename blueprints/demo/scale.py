"""A large generated district on top of the demo (`flask seed-demo --scale large`), to measure the consoles with.

SCALES["large"] is the size issue 13 asks the consoles to stay fast at: 2,000 organizations over the ten streets,
50,000 events over the last three years and the next three months (in every status), 1,000,000 check-ins and
200,000 sign-ups, with reports, volunteers' shifts, audit-log rows and the raw material of every risk signal: dormant
organizations (疑似僵尸), ended events without a report (报告逾期) or without a check-in (零签到), bursts of check-ins
from one device (签到异常), organizations cancelling again and again (频繁取消), 年报 not filed.

Rows are written with insert_many in batches, inside one transaction per table, with ids given here (so no row is
read back), from a random.Random seeded with SEED: the same sizes give the same data, counted from the moment of
seeding. Tokens, hashes and phones come from that generator too. It runs after the small demo (its accounts log in).
"""
import datetime
import hashlib
import random
import time

from peewee import PostgresqlDatabase, fn

from blueprints.demo.data import demo_credit_code
from models import (
    GRADES,
    ORG_KINDS,
    PARTY_ORGS,
    SERVICE_FIELDS,
    AuditLog,
    CheckIn,
    District,
    Event,
    Membership,
    Organization,
    Report,
    Shift,
    Signup,
    Street,
    User,
    db,
    utcnow,
)

SEED = 2026
#: Sizes by name; the CLI's --orgs/--events/--checkins/--signups override them (a test runs it tiny).
SCALES = {
    "large": {"orgs": 2000, "events": 50000, "checkins": 1000000, "signups": 200000},
    "medium": {"orgs": 200, "events": 5000, "checkins": 100000, "signups": 20000},
}
BATCH = 1000
#: Residents who sign up and check in: each phone shows up at several events, so /me/ has something to list.
RESIDENTS_PER_CHECKIN = 5
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
GIVEN = "秀英志强建国美华小红晓明丽娟文静立峰海燕桂兰玉梅"
TITLES = (
    ("elderly", "长者智能手机课堂"), ("culture_sports", "社区合唱排练"), ("governance", "楼组议事会"),
    ("disability", "助残康复活动日"), ("legal_aid", "法律咨询进社区"), ("youth", "青少年科学小实验"),
    ("environment", "旧衣回收与垃圾分类宣传"), ("science", "防诈骗科普讲座"), ("elderly", "银龄茶话会"),
    ("culture_sports", "太极拳晨练"), ("party_building", "党员志愿服务日"), ("other", "邻里节筹备会"),
)
KIND_NAMES = {"social_group": "协会", "social_service": "服务中心", "foundation": "基金会", "community": "志愿服务队"}
FIELD_WORDS = {
    "elderly": "为老", "disability": "助残", "youth": "青少年", "governance": "自治", "culture_sports": "文体",
    "environment": "环保", "legal_aid": "法律", "science": "科普", "party_building": "党建", "other": "公益",
}
VENUES = ("社区文化活动中心 2 楼多功能厅", "党群服务中心 1 楼活动室", "睦邻中心 3 楼会议室", "居委会活动室")


class Ids:
    """The next free id of each table: rows get their ids here, so nothing is read back after an insert."""

    def __init__(self, *models):
        self.next = {m: (m.select(fn.MAX(m.id)).scalar() or 0) + 1 for m in models}

    def take(self, model):
        value = self.next[model]
        self.next[model] = value + 1
        return value


def bulk(model, fields, rows, echo=None):
    """insert_many in batches of BATCH inside one transaction; returns the number of rows written."""
    count, batch = 0, []
    started = time.monotonic()
    with db.atomic():
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                model.insert_many(batch, fields=fields).as_rowcount().execute()
                count += len(batch)
                batch = []
        if batch:
            model.insert_many(batch, fields=fields).as_rowcount().execute()
            count += len(batch)
    if echo:
        echo(f"  {model._meta.table_name}: {count:,} rows in {time.monotonic() - started:.1f} s")
    return count


def fix_sequences(*models):
    """PostgreSQL: the id sequences move past the ids given here (SQLite needs nothing), and the planner's
    statistics are brought up to date at once rather than whenever autovacuum comes by."""
    if isinstance(db.obj, PostgresqlDatabase):
        for model in models:
            table = model._meta.table_name
            db.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))"
            )
            db.execute_sql(f'ANALYZE "{table}"')


def seed_scale(orgs, events, checkins, signups, seed=SEED, echo=None, now=None):
    """Add the generated organizations, events, check-ins, sign-ups, reports, shifts and audit rows."""
    started = time.monotonic()
    world = World(seed, now, echo)
    world.organizations(orgs)
    world.events(events)
    world.checkins(checkins)
    world.signups(signups)
    world.reports()
    bulk(AuditLog, [AuditLog.id, AuditLog.actor, AuditLog.action, AuditLog.target_type, AuditLog.target_id,
                    AuditLog.street, AuditLog.detail, AuditLog.created_at], world.audits, echo)
    fix_sequences(User, Organization, Membership, Event, CheckIn, Signup, Report, Shift, AuditLog)
    if echo:
        echo(f"generated data written in {time.monotonic() - started:.0f} s")


class World:
    """The generator's state: its random numbers, the district, the ids given so far, what later tables refer to."""

    def __init__(self, seed, now, echo):
        self.rng = random.Random(seed)
        self.now = (now or utcnow()).replace(microsecond=0)
        self.echo = echo
        changning = District.get(District.code == "310105")
        self.streets = list(Street.select().where(Street.district == changning).order_by(Street.code))
        self.moderators = {u.street_id: u.id for u in User.select().where(User.role == "street_moderator")}
        self.admin = User.get(User.role == "district_admin").id
        self.ids = Ids(User, Organization, Membership, Event, CheckIn, Signup, Report, Shift, AuditLog)
        self.hashed = User.get(User.phone == "13900000000").password_hash  # every generated account: the demo's
        self.audits, self.org_info, self.event_info, self.held = [], [], [], []
        self.residents = 50

    def token(self, n=24):
        return f"{self.rng.getrandbits(n * 8):0{n * 2}x}"

    def audit(self, actor, action, kind, target, street, at):
        self.audits.append((self.ids.take(AuditLog), actor, action, kind, target, street, "", at))

    # --- accounts and organizations -------------------------------------------------------------------------

    def organizations(self, count):
        rng, now, ids = self.rng, self.now, self.ids
        people, rows, members = [], [], []
        for n in range(count):
            street = self.streets[n % len(self.streets)]
            kind = ORG_KINDS[rng.randrange(len(ORG_KINDS))]
            fields = rng.sample(SERVICE_FIELDS, rng.choice((1, 1, 2, 3)))
            status = _pick(rng, (("active", 0.86), ("pending", 0.04), ("flagged", 0.04), ("closed", 0.03),
                                 ("declined", 0.03)))
            created = now - datetime.timedelta(days=rng.randint(30, 6 * 365))
            graded = status == "active" and rng.random() < 0.15
            admin_id, volunteer_id, org_id = ids.take(User), ids.take(User), ids.take(Organization)
            admin_name = SURNAMES[rng.randrange(20)] + GIVEN[2 * rng.randrange(8):][:2]
            admin_phone = f"150{org_id:08d}"  # by id: a second seeding adds more, no phone twice
            volunteer_name = SURNAMES[rng.randrange(20)] + "小" + GIVEN[rng.randrange(16)]
            people.append((admin_id, admin_name, admin_phone, self.hashed, "member", self.token(32), created))
            people.append((volunteer_id, volunteer_name, f"151{org_id:08d}", self.hashed, "member", self.token(32),
                           created))
            reviewed = status != "pending"
            rows.append((
                org_id, f"{street.name}{'、'.join(FIELD_WORDS[f] for f in fields)}{KIND_NAMES[kind]}{org_id:04d}",
                kind, None if kind == "community" else demo_credit_code(kind, 1000000 + org_id), street.id,
                ",".join(fields), PARTY_ORGS[rng.randrange(len(PARTY_ORGS))], admin_name, admin_phone,
                rng.choice(GRADES) if graded else None, now.year - rng.randint(0, 4) if graded else None,
                # 年报: most filed last year's, some are a year behind (年报未交).
                (now.year - 1 if rng.random() < 0.7 else now.year - 2) if status == "active" else None,
                status, admin_id, created, self.admin if reviewed else None,
                created + datetime.timedelta(days=3) if reviewed else None,
            ))
            members.append((ids.take(Membership), admin_id, org_id, "admin", created))
            members.append((ids.take(Membership), volunteer_id, org_id, "volunteer", created))
            self.audit(admin_id, "organization.register", "organization", org_id, street.id, created)
            self.org_info.append((org_id, street.id, status, admin_id, volunteer_id))
        bulk(User, [User.id, User.name, User.phone, User.password_hash, User.role, User.session_token,
                    User.created_at], people, self.echo)
        bulk(Organization, [
            Organization.id, Organization.name, Organization.kind, Organization.credit_code, Organization.street,
            Organization.service_fields, Organization.party_org, Organization.contact_name,
            Organization.contact_phone, Organization.grade, Organization.grade_year, Organization.annual_report_year,
            Organization.status, Organization.created_by, Organization.created_at, Organization.reviewed_by,
            Organization.reviewed_at,
        ], rows, self.echo)
        bulk(Membership, [Membership.id, Membership.user, Membership.organization, Membership.role,
                          Membership.created_at], members, self.echo)

    # --- events ---------------------------------------------------------------------------------------------

    def events(self, count):
        """Over the last three years and the next three months. Active, flagged and (in the past) closed
        organizations run them, some far more than others; a few are dormant (nothing in the last 200 days: 疑似僵尸),
        a few cancel again and again (频繁取消)."""
        rng = self.rng
        runners = [o for o in self.org_info if o[2] in ("active", "flagged", "closed")]
        if not runners:
            return
        weights = [0.05 + rng.random() ** 2 for _ in runners]
        dormant = {o[0] for o in runners if rng.random() < 0.05}
        cancelling = {o[0] for o in runners if rng.random() < 0.02}
        rows = [self.event(org, org[0] in dormant, org[0] in cancelling)
                for org in rng.choices(runners, weights=weights, k=count)]
        bulk(Event, [
            Event.id, Event.organization, Event.title, Event.description, Event.category, Event.starts_at,
            Event.ends_at, Event.venue, Event.street, Event.capacity, Event.signup_enabled,
            Event.checkin_lead_minutes, Event.checkin_mode, Event.checkin_token, Event.status, Event.return_reason,
            Event.cancel_reason, Event.created_by, Event.created_at, Event.updated_at, Event.published_at,
            Event.published_by,
        ], rows, self.echo)
        self.held = [e for e in self.event_info if e[5] in ("ended", "reported", "published") and e[4] <= self.now]

    def event(self, org, dormant, cancelling):
        rng, now = self.rng, self.now
        org_id, street_id, _status, admin_id, volunteer_id = org
        if not dormant and rng.random() < 0.1:
            offset = datetime.timedelta(days=rng.uniform(0, 90))
        else:
            offset = -datetime.timedelta(days=rng.uniform(200 if dormant else 0.2, 3 * 365))
        # 9:00, 10:00, 14:00, 15:00 or 19:00 in Shanghai (naive UTC here), on the hour or half past.
        starts = (now + offset).replace(hour=rng.choice((1, 2, 6, 7, 11)), minute=rng.choice((0, 30)), second=0)
        ends = starts + datetime.timedelta(minutes=rng.choice((60, 90, 120, 180)))
        if ends > now:
            status = _pick(rng, (("published", 0.7), ("submitted", 0.12), ("draft", 0.06), ("returned", 0.04),
                                 ("cancelled", 0.08)))
        else:
            status = _pick(rng, (("reported", 0.6), ("ended", 0.28), ("published", 0.04), ("cancelled", 0.06),
                                 ("returned", 0.02)))
        if cancelling and now - datetime.timedelta(days=90) < starts < now + datetime.timedelta(days=30):
            status = "cancelled"
        event_id = self.ids.take(Event)
        category, title = TITLES[rng.randrange(len(TITLES))]
        signup = rng.random() < 0.35
        published = status in ("published", "ended", "reported", "cancelled")
        created_at = starts - datetime.timedelta(days=rng.randint(3, 20))
        published_at = created_at + datetime.timedelta(days=1) if published else None
        updated_at = created_at
        if status == "cancelled":
            updated_at = min(now, starts) - datetime.timedelta(hours=rng.randint(1, 48))
            self.audit(admin_id, "event.cancel", "event", event_id, street_id, updated_at)
        elif published:
            self.audit(self.moderators.get(street_id), "event.publish", "event", event_id, street_id, published_at)
        self.event_info.append((event_id, org_id, street_id, starts, ends, status, signup, admin_id, volunteer_id))
        return (
            event_id, org_id, title, "", category, starts, ends, VENUES[rng.randrange(len(VENUES))], street_id,
            rng.choice((None, 30, 50, 100)), signup, 30, "static", self.token(24), status,
            "请补充安全预案。" if status == "returned" else None,
            "因天气原因取消，改期另行通知。" if status == "cancelled" else None,
            admin_id, created_at, updated_at, published_at, self.moderators.get(street_id) if published else None,
        )

    # --- check-ins and sign-ups -----------------------------------------------------------------------------

    def checkins(self, count):
        """Over the events held. About one in 40 has none (零签到); three have 3,000 each (a large roster); one in
        a hundred of those with 25 or more had a burst of 25 from one device within a minute (签到异常)."""
        rng = self.rng
        attended = [e for e in self.held if rng.random() >= 0.025]
        big = attended[-3:] if count >= 30000 else []
        self.residents = max(count // RESIDENTS_PER_CHECKIN, 50)
        counts = _spread(rng, count - 3000 * len(big), attended[:len(attended) - len(big)])
        counts.update({e[0]: 3000 for e in big})
        by_id = {e[0]: e for e in attended}

        def rows():
            for event_id, n in counts.items():
                yield from self.checkins_of(by_id[event_id], min(n, self.residents))

        bulk(CheckIn, [CheckIn.id, CheckIn.event, CheckIn.name, CheckIn.phone, CheckIn.minor, CheckIn.method,
                       CheckIn.number, CheckIn.device, CheckIn.address, CheckIn.consent_at, CheckIn.created_at],
             rows(), self.echo)

    def checkins_of(self, event, count):
        rng = self.rng
        event_id, _o, _s, starts, ends, *_ = event
        burst = count >= 25 and rng.random() < 0.01
        burst_device = self.token(32)
        span = int((ends - starts).total_seconds()) + 1800
        moments = sorted(rng.randrange(span) for _ in range(count))
        for number, (resident, second) in enumerate(
                zip(rng.sample(range(self.residents), count), moments, strict=True), start=1):
            at = starts + datetime.timedelta(seconds=second - 1800)
            device = _hex(resident, 64)
            if burst and number <= 25:
                at, device = starts + datetime.timedelta(seconds=2 * number), burst_device
            yield (self.ids.take(CheckIn), event_id, SURNAMES[resident % 20] + GIVEN[resident % 16],
                   f"18{resident:09d}", False, "qr" if number % 10 else "manual", number, device,
                   _hex(resident // 7, 32), at, at)

    def signups(self, count):
        rng = self.rng
        open_for_signup = [e for e in self.event_info
                           if e[6] and e[5] in ("published", "ended", "reported", "cancelled")]
        counts = _spread(rng, count, open_for_signup)
        starts_of = {e[0]: e[3] for e in open_for_signup}

        def rows():
            for event_id, n in counts.items():
                for place, resident in enumerate(rng.sample(range(self.residents), min(n, self.residents))):
                    at = starts_of[event_id] - datetime.timedelta(days=2, seconds=rng.randrange(86400 * 5))
                    status = "cancelled" if place % 17 == 16 else "waitlist" if place >= 60 else "confirmed"
                    yield (self.ids.take(Signup), event_id, SURNAMES[resident % 20] + GIVEN[resident % 16],
                           f"18{resident:09d}", status, self.token(24), at, at,
                           at + datetime.timedelta(hours=5) if status == "cancelled" else None)

        bulk(Signup, [Signup.id, Signup.event, Signup.name, Signup.phone, Signup.status, Signup.token,
                      Signup.consent_at, Signup.created_at, Signup.cancelled_at], rows(), self.echo)

    # --- reports and shifts ---------------------------------------------------------------------------------

    def reports(self):
        """已报告 events have an accepted report. Of the other ended ones, those of the last 45 days wait in the
        street's queue, are drafts or were returned; older ones were accepted, or never came (报告逾期)."""
        rng, now = self.rng, self.now
        reports, shifts = [], []
        for event_id, _org, street_id, starts, ends, status, _s, admin_id, volunteer_id in self.held:
            recent = now - ends < datetime.timedelta(days=45)
            if status == "reported":
                state = "accepted"
            elif recent:
                state = _pick(rng, (("submitted", 0.55), ("returned", 0.05), ("draft", 0.1), (None, 0.3)))
            else:
                state = _pick(rng, (("accepted", 0.8), (None, 0.2)))
            if state:
                submitted = min(now, ends + datetime.timedelta(days=rng.randint(1, 12))) if state != "draft" else None
                decided = state in ("accepted", "returned")
                reports.append((
                    self.ids.take(Report), event_id, state, None, "", rng.randint(10, 80), "居民参与积极，反响良好。",
                    "", "请补充活动照片。" if state == "returned" else "", submitted,
                    self.moderators.get(street_id) if decided else None, submitted if decided else None, admin_id,
                    ends, submitted or ends,
                ))
            if rng.random() < 0.3:
                shifts.append((self.ids.take(Shift), event_id, volunteer_id, starts - datetime.timedelta(minutes=20),
                               ends + datetime.timedelta(minutes=10), "", starts))
        bulk(Report, [Report.id, Report.event, Report.status, Report.attendance, Report.attendance_reason,
                      Report.beneficiaries, Report.outcomes, Report.problems, Report.return_note,
                      Report.submitted_at, Report.decided_by, Report.decided_at, Report.created_by,
                      Report.created_at, Report.updated_at], reports, self.echo)
        bulk(Shift, [Shift.id, Shift.event, Shift.volunteer, Shift.started_at, Shift.ended_at,
                     Shift.correction_reason, Shift.created_at], shifts, self.echo)


def _pick(rng, choices):
    """One of the (value, share) ``choices`` (shares summing to 1)."""
    roll = rng.random()
    for value, part in choices:
        roll -= part
        if roll < 0:
            return value
    return choices[-1][0]


def _spread(rng, total, events):
    """{event id: count} summing to ``total``, uneven like real attendance (a few large events, many small)."""
    if not events or total <= 0:
        return {}
    weights = [rng.random() ** 3 + 0.1 for _ in events]
    scale = total / sum(weights)
    counts = {e[0]: int(w * scale) for e, w in zip(events, weights, strict=True)}
    short = total - sum(counts.values())
    for e in events[:short]:
        counts[e[0]] += 1
    return {k: v for k, v in counts.items() if v}


def _hex(n, length):
    """A stand-in for the app's keyed hashes (device, address): stable per resident."""
    return hashlib.blake2b(str(n).encode(), digest_size=length // 2).hexdigest()
