"""The demo's 第十七届公益伙伴月, running whenever the demo is seeded: it began ten days ago and ends in twenty, its
sign-up window still open for a few days.

A dozen organizations signed up across the ten streets (most confirmed by their street, one waiting, one returned
with what to change); their events tagged to the month across its days: held ones with check-ins (some reported),
some going on now with residents checking in, more to come; two partner accounts (a bank branch, a foundation); needs
and offers of 资源对接, published, one waiting for its street, one matched, with responses.

Like contests.py, every date counts in days from today's midnight (Shanghai) and the rows are written straight to the
models, as the organizations, streets and partners would have left them. move_to_today() moves the whole month on
another day, and the events "on now" back to the present.
"""
import datetime
import io
import logging

from PIL import Image, ImageDraw
from werkzeug.datastructures import FileStorage

from blueprints.demo.contests import day
from core.timeutil import local_now
from core.uploads import UploadRefused, store_photo
from models import (
    Campaign,
    CheckIn,
    District,
    Event,
    Membership,
    MonthEntry,
    Need,
    Organization,
    Response,
    User,
    db,
    utcnow,
)

log = logging.getLogger(__name__)

SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"

MONTH = {
    "name": "第十七届公益伙伴月",
    "theme": "携手同行 · 公益有你",
    "description": (
        "一年一度的长宁区公益伙伴月来了！一个月里，全区十个街镇的社会组织、爱心企业、基金会和居民在一场场公益活动中"
        "相识相知：为老服务、助残、青少年成长、环保、法律援助……欢迎走进家门口的活动，扫码签到，留下您的一份力量。"
        "社会组织还可以在“资源对接”里发布需求、提供资源，寻找一起做事的伙伴。"
    ),
}
#: Days from today's midnight: sign-up opened a month ago and closes in four days; the month runs from ten days
#: ago to the midnight twenty days on.
MONTH_DAYS = {"application_opens_at": -30, "application_closes_at": 4, "starts_at": -10, "ends_at": 20}

#: (name, phone, affiliation): the partner accounts the district admin created.
PARTNERS = [("赵敏", "13600000001", "某银行长宁支行"), ("钱立群", "13600000002", "某公益基金会")]

#: (organization number (its admin's 138000000NN), status, theme, planned events, the street's note).
ENTRIES = [
    (1, "confirmed", "邻里守望 · 独居老人关爱行动", 4, ""),
    (3, "confirmed", "漫步愚园路 · 历史风貌讲解", 3, ""),
    (4, "confirmed", "助残康复进社区", 3, ""),
    (5, "confirmed", "法律服务进楼组", 2, ""),
    (6, "confirmed", "青少年科学探索周", 3, ""),
    (8, "confirmed", "绿色家园 · 旧物循环", 2, ""),
    (10, "confirmed", "楼组议事 · 共建美好家园", 2, ""),
    (12, "confirmed", "夕阳红 · 银龄互助", 3, ""),
    (14, "confirmed", "国际社区融合市集", 2, ""),
    (19, "confirmed", "爱心助餐 · 温暖到家", 4, ""),
    (16, "pending", "乐龄健身 · 活力长者", 2, ""),
    (17, "returned", "家庭矛盾调解开放日", 1,
     "请写明开放日的具体日期和地点，并补充联系人手机号；主题建议突出“前端化解”。修改后再提交。"),
]

