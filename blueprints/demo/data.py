"""Demo data: a believable district to click through on first run. Every account shares DEMO_PASSWORD."""

import datetime

from blueprints.demo import contests, month, reports
from blueprints.signals import operations as signal_operations
from core.timeutil import local_now, to_local, to_utc
from core.validators import credit_code_check_digit
from models import AuditLog, Campaign, District, Event, Membership, Organization, Signup, Street, User, db, utcnow

DEMO_PASSWORD = "ningshe2026"

#: (street slug, name, kind, service fields, party organization, status)
ORGANIZATIONS = [
    ("huayang", "华阳路街道睦邻互助会", "community", "elderly,governance", "joint_branch", "active"),
    ("huayang", "长宁区华阳老年大学校友会", "social_group", "elderly,culture_sports", "own_branch", "active"),
    ("jiangsu", "江苏路街道愚园路历史风貌宣讲队", "community", "culture_sports", "instructor", "active"),
    ("jiangsu", "长宁区助残志愿者协会", "social_group", "disability", "own_branch", "active"),
    ("xinhua", "新华路街道法律服务志愿队", "community", "legal_aid,governance", "joint_branch", "active"),
    ("xinhua", "上海市长宁区新华社区青少年发展中心", "social_service", "youth,science", "instructor", "active"),
    ("xinhua", "新华路梧桐树下读书会", "community", "culture_sports", "none", "pending"),
    ("zhoujiaqiao", "周家桥街道绿色家园环保社", "community", "environment", "none", "active"),
    ("zhoujiaqiao", "长宁区周家桥为老服务中心", "social_service", "elderly", "own_branch", "active"),
    ("tianshan", "天山路街道楼组自治促进会", "community", "governance", "joint_branch", "active"),
    ("tianshan", "天山社区科普志愿服务队", "community", "science", "none", "pending"),
    ("xianxia", "仙霞新村夕阳红志愿服务队", "community", "elderly", "joint_branch", "active"),
    ("xianxia", "长宁区仙霞社区睦邻文化发展中心", "social_service", "culture_sports,governance",
     "instructor", "active"),
    ("hongqiao", "虹桥街道国际社区融合服务社", "community", "governance", "instructor", "active"),
    ("hongqiao", "长宁区公益伙伴发展基金会", "foundation", "other", "own_branch", "active"),
    ("chengjiaqiao", "程家桥街道乐龄健身队", "community", "elderly,culture_sports", "none", "active"),
    ("beixinjing", "北新泾街道幸福里调解工作室", "community", "legal_aid", "joint_branch", "active"),
    ("beixinjing", "北新泾社区亲子成长营", "community", "youth", "none", "pending"),
    ("xinjing", "新泾镇爱心助餐志愿队", "community", "elderly", "joint_branch", "active"),
    ("xinjing", "长宁区新泾社会工作服务社", "social_service", "elderly,disability,youth", "own_branch", "active"),
]

SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"


def demo_credit_code(kind, n):
    """A valid-looking code: 51/52/53 for the civil-affairs registered kinds, then 310105, then a serial."""
    prefix = {"social_group": "51", "social_service": "52", "foundation": "53"}[kind]
    first17 = f"{prefix}310105MJ{n:07d}"
    return first17 + credit_code_check_digit(first17)


def _user(name, phone, role="member", **extra):
    user = User(name=name, phone=phone, role=role, **extra)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def seed_demo():
    """Accounts for every role, twenty organizations across the ten streets, a week of their events."""
    changning = District.get(District.code == "310105")
    streets = {s.slug: s for s in Street.select().where(Street.district == changning)}
    with db.atomic():
        admin = _user("王建华", "13900000000", "district_admin", district=changning)
        moderators = {}
        for i, street in enumerate(sorted(streets.values(), key=lambda s: s.code), start=1):
            moderators[street.id] = _user(
                f"{SURNAMES[i]}{street.name[:2]}管理员", f"139000000{i:02d}", "street_moderator", street=street
            )
        for i, (slug, name, kind, fields, party, status) in enumerate(ORGANIZATIONS, start=1):
            org_admin = _user(f"{SURNAMES[i % 20]}秀英" if i % 2 else f"{SURNAMES[i % 20]}志强", f"138000000{i:02d}")
            organization = Organization.create(
                name=name, kind=kind, street=streets[slug], service_fields=fields, party_org=party, status=status,
                credit_code=None if kind == "community" else demo_credit_code(kind, i),
                contact_name=org_admin.name, contact_phone=org_admin.phone, created_by=org_admin,
                reviewed_by=None if status == "pending" else admin,
                reviewed_at=None if status == "pending" else utcnow(),
                grade="3A" if kind != "community" else None,
            )
            Membership.create(user=org_admin, organization=organization, role="admin")
            volunteer = _user(f"{SURNAMES[(i + 7) % 20]}小{'红明'[i % 2]}", f"137000000{i:02d}")
            Membership.create(user=volunteer, organization=organization, role="volunteer")
            AuditLog.record(org_admin, "organization.register", organization, street=organization.street)
        seed_events(moderators)
        seed_contests(admin)
        seed_month(admin)
        seed_reports(admin)
    # The signals a fresh demo shows (the scheduled command recomputes them nightly).
    signal_operations.refresh(district=changning)


