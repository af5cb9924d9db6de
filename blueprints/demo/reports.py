"""The demo's activity reports (活动报告) and the 第九届 projects' mid-term reports, in every state whenever the demo
is seeded.

Eight events ended in the last two weeks, each with residents' check-ins (by QR code and recorded by hand) and two or
three volunteers' shifts (one corrected by the org admin, with the reason): a report being written (草稿), three
waiting in 华阳路街道's queue and one in 周家桥街道's, one returned with the street's comment, one accepted (the event
已报告), and two overdue (ended 10 and 15 days ago, nothing handed in). Each report has three to five photos drawn
with Pillow and stored through core.uploads.store_photo, so they are real stored JPEGs like a phone's.

Three of last year's funded projects have their 中期报告: accepted, waiting for the district admin, returned; their
past activities (已报告) have their accepted reports, with photos.

Like contests.py and month.py, every date counts from today's midnight (Shanghai), the rows are written straight to
the models as their authors would have left them, and move_to_today() moves them on another day. The pictures come
from a random.Random seeded per photo, so every seeding draws the same ones.
"""
import datetime
import io
import logging
import random
from decimal import Decimal

from PIL import Image, ImageDraw
from werkzeug.datastructures import FileStorage

from blueprints.demo.contests import NINTH_CONTEST, day, shift
from blueprints.demo.month import admin_of, moderator_of, organizations
from blueprints.demo.proposals import NINTH
from core.uploads import UploadRefused, open_stored, store_photo
from models import (
    AuditLog,
    Campaign,
    CheckIn,
    Event,
    Membership,
    ProjectReport,
    Proposal,
    Report,
    ReportPhoto,
    Shift,
    User,
    db,
)

log = logging.getLogger(__name__)

SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
VENUES = ("社区文化活动中心 2 楼多功能厅", "党群服务中心 1 楼活动室", "睦邻中心 3 楼会议室")

#: A second volunteer for each organization with a report here: (name, phone); the phone's last two digits are the
#: organization's number, like its admin's 138000000NN.
VOLUNTEERS = {
    1: ("陶小燕", "13700000101"), 2: ("邱建国", "13700000102"), 3: ("蒋文静", "13700000103"),
    5: ("沈立峰", "13700000105"), 8: ("韩晓雯", "13700000108"), 12: ("许美华", "13700000112"),
}

#: (organization number, title, category, day it was held (from today), local start hour, hours, report status (None:
#: no report, overdue), check-ins by QR, recorded by hand, photos, volunteers on shift, a correction or None).
EVENTS = [
    (1, "长者防跌倒健康讲座", "elderly", -2, 14, 2, "draft", 17, 3, 3, 3, None),
    (1, "楼道堆物清理议事会", "governance", -4, 19, 2, "submitted", 12, 2, 4, 2, None),
    (2, "老年大学书法班结业展", "culture_sports", -3, 9, 3, "submitted", 24, 4, 5, 3,
     ("3.5", "布展提前一小时到场，签到时忘记扫码，按实际服务时间更正")),
    (2, "重阳登高健步走", "elderly", -5, 8, 3, "submitted", 30, 5, 4, 2, None),
    (8, "厨余垃圾变花肥体验课", "environment", -6, 14, 2, "submitted", 19, 2, 3, 2, None),
    (3, "愚园路口述历史分享会", "culture_sports", -5, 14, 2, "returned", 18, 2, 3, 3, None),
    (5, "法律咨询进社区（秋季专场）", "legal_aid", -12, 9, 3, "accepted", 21, 3, 4, 3,
     ("3.0", "活动结束后忘记签退，系统按签到截止时间结束，按实际服务时间更正")),
    (12, "夕阳红重阳敬老午餐会", "elderly", -10, 11, 2, None, 26, 4, 0, 3, None),
    (2, "老年大学合唱汇报演出", "culture_sports", -15, 14, 2, None, 35, 6, 0, 2,
     ("2.5", "负责音响调试，活动前一小时到场，按实际服务时间更正")),
]