#: (organization number, title, category, day from today (None: on now), local hour or minutes from now, hours,
#: status, check-ins). Past events ended (or were reported), the ones on now take check-ins, the rest are to come
#: within the week (the demo's events all lie within a week from today).
EVENTS = [
    (1, "独居老人上门探访培训", "elderly", -8, 14, 2, "reported", 18),
    (1, "邻里守望 · 长者生日会", "elderly", None, -30, 3, "published", 14),
    (1, "独居老人健康义诊", "elderly", 6, 9, 2, "published", 0),
    (3, "愚园路历史建筑寻访", "culture_sports", -6, 9, 2, "ended", 22),
    (3, "风貌区小小讲解员", "youth", 7, 14, 2, "published", 0),
    (4, "助残康复活动日", "disability", -5, 14, 2, "reported", 16),
    (4, "无障碍出行体验", "disability", 3, 14, 2, "published", 0),
    (5, "法律咨询进社区", "legal_aid", None, -60, 3, "published", 9),
    (5, "租房合同常见问题讲座", "legal_aid", 4, 19, 2, "published", 0),
    (6, "青少年科学小实验", "youth", -3, 14, 2, "ended", 25),
    (6, "机器人编程体验课", "science", 5, 9, 2, "published", 0),
    (8, "旧衣回收与垃圾分类宣传", "environment", -7, 9, 2, "reported", 31),
    (8, "社区旧物交换集市", "environment", None, 10, 2, "published", 0),
    (10, "楼组议事会：加装电梯", "governance", -4, 19, 2, "ended", 12),
    (10, "楼道微更新共商会", "governance", 5, 19, 2, "published", 0),
    (12, "银龄茶话会", "elderly", -2, 14, 2, "ended", 20),
    (12, "长者智能手机课堂", "elderly", 7, 9, 2, "published", 0),
    (14, "国际社区融合市集", "culture_sports", -1, 10, 3, "ended", 40),
    (14, "中外家庭包饺子", "culture_sports", 6, 10, 2, "published", 0),
    (19, "爱心助餐点开放日", "elderly", -9, 11, 2, "reported", 15),
    (19, "助餐志愿者培训", "elderly", 2, 14, 2, "published", 0),
    (19, "敬老百家宴", "elderly", 7, 11, 3, "published", 0),
]
VENUES = ("社区文化活动中心 2 楼多功能厅", "党群服务中心 1 楼活动室", "睦邻中心 3 楼会议室")

#: (key, organization number, kind, category, title, description, days to its deadline, status).
NEEDS = [
    ("visits", 1, "need", "volunteers", "独居老人上门探访志愿者 10 名",
     "每周六上午陪伴独居老人聊天、检查家中水电燃气安全，需要有耐心、能坚持三个月的志愿者，会做简单家务更好。",
     12, "published"),
    ("room", 10, "need", "venue", "楼组议事会需要能坐 40 人的会议室",
     "每月一次楼组议事会，晚上 19:00—21:00，需要能坐 40 人、有投影的会议室，最好在天山路附近。", 15, "published"),
    ("boxes", 19, "need", "goods", "助餐点需要保温餐盒 200 个",
     "为行动不便的老人送餐上门，现有餐盒不保温，冬天饭菜送到时已经凉了，希望有爱心单位捐赠保温餐盒。", 8, "matched"),
    ("law", 5, "offer", "expertise", "免费“法律体检”：为社区组织梳理章程和合同",
     "律师志愿者可以为社区社会组织免费审阅章程、场地和服务合同，每家一次，约一小时。", 18, "published"),
    ("bins", 8, "need", "funding", "旧衣回收箱的维护经费",
     "街道内 6 个旧衣回收箱需要定期清运和维修，一年约需 6000 元，希望有企业或基金会支持。", 20, "submitted"),
]
#: (need key, responder: a partner's phone or an organization number, message, matched).
RESPONSES = [
    ("visits", "13600000001", "我行青年志愿者服务队有 8 位员工愿意参加，周六上午都可以，能坚持三个月。", False),
    ("visits", 12, "我们队里有几位身体好的低龄老人，愿意和年轻志愿者结对一起上门。", False),
    ("room", "13600000001", "我行长宁支行 3 楼会议室可坐 50 人，有投影，工作日晚上可以免费借用。", False),
    ("boxes", "13600000002", "基金会可以捐赠 200 个保温餐盒，本月内送到助餐点。", True),
    ("law", 12, "我们想请律师帮忙看看新的场地租用合同。", False),
]