def seed_reports(admin):
    """Ended events with their reports in every state, and the projects' mid-term reports (reports.py)."""
    return reports.seed_reports(admin, [row[1] for row in ORGANIZATIONS], _user)


def refresh_reports():
    """A demo database from before the reports gets them; one that has them sees them moved to today."""
    seed_reports(User.get(User.phone == "13900000000"))
    reports.move_to_today()


def seed_month(admin):
    """The 第十七届公益伙伴月 running now (month.py), with its sign-ups, events, partners and 资源对接."""
    return month.seed_month(admin, [row[1] for row in ORGANIZATIONS], _user)


def refresh_month():
    """A demo database from before the partner month gets it; one that has it sees it moved to today."""
    if month.move_to_today() is None:
        seed_month(User.get(User.phone == "13900000000"))


def seed_contests(admin, only_missing=False):
    """The 公益创投 contests (contests.py): last year's with its projects, this year's in review, the innovation
    contest taking applications."""
    return contests.seed_contests(admin, [row[1] for row in ORGANIZATIONS], _user, only_missing=only_missing)


#: (category, title, description) of the activities organizations run week after week.
ACTIVITIES = [
    ("elderly", "长者智能手机课堂", "手把手教您用微信视频、扫码乘车和网上挂号。请带上自己的手机。"),
    ("culture_sports", "社区合唱排练", "排练《我和我的祖国》，欢迎会唱歌、爱唱歌的居民加入。"),
    ("governance", "楼组议事会", "商量加装电梯和非机动车停放的事，请各楼组长和居民代表参加。"),
    ("disability", "助残康复活动日", "康复师现场指导，适合行动不便的居民和家属。"),
    ("legal_aid", "法律咨询进社区", "律师志愿者现场解答赡养、租房、遗嘱等问题。"),
    ("youth", "青少年科学小实验", "用家里常见的材料做小实验，适合 8 到 12 岁的孩子，请家长陪同。"),
    ("environment", "旧衣回收与垃圾分类宣传", "带上不穿的旧衣服，现场学习垃圾分类。"),
    ("science", "防诈骗科普讲座", "民警讲解最新的电信诈骗手法，教您守好养老钱。"),
    ("elderly", "银龄茶话会", "喝茶聊天，结交新朋友。"),
    ("culture_sports", "太极拳晨练", "零基础可参加，请穿宽松衣服和平底鞋。"),
]
VENUES = ("社区文化活动中心 2 楼多功能厅", "党群服务中心 1 楼活动室", "睦邻中心 3 楼会议室")


#: The first three events happen today, whenever the demo starts: minutes from now to their start, or None for
#: the morning one.
TODAY = (-30, 10, None)
#: The morning event, 08:30–10:00 Shanghai time, whose check-in has closed.
MORNING, MORNING_LENGTH = datetime.time(8, 30), datetime.timedelta(minutes=90)


def morning_start(now=None):
    """This morning's 08:30 (naive UTC) once its event is over, else yesterday's: always earlier and already over."""
    local = to_local(now or utcnow())
    start = datetime.datetime.combine(local.date(), MORNING)
    if start + MORNING_LENGTH > local:
        start -= datetime.timedelta(days=1)
    return to_utc(start)


def today_start(i):
    """Open for check-in now (started half an hour ago); the rotating one, starting in ten minutes; one over."""
    if TODAY[i] is None:
        return morning_start()
    return utcnow().replace(second=0, microsecond=0) + datetime.timedelta(minutes=TODAY[i])


def today_length(i, event=None):
    """How long a 'today' event lasts: the morning one 90 minutes, the others as long as they were seeded."""
    return MORNING_LENGTH if TODAY[i] is None else event.ends_at - event.starts_at


def refresh_today():
    """Move the demo's three 'today' events to today again, so check-in is open whenever `make run` starts.

    Returns False when this database is not the demo's.
    """
    organizations = [Organization.get_or_none(Organization.name == o[1]) for o in ORGANIZATIONS[:3]]
    if None in organizations or not User.select().where(User.phone == "13900000000").exists():
        return False
    refresh_month()
    with db.atomic():
        if not Event.select().where(Event.organization.in_(organizations)).exists():
            # A demo database from before events existed: give it its week of events.
            moderators = {u.street_id: u for u in User.select().where(User.role == "street_moderator")}
            seed_events(moderators)
            seed_missing_contests()
            refresh_reports()
            return True
        if not seed_missing_contests():
            contests.move_to_today()
        for i, organization in enumerate(organizations):
            event = organization.events.order_by(Event.id).first()
            length = today_length(i, event)
            event.starts_at = today_start(i)
            event.ends_at, event.status = event.starts_at + length, "published"
            event.save()
        refresh_reports()
    return True