#: What the organizations wrote, by title: (attendance when it differs from the check-ins, its reason,
#: beneficiaries, 活动成效, 问题与改进).
TEXTS = {
    "长者防跌倒健康讲座": (
        None, "", None,
        "社区医生讲解了居家防跌倒的要点，现场演示了起身、转身的正确动作，20 位老人逐一练习。", "",
    ),
    "楼道堆物清理议事会": (
        None, "", 14,
        "3 个楼组的居民代表商定了楼道堆物清理的时间表和分工，约定每月第一个周六集中清理，楼组长负责提醒。",
        "部分上班族居民未能到场，下次议事会改在周末白天，并提前在楼组微信群里征求意见。",
    ),
    "老年大学书法班结业展": (
        32, "4 位学员家属陪同参观，未单独签到", 32,
        "展出学员作品 46 幅，学员现场为居民书写福字和对联 60 余幅，三位学员分享了学书法的心得。",
        "展厅光线不足，部分作品看不清；下次借用多功能厅并提前试灯。",
    ),
    "重阳登高健步走": (
        None, "", 35,
        "35 位老人沿苏州河步道健步走 3 公里，医生志愿者全程陪同，中途测量血压，无人身体不适。",
        "个别老人走得较快、与队伍拉开距离，下次分成快慢两组，各配一名志愿者。",
    ),
    "厨余垃圾变花肥体验课": (
        None, "", 21,
        "居民学习了厨余堆肥的方法，每户领取一个堆肥桶，两周后回访已有 12 户坚持分类投放。",
        "堆肥桶数量不够，有 5 户没有领到，已向街道申请补充。",
    ),
    "愚园路口述历史分享会": (
        None, "", 28,
        "四位老居民讲述了愚园路上老洋房的故事，志愿者录音整理成文字稿，将汇编成册。",
        "录音设备临时出了故障，部分内容由志愿者笔记补记。",
    ),
    "法律咨询进社区（秋季专场）": (
        26, "2 位居民由家属陪同咨询，家属未签到", 26,
        "律师志愿者现场解答赡养、租房、遗嘱等问题 31 人次，为 4 户家庭预约了后续的免费代书服务。",
        "咨询集中在上午前一个小时，排队较久；下次提前发放号码牌，分时段预约。",
    ),
}
#: The street's comment on the returned report.
RETURN_NOTE = "照片中看不到活动现场的居民，请补充 1—2 张分享会进行中的照片；受益人数比签到人数多，请写明原因。"

#: (project key in NINTH, status, 项目进展与成效, 资金使用情况, spent, beneficiaries, 问题与下一步, the district's
#: comment, days from today it was started, submitted and decided).
PROJECT_REPORTS = [
    ("e-class", "accepted",
     "已开展长者智能手机课堂 12 期、一对一“手机门诊” 86 人次，学员能独立完成视频通话、扫码乘车和网上挂号。",
     "讲师劳务费 2.4 万元、教材印制 0.8 万元、备用手机与流量卡 1.6 万元、宣传与场地 0.6 万元。", "54000.00", 132,
     "部分高龄学员需要反复练习，下半年增设“结对助学”，由青年志愿者每周上门一次。", "",
     (-140, -130, -122)),
    ("zero-waste", "submitted",
     "完成 6 个小区的垃圾分类入户宣传 1,200 户，设立旧物循环小站 2 个，厨余垃圾分出率由 18% 提高到 31%。",
     "宣传物料 1.2 万元、分类督导员补贴 2.1 万元、旧物循环小站设备 0.9 万元。", "42000.00", 1200,
     "冬季督导员人手紧张，计划招募社区青年志愿者补充早晚两个时段。", "",
     (-12, -3, None)),
    ("lunchbox", "returned",
     "为 86 位高龄独居老人送餐上门，累计送餐 9,400 份，每周电话回访一次。",
     "餐费补贴与送餐交通费 5.2 万元。", "52000.00", 86,
     "下半年增加助餐点堂食座位。",
     "资金使用情况请按预算科目分列（餐费补贴、送餐交通、保温设备），并附主要支出的凭证清单；“受益人数”请与送餐台账核对。",
     (-25, -20, -14)),
]


def volunteers(orgs, make_user):
    """Each organization's volunteers for its shifts: its volunteer, a second one (created when missing), its
    admin."""
    crews = {}
    for number, (name, phone) in VOLUNTEERS.items():
        organization = orgs[number]
        extra = User.get_or_none(User.phone == phone)
        if extra is None:
            extra = make_user(name, phone)
            Membership.create(user=extra, organization=organization, role="volunteer")
        first = (Membership.select().where(Membership.organization == organization, Membership.role == "volunteer")
                 .order_by(Membership.id).first().user)
        crews[number] = [first, extra, admin_of(organization)]
    return crews