def cover_image():
    """A 16:9 cover in the district's red, drawn with Pillow: rows of joined hands as circles and a ribbon."""
    width, height = 1200, 675
    image = Image.new("RGB", (width, height), (176, 32, 40))
    draw = ImageDraw.Draw(image)
    for y in range(height):  # a soft gradient, deeper towards the bottom
        shade = int(40 * y / height)
        draw.line([(0, y), (width, y)], fill=(196 - shade, 40 - shade // 4, 46 - shade // 4))
    colours = [(255, 214, 102), (255, 255, 255), (255, 170, 120), (255, 236, 179)]
    for row in range(3):
        for n in range(10):
            x, y = 90 + n * 114, 200 + row * 130
            r = 34 - row * 4
            draw.ellipse([x - r, y - r, x + r, y + r], fill=colours[(n + row) % len(colours)])
            if n:
                draw.line([(x - 114 + r, y), (x - r, y)], fill=(255, 255, 255), width=6)
    draw.rectangle([0, height - 90, width, height - 60], fill=(255, 214, 102))
    output = io.BytesIO()
    image.save(output, "PNG")
    output.seek(0)
    return output


def store_cover():
    """The cover as an upload key, or None when it cannot be stored (the month does without)."""
    try:
        return store_photo(FileStorage(stream=cover_image(), filename="cover.png", content_type="image/png")).key
    except (UploadRefused, OSError):
        log.warning("the demo month's cover could not be stored", exc_info=True)
        return None


def organizations(names):
    """The demo's organizations by number (``names`` in the order of their admins' phones)."""
    by_name = {o.name: o for o in Organization.select().where(Organization.name.in_(names))}
    return {n: by_name.get(name) for n, name in enumerate(names, start=1)}


def admin_of(organization):
    return organization.memberships.where(Membership.role == "admin").get().user


def moderator_of(organization):
    return User.get_or_none(User.role == "street_moderator", User.street == organization.street_id)


def seed_partners(make_user):
    """The two partner accounts (those missing), in the district."""
    changning = District.get(District.code == "310105")
    partners = {}
    for name, phone, affiliation in PARTNERS:
        partners[phone] = User.get_or_none(User.phone == phone) or make_user(
            name, phone, "partner", affiliation=affiliation, district=changning)
    return partners


def seed_month(admin, names, make_user):
    """The 17th partner month with its sign-ups, events, check-ins, partners, needs and responses; once only.

    ``names`` are the demo's organizations in the order of their admins' phones; ``make_user`` creates an account.
    Returns the campaign, or None when it was there already (or these are not the demo's organizations).
    """
    if Campaign.select().where(Campaign.name == MONTH["name"]).exists():
        return None
    orgs = organizations(names)
    if None in [orgs.get(n) for n, *_ in ENTRIES]:
        return None  # not the demo's organizations
    with db.atomic():
        partners = seed_partners(make_user)
        campaign = Campaign.create(
            district=admin.district, kind="month", **MONTH, created_by=admin, budget=0,
            **{name: day(offset) for name, offset in MONTH_DAYS.items()},
            published=True, published_at=day(MONTH_DAYS["application_opens_at"] - 3, 10),
            created_at=day(MONTH_DAYS["application_opens_at"] - 5, 10),
            updated_at=day(MONTH_DAYS["application_opens_at"] - 3, 10),
        )
        campaign.cover_key = store_cover()
        campaign.save(only=[Campaign.cover_key])
        seed_entries(campaign, orgs)
        seed_events(campaign, orgs)
        seed_needs(campaign, orgs, partners)
    return campaign


def seed_entries(campaign, orgs):
    for n, (number, status, theme, planned, note) in enumerate(ENTRIES):
        organization = orgs[number]
        admin = admin_of(organization)
        created = day(MONTH_DAYS["application_opens_at"] + 1 + n, 10)
        MonthEntry.create(
            campaign=campaign, organization=organization, theme=theme, planned_events=planned,
            contact_name=admin.name, contact_phone=admin.phone, status=status, note=note, created_by=admin,
            created_at=created, updated_at=created,
            decided_by=None if status == "pending" else moderator_of(organization),
            decided_at=None if status == "pending" else created + datetime.timedelta(days=1, hours=5),
        )


def now_start(offset):
    """An event on now: ``offset`` minutes from now (negative: already started)."""
    return utcnow().replace(second=0, microsecond=0) + datetime.timedelta(minutes=offset)


def seed_events(campaign, orgs):
    for n, (number, title, category, days, at, hours, status, checkins) in enumerate(EVENTS):
        organization = orgs[number]
        starts_at = now_start(at) if days is None else day(days, at)
        event = Event.create(
            organization=organization, title=title, category=category, campaign=campaign,
            description=f"第十七届公益伙伴月活动。{MONTH['theme']}，欢迎居民参加。",
            starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=hours),
            venue=f"{organization.street.name}{VENUES[n % len(VENUES)]}", street=organization.street,
            capacity=(40, None, 30)[n % 3], status=status, created_by=admin_of(organization),
            created_at=min(starts_at, utcnow()) - datetime.timedelta(days=8),
            updated_at=min(starts_at, utcnow()) - datetime.timedelta(days=6),
            published_at=min(starts_at, utcnow()) - datetime.timedelta(days=6),
            published_by=moderator_of(organization),
        )
        for number_in_queue in range(1, checkins + 1):
            at_time = starts_at - datetime.timedelta(minutes=15) + datetime.timedelta(minutes=number_in_queue)
            CheckIn.create(
                event=event, number=number_in_queue,
                name=f"{SURNAMES[(number_in_queue + n) % len(SURNAMES)]}{'阿姨' if number_in_queue % 3 else '伯伯'}",
                phone=f"133{n:02d}{number_in_queue:06d}", consent_at=min(at_time, utcnow()),
                created_at=min(at_time, utcnow()), method="manual" if number_in_queue % 7 == 0 else "qr",
            )


def responder(spec, orgs, partners):
    """(user, organization or None, contact name, contact phone) of a response."""
    if isinstance(spec, str):
        user = partners[spec]
        return user, None, user.name, user.phone
    organization = orgs[spec]
    user = admin_of(organization)
    return user, organization, user.name, user.phone


def seed_needs(campaign, orgs, partners):
    needs = {}
    for n, (key, number, kind, category, title, description, deadline, status) in enumerate(NEEDS):
        organization = orgs[number]
        admin = admin_of(organization)
        created = day(-8 + n, 10)
        needs[key] = Need.create(
            campaign=campaign, organization=organization, kind=kind, category=category, title=title,
            description=description, street=organization.street,
            deadline=local_now().date() + datetime.timedelta(days=deadline),
            contact_name=admin.name, contact_phone=admin.phone, status=status, created_by=admin,
            created_at=created, updated_at=created,
            published_by=None if status == "submitted" else moderator_of(organization),
            published_at=None if status == "submitted" else created + datetime.timedelta(hours=4),
        )
    for n, (key, spec, message, matched) in enumerate(RESPONSES):
        need = needs[key]
        user, organization, name, phone = responder(spec, orgs, partners)
        created = need.published_at + datetime.timedelta(days=1, hours=n)
        Response.create(
            need=need, responder=user, organization=organization, message=message, contact_name=name,
            contact_phone=phone, created_at=created,
            matched_at=created + datetime.timedelta(days=1) if matched else None,
            matched_by=admin_of(need.organization) if matched else None,
        )


#: What moves when the demo is run again another day: each model's dates and times.
MOVING = {
    Campaign: ("application_opens_at", "application_closes_at", "starts_at", "ends_at", "published_at",
               "created_at", "updated_at"),
    MonthEntry: ("created_at", "updated_at", "decided_at"),
    Event: ("starts_at", "ends_at", "created_at", "updated_at", "published_at"),
    CheckIn: ("created_at", "consent_at"),
    Need: ("deadline", "created_at", "updated_at", "published_at"),
    Response: ("created_at", "matched_at"),
}


def shift(rows, fields, delta):
    for row in rows:
        for name in fields:
            if getattr(row, name) is not None:
                setattr(row, name, getattr(row, name) + delta)
        row.save(only=[getattr(type(row), name) for name in fields])


def move_to_today():
    """The demo run again another day: the month and everything in it moves by as many days, so it is still ten
    days in; the events on now move back to now (their check-ins with them). Returns the days moved, or None when
    there is no demo month."""
    campaign = Campaign.get_or_none(Campaign.name == MONTH["name"])
    if campaign is None:
        return None
    days = (day(MONTH_DAYS["starts_at"]) - campaign.starts_at).days
    with db.atomic():
        if days:
            delta = datetime.timedelta(days=days)
            events = Event.select().where(Event.campaign == campaign)
            needs = Need.select().where(Need.campaign == campaign)
            shift([campaign], MOVING[Campaign], delta)
            shift(MonthEntry.select().where(MonthEntry.campaign == campaign), MOVING[MonthEntry], delta)
            shift(CheckIn.select().where(CheckIn.event.in_(events)), MOVING[CheckIn], delta)
            shift(events, MOVING[Event], delta)
            shift(Response.select().where(Response.need.in_(needs)), MOVING[Response], delta)
            shift(needs, MOVING[Need], delta)
        move_now_events(campaign)
    return days


def move_now_events(campaign):
    """The events on now start again at their minutes from now, with their check-ins moved alongside."""
    for _number, title, _category, days, at, _hours, _status, _checkins in EVENTS:
        if days is not None:
            continue
        event = Event.get_or_none(Event.campaign == campaign, Event.title == title)
        if event is None:
            continue
        delta = now_start(at) - event.starts_at
        if not delta:
            continue
        shift([event], ("starts_at", "ends_at"), delta)
        event.status = "published"
        event.save(only=[Event.status])
        shift(CheckIn.select().where(CheckIn.event == event), MOVING[CheckIn], delta)