def seed_missing_contests():
    """A demo database from before the contests (or from when the 10th was still taking applications, with no
    proposal yet) gets them; one that has them is left alone."""
    tenth = Campaign.get_or_none(Campaign.name == contests.TENTH_CONTEST["name"])
    if tenth is not None and not tenth.proposals.exists() and tenth.results_published_at is None:
        tenth.delete_instance(recursive=True)
    return seed_contests(User.get(User.phone == "13900000000"), only_missing=True)


def seed_events(moderators):
    """A believable week of events across the ten streets, in every status, around the moment of seeding.

    Some are on today, with check-in open now, so a new user can walk the whole path at once.
    """
    organizations = Organization.select().where(Organization.status == "active").order_by(Organization.id)
    today = local_now()
    now = utcnow()
    # (day offset, local start hour, duration in hours, status); the first three happen today.
    plan = [
        (0, None, 2, "published"), (0, None, 3, "published"), (0, None, 1.5, "published"),
        (1, 9, 2, "published"), (2, 14, 2, "published"), (3, 9, 1, "submitted"), (4, 15, 2, "published"),
        (5, 9, 2, "draft"), (6, 14, 2, "returned"), (-2, 14, 2, "ended"), (-3, 9, 2, "reported"),
        (2, 19, 2, "cancelled"), (1, 14, 2, "submitted"), (3, 14, 2, "published"), (4, 9, 2, "published"),
        (-1, 9, 2, "ended"), (5, 14, 2, "submitted"),
    ]
    # A second activity for each organization later in the week: most are published.
    plan += [
        (1 + i % 6, (9, 10, 14, 15, 19)[i % 5], 2, ("published", "published", "published", "submitted")[i % 4])
        for i in range(len(plan))
    ]
    organizations = [*organizations] * 2
    for i, (organization, (day, hour, hours, status)) in enumerate(zip(organizations, plan, strict=False)):
        category, title, description = ACTIVITIES[i % len(ACTIVITIES)]
        if i < len(TODAY):
            start_local = to_local(today_start(i))
        else:
            start_local = datetime.datetime.combine(
                (today + datetime.timedelta(days=day)).date(), datetime.time(hour, 0)
            )
        starts_at = to_utc(start_local)
        admin = organization.memberships.where(Membership.role == "admin").get().user
        moderator = moderators[organization.street_id]
        event = Event.create(
            organization=organization, title=title, description=description, category=category,
            starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=hours),
            venue=f"{organization.street.name}{VENUES[i % len(VENUES)]}", street=organization.street,
            capacity=(30, None, 50, 20)[i % 4], signup_enabled=i % 4 in (0, 3),
            checkin_mode="rotating" if i == 1 else "static",
            status=status, created_by=admin,
            published_at=now if status in ("published", "ended", "reported", "cancelled") else None,
            published_by=moderator if status in ("published", "ended", "reported", "cancelled") else None,
            return_reason="请写明活动的具体房间号，并补充安全预案。" if status == "returned" else None,
            cancel_reason="因台风预警，活动取消，改期另行通知。" if status == "cancelled" else None,
        )
        AuditLog.record(admin, "event.draft", event, street=event.street)
        if event.signup_enabled and status == "published":
            for n in range(min(event.capacity or 8, 8)):
                Signup.create(event=event, name=f"{SURNAMES[(n + i) % 20]}阿姨", phone=f"136{i:04d}{n:04d}")


def demo_accounts():
    """Every demo account as {role, phone, password, name, street, org}."""
    rows = []
    staff = User.select().where(User.role != "member", User.phone.startswith("1390000")).order_by(User.phone)
    for user in staff:
        rows.append(_row(user.role, user, user.street.slug if user.street_id else None, None))
    for user in User.select().where(User.role == "partner", User.phone.startswith("1360000")).order_by(User.phone):
        rows.append(_row("partner", user, None, None))
    memberships = (
        Membership.select(Membership, User, Organization)
        .join(User)
        .switch(Membership)
        .join(Organization)
        .where(User.phone.startswith("13800000") | User.phone.startswith("13700000"))
        .order_by(Membership.role, User.phone)
    )
    for m in memberships:
        role = "org_admin" if m.role == "admin" else "volunteer"
        rows.append(_row(role, m.user, m.organization.street.slug, m.organization.name))
    return rows


def _row(role, user, street, org):
    return {
        "role": role, "phone": user.phone, "password": DEMO_PASSWORD, "name": user.name, "street": street, "org": org
    }