def photo(seed, number):
    """A believable activity photo drawn with Pillow: a wall and a floor, a banner, tables, people as heads and
    shoulders, in colours of its own. The same ``seed`` draws the same picture."""
    rng = random.Random(seed * 100 + number)
    width, height = rng.choice([(800, 600), (600, 800), (960, 540), (900, 600)])
    if seed == number == 0:
        width, height = 2000, 1500  # as a phone takes it: stored at 1600 px
    wall = tuple(rng.randint(170, 235) for _ in range(3))
    image = Image.new("RGB", (width, height), wall)
    draw = ImageDraw.Draw(image)
    floor = tuple(rng.randint(90, 160) for _ in range(3))
    horizon = int(height * rng.uniform(0.45, 0.6))
    draw.rectangle([0, horizon, width, height], fill=floor)
    banner = int(height * 0.08)
    draw.rectangle([width // 8, banner, width * 7 // 8, banner * 2], fill=(rng.randint(170, 210), 30, 40))
    for _ in range(rng.randint(1, 3)):
        x = rng.randint(0, width * 3 // 4)
        draw.rectangle([x, horizon - height // 12, x + width // 4, horizon + height // 20],
                       fill=tuple(rng.randint(60, 140) for _ in range(3)))
    people = [(rng.randint(0, width), rng.randint(horizon - height // 6, height)) for _ in range(rng.randint(6, 14))]
    for x, y in sorted(people, key=lambda p: p[1]):  # the nearer ones in front
        r = max(int(height * rng.uniform(0.025, 0.045) * (0.7 + 1.5 * (y - horizon) / height)), 6)
        coat = tuple(rng.randint(20, 230) for _ in range(3))
        draw.ellipse([x - 2 * r, y + r, x + 2 * r, y + 6 * r], fill=coat)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=(rng.randint(200, 240), rng.randint(160, 200), 150))
        draw.pieslice([x - r, y - r, x + r, y + r], 180, 360, fill=(40, 30, 30))
    output = io.BytesIO()
    image.save(output, "JPEG", quality=88)
    output.seek(0)
    return output


def store_photos(report, seed, count, by):
    """``count`` photos on ``report``, stored like an upload; none when they cannot be stored (the demo does
    without)."""
    for number in range(count):
        try:
            stored = store_photo(FileStorage(stream=photo(seed, number), filename=f"活动照片{number + 1}.jpg",
                                             content_type="image/jpeg"))
            with Image.open(open_stored(stored.key)) as image:
                width, height = image.size
        except (UploadRefused, OSError):
            log.warning("a demo report's photo could not be stored", exc_info=True)
            return
        ReportPhoto.create(report=report, key=stored.key, size=stored.size, width=width, height=height,
                           uploaded_by=by, created_at=report.created_at + datetime.timedelta(minutes=3 * number))


def seed_checkins(event, n, qr, manual, recorder):
    """``qr`` residents who scanned, then ``manual`` recorded by a volunteer (older residents without a phone)."""
    rows = []
    for number in range(1, qr + manual + 1):
        by_hand = number > qr
        at = event.starts_at - datetime.timedelta(minutes=20) + datetime.timedelta(minutes=number // 2)
        rows.append({
            "event": event, "number": number, "consent_at": at, "created_at": at,
            "name": f"{SURNAMES[(number + 3 * n) % len(SURNAMES)]}{'阿姨' if number % 3 else '伯伯'}",
            "phone": f"132{n:02d}{number:06d}", "method": "manual" if by_hand else "qr",
            "recorded_by": recorder if by_hand else None,
        })
    CheckIn.insert_many(rows).execute()


def seed_shifts(event, crew, correction):
    """The volunteers arrive half an hour early (a few minutes apart) and leave a little after the end; the first
    one's hours corrected when ``correction`` says so."""
    for k, volunteer in enumerate(crew):
        started = event.starts_at - datetime.timedelta(minutes=30 - 7 * k)
        ended = event.ends_at + datetime.timedelta(minutes=10 + 9 * k)
        entry = Shift.create(event=event, volunteer=volunteer, started_at=started, ended_at=ended, created_at=started)
        if correction and k == 0:
            hours, reason = correction
            admin = crew[-1]
            entry.corrected_hours, entry.correction_reason = Decimal(hours), reason
            entry.corrected_by, entry.corrected_at = admin, event.ends_at + datetime.timedelta(hours=20)
            entry.save()
            logged(admin, "shift.correct", entry, entry.corrected_at, event.street, detail=f"→ {hours}: {reason}")


def logged(actor, action, target, at, street, detail=""):
    AuditLog.update(created_at=at).where(
        AuditLog.id == AuditLog.record(actor, action, target, detail=detail, street=street).id).execute()


#: When each step of a report happened, after its event's end.
CREATED, SUBMITTED, DECIDED = (datetime.timedelta(hours=h) for h in (18, 27, 45))


def seed_report(event, n, status, photos, admin):
    attendance, reason, beneficiaries, outcomes, problems = TEXTS[event.title]
    ends = event.ends_at
    report = Report.create(
        event=event, status=status, attendance=attendance, attendance_reason=reason, beneficiaries=beneficiaries,
        outcomes=outcomes, problems=problems, created_by=admin, created_at=ends + CREATED,
        updated_at=ends + (CREATED if status == "draft" else SUBMITTED),
        submitted_at=None if status == "draft" else ends + SUBMITTED,
        return_note=RETURN_NOTE if status == "returned" else "",
    )
    logged(admin, "report.create", report, report.created_at, event.street)
    store_photos(report, n, photos, admin)
    if status != "draft":
        logged(admin, "report.submit", report, report.submitted_at, event.street)
    if status in ("returned", "accepted"):
        moderator = moderator_of(event.organization)
        report.decided_by, report.decided_at = moderator, ends + DECIDED
        report.save()
        action = "report.accept" if status == "accepted" else "report.return"
        logged(moderator, action, report, report.decided_at, event.street,
               detail=RETURN_NOTE if status == "returned" else "")
    return report


def seed_events(orgs, crews):
    for n, (number, title, category, held, hour, hours, status, qr, manual, photos, crew_size, correction) in \
            enumerate(EVENTS):
        organization = orgs[number]
        admin = admin_of(organization)
        starts_at = day(held, hour)
        event = Event.create(
            organization=organization, title=title, category=category, street=organization.street,
            description=f"{organization.name}的社区活动，欢迎居民参加。", starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=hours),
            venue=f"{organization.street.name}{VENUES[n % len(VENUES)]}", capacity=(40, None, 30)[n % 3],
            status="reported" if status == "accepted" else "ended", created_by=admin,
            created_at=starts_at - datetime.timedelta(days=9), updated_at=starts_at - datetime.timedelta(days=7),
            published_at=starts_at - datetime.timedelta(days=7), published_by=moderator_of(organization),
        )
        crew = crews[number][:crew_size] if crew_size < 3 else crews[number]
        seed_checkins(event, n, qr, manual, crew[0])
        seed_shifts(event, crew, correction)
        if status is not None:
            seed_report(event, n, status, photos, admin)


def ninth_projects():
    """The 第九届's funded projects by their key in NINTH, or {} when there is no such contest."""
    ninth = Campaign.get_or_none(Campaign.name == NINTH_CONTEST["name"])
    if ninth is None:
        return {}
    titles = {spec["title"]: key for key, spec in NINTH.items()}
    return {titles[p.title]: p for p in ninth.proposals.where(Proposal.decision == "funded")
            if p.title in titles}


def seed_project_reports(district_admin):
    """The mid-term reports of three funded projects; those missing only. Returns how many were added."""
    projects = ninth_projects()
    added = 0
    for key, status, progress, spending, spent, beneficiaries, next_steps, note, (created, sent, decided) in \
            PROJECT_REPORTS:
        project = projects.get(key)
        if project is None or project.project_reports.exists():
            continue
        admin = admin_of(project.organization)
        report = ProjectReport.create(
            project=project, kind="midterm", status=status, progress=progress, spending=spending,
            spent=Decimal(spent), beneficiaries=beneficiaries, next_steps=next_steps, return_note=note,
            created_by=admin, created_at=day(created, 10), updated_at=day(sent, 16), submitted_at=day(sent, 16),
            decided_by=district_admin if decided is not None else None,
            decided_at=day(decided, 11) if decided is not None else None,
        )
        logged(admin, "project_report.submit", report, report.submitted_at, None)
        if decided is not None:
            logged(district_admin, f"project_report.{'accept' if status == 'accepted' else 'return'}", report,
                   report.decided_at, None, detail=note)
        added += 1
    return added


#: What the organizations wrote on their projects' activities: (活动成效, 问题与改进), by project key.
PROJECT_EVENT_TEXTS = {
    "e-class": ("学员两人一组跟着讲师练习，课后每人都能独立完成当天的内容，并领到图文版操作手册。",
                "高龄学员听不清讲解，下次配备扩音器，并请志愿者一对一陪练。"),
    "zero-waste": ("居民现场学习分类投放，领取分类小贴士；志愿者回访时，参与家庭的厨余垃圾分出明显增加。",
                   "宣传时段与居民上班时间冲突，下次安排在周末上午。"),
    "lunchbox": ("送餐志愿者熟悉了送餐路线和保温要求，回访老人对饭菜的温度和口味普遍满意。",
                 "部分老人住在无电梯的高层，送餐用时较长，下次按楼栋调整送餐顺序。"),
}


def seed_project_event_reports():
    """The accepted reports of the funded projects' past activities (held, reported), three photos each; those
    missing only."""
    for key, project in ninth_projects().items():
        outcomes, problems = PROJECT_EVENT_TEXTS.get(key, ("", ""))
        if not outcomes:
            continue
        admin = admin_of(project.organization)
        for event in project.events.where(Event.status == "reported").order_by(Event.id):
            if event.reports.exists():
                continue
            ends, attended = event.ends_at, event.checkins.count()
            moderator = moderator_of(event.organization)
            report = Report.create(
                event=event, project=project, status="accepted", beneficiaries=attended, outcomes=outcomes,
                problems=problems, created_by=admin, created_at=ends + CREATED, updated_at=ends + SUBMITTED,
                submitted_at=ends + SUBMITTED, decided_by=moderator, decided_at=ends + DECIDED,
            )
            store_photos(report, 50 + event.id, 3, admin)


def align_project_event_reports():
    """The projects' activities move with their contest (contests.move_to_today): their reports follow."""
    projects = list(ninth_projects().values())
    if not projects:
        return
    reports = Report.select(Report, Event).join(Event).where(Event.project.in_([p.id for p in projects]))
    for report in reports:
        delta = report.event.ends_at + CREATED - report.created_at
        if delta:
            shift(ReportPhoto.select().where(ReportPhoto.report == report), MOVING[ReportPhoto], delta)
            shift([report], MOVING[Report], delta)


def demo_events():
    return Event.select().where(Event.title.in_([row[1] for row in EVENTS]))


def seed_reports(admin, names, make_user):
    """The events with their reports (once only) and the projects' mid-term reports (those missing).

    ``names`` are the demo's organizations in the order of their admins' phones; ``make_user`` creates an account.
    Returns the events added, or 0 when they were there already (or these are not the demo's organizations).
    """
    orgs = organizations(names)
    with db.atomic():
        seed_project_reports(admin)
        seed_project_event_reports()
        if demo_events().exists() or None in [orgs.get(row[0]) for row in EVENTS]:
            return 0
        seed_events(orgs, volunteers(orgs, make_user))
    return len(EVENTS)


#: What moves when the demo is run again another day: each model's dates and times.
MOVING = {
    Event: ("starts_at", "ends_at", "created_at", "updated_at", "published_at"),
    CheckIn: ("created_at", "consent_at"),
    Shift: ("started_at", "ended_at", "created_at", "corrected_at"),
    Report: ("created_at", "updated_at", "submitted_at", "decided_at"),
    ReportPhoto: ("created_at",),
    ProjectReport: ("created_at", "updated_at", "submitted_at", "decided_at"),
}


def move_to_today():
    """The demo run again another day: the events (with their check-ins, shifts, reports and photos) and the
    projects' reports move by as many days, so each is in the same state relative to today. Returns the days the
    events moved (0: seeded today or not there)."""
    _number, title, _category, held, hour, *_rest = EVENTS[0]
    anchor = demo_events().where(Event.title == title).first()
    days = 0
    with db.atomic():
        if anchor is not None:
            days = (day(held, hour) - anchor.starts_at).days
        if days:
            delta = datetime.timedelta(days=days)
            events = demo_events()
            reports = Report.select().where(Report.event.in_(events))
            shift(CheckIn.select().where(CheckIn.event.in_(events)), MOVING[CheckIn], delta)
            shift(Shift.select().where(Shift.event.in_(events)), MOVING[Shift], delta)
            shift(ReportPhoto.select().where(ReportPhoto.report.in_(reports)), MOVING[ReportPhoto], delta)
            shift(reports, MOVING[Report], delta)
            shift(events, MOVING[Event], delta)
        projects = ninth_projects()
        key, *_rest, (_created, sent, _decided) = PROJECT_REPORTS[0]
        first = projects[key].project_reports.first() if key in projects else None
        if first is not None and first.submitted_at is not None:
            later = (day(sent, 16) - first.submitted_at).days
            if later:
                ids = [p.id for p in projects.values()]
                shift(ProjectReport.select().where(ProjectReport.project.in_(ids)), MOVING[ProjectReport],
                      datetime.timedelta(days=later))
        align_project_event_reports()
    return days
