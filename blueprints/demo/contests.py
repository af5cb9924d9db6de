"""The demo's three 公益创投 contests, each in another phase whenever the demo is seeded.

- 第九届 (last year): results published, 公示 over; its funded proposals are projects with past events linked.
- 第十届 (this year): in its review phase: twelve proposals across the streets, reviewers at work.
- 第四届社会组织公益创新创业大赛: taking applications, with two drafts started.

Every date is counted in days from today's midnight (Shanghai), so the demo is in the same state any day it is
seeded. The proposals are written straight to the models, as the organizations, street offices and reviewers would
have left them; assigning reviewers goes through the review operations, which keep out members and 回避.
"""
import datetime
from decimal import ROUND_HALF_UP, Decimal

from blueprints.campaigns.operations import create_campaign, publish
from blueprints.demo.proposals import FOURTH, NINTH, TENTH
from blueprints.reviews.operations import auto_assign, declare_conflict
from core.timeutil import local_now, to_utc
from models import Assignment, Campaign, CheckIn, Event, Extension, Membership, Organization, Proposal, Score, User, db

SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
OBJECTION_CONTACT = "长宁区社会组织服务中心，电话 021-5200 0000（工作日 9:00—17:00），或信函寄至长宁区民政局"

NINTH_CONTEST = {
    "name": "第九届长宁区公益创投项目大赛",
    "description": (
        "面向在长宁区登记或备案的社会组织，征集养老服务、社区治理、助残、青少年成长等领域的公益项目。"
        "经街镇资格审查、专家评审，共立项 5 个项目，结果已公示期满。"
    ),
    "budget": 1000000, "scoring": "trimmed", "blind_review": True, "show_others": False, "max_proposals_per_org": 2,
}
TENTH_CONTEST = {
    "name": "第十届长宁区公益创投项目大赛",
    "description": (
        "面向在长宁区登记或备案的社会组织，征集养老服务、社区治理、助残、青少年成长等领域的公益项目。"
        "每个组织最多申报两个项目，经街镇资格审查、专家评审后择优资助，结果公示 5 个工作日。"
    ),
    "budget": 3000000, "scoring": "trimmed", "blind_review": True, "show_others": False, "max_proposals_per_org": 2,
}
FOURTH_CONTEST = {
    "name": "第四届社会组织公益创新创业大赛",
    "description": (
        "鼓励社会组织和青年团队用新方法解决社区里的老问题：数字助老、社区微更新、跨文化融合、青年公益创业等。"
        "每个组织申报一个项目；入围项目可获得创投资金和为期一年的孵化辅导。"
    ),
    "budget": 1000000, "scoring": "mean", "blind_review": False, "show_others": False, "max_proposals_per_org": 1,
    "categories": [("创新服务类", 150000), ("青年创业类", 100000)],
    "criteria": [
        ("创新性", 25, "方法或模式有新意，区内尚无同类服务"),
        ("社会需求", 20, "针对的问题真实、具体，有数据或调研支撑"),
        ("可行性", 20, "计划清楚，资源落实，一年内能见成效"),
        ("团队能力", 15, "团队有相关经验，分工明确"),
        ("预算合理性", 10, "预算与活动对应，标准合理"),
        ("可持续性", 10, "资助结束后有延续的办法"),
    ],
}

#: Days from today's midnight to each phase boundary.
NINTH_DAYS = {
    "application_opens_at": -420, "application_closes_at": -390, "eligibility_ends_at": -380, "review_ends_at": -366,
    "notice_starts_at": -362, "notice_ends_at": -355, "results_at": -354,
}
#: Applications closed three weeks ago, the street offices' checks a week ago; the reviewers score until ten days on.
TENTH_DAYS = {
    "application_opens_at": -50, "application_closes_at": -21, "eligibility_ends_at": -7, "review_ends_at": 10,
    "notice_starts_at": 11, "notice_ends_at": 18, "results_at": 19,
}
#: Applications opened ten days ago and close in twenty.
FOURTH_DAYS = {
    "application_opens_at": -10, "application_closes_at": 20, "eligibility_ends_at": 30, "review_ends_at": 45,
    "notice_starts_at": 46, "notice_ends_at": 53, "results_at": 54,
}

#: The district's reviewers: (name, phone). The first two were there before the contests.
REVIEWERS = [
    ("陈评审", "13900000021"), ("林评审", "13900000022"), ("周评审", "13900000023"),
    ("吴评审", "13900000024"), ("郑评审", "13900000025"), ("孙评审", "13900000026"),
]
#: 周评审 volunteers for the disabled persons' association (so is never assigned its proposals); 郑评审 supervised
#: the Xinjing social work agency's staff and declared 回避.
REVIEWER_MEMBER = ("13900000023", 4)
REVIEWER_CONFLICT = ("13900000025", 20, "本人曾担任该机构的专业督导，申请回避")

#: The 10th contest: key → (status, quality of the proposal (the reviewers' totals lie around it), sheets in the
#: order of the reviewers' ids: S submitted, V saved not submitted, - not started; the street office's note).
TENTH_STATE = {
    "neighbours": ("returned", None, "", "预算明细中“上门探访交通与通讯补贴”未写明计价标准（人次×标准），请补充；"
                   "实施计划第 4—10 个月请按季度写明节点和产出。修改后请在截止日期前重新提交。"),
    "sunshine": ("eligible", 88, "SSS", ""),
    "makers": ("eligible", 81, "SSS", ""),
    "law": ("eligible", 76, "SSS", ""),
    "memory": ("eligible", 90, "SSV", ""),
    "green": ("eligible", 82, "SSS", ""),
    "stairs": ("eligible", 72, "SV-", ""),
    "lunch": ("ineligible", None, "", "本项目与本组织正在执行的区级资助项目（仙霞新村长者助餐点）服务内容重复，"
              "按申报指南第六条“同一服务内容不得重复申报”，不予受理。"),
    "oral": ("eligible", 79, "SS-", ""),
    "hongqiao": ("eligible", 84, "S--", ""),
    "mediation": ("submitted", None, "", ""),
    "meals": ("eligible", 86, "---", ""),
}
#: This proposal came in late, under an extension (延期申报) until so many days from today, and still waits.
LATE = ("mediation", -5)
#: On this proposal the first reviewer scores far below the others (the outlier flag).
OUTLIER = ("green", -27)
#: How each reviewer leans, in points out of 100, and how they spread it over the six criteria.
LEANS = [2, -1, 0, 3, -3, 1]
SPREADS = [(1, -1, 0, 2, -2, 0), (-1, 2, 0, -1, 1, -1), (0, 0, 1, 1, -1, -2), (2, 1, -2, 0, 0, 1),
           (-2, 0, 1, 0, 2, 0), (1, -2, 1, -1, 0, 1)]
COMMENTS = [
    (85, "需求调研扎实，数据具体；活动设计与目标一一对应，团队有同类项目经验。建议补充项目结束后的延续安排。"),
    (78, "项目有现实需求，设计基本合理。预算中劳务费占比偏高，建议压缩并写明计价标准；成效指标可再量化。"),
    (70, "服务对象与活动的对应关系不够清楚，部分成效指标难以衡量，建议补充基线数据和评估方法。"),
    (0, "需求分析较笼统，活动设计与目标关联不强，预算明细与活动对不上，建议大幅修改后再申报。"),
]
OUTLIER_COMMENT = "与街道现有服务有重复，创新性不足；旧物循环小站的场地和运营成本估计偏低，可持续性存疑。"


def midnight():
    """Today's midnight (Shanghai), naive UTC."""
    return to_utc(datetime.datetime.combine(local_now().date(), datetime.time()))


def day(days, hour=0):
    """``days`` from today's midnight (Shanghai) at ``hour``, naive UTC."""
    return midnight() + datetime.timedelta(days=days, hours=hour)


def new_contest(admin, fields, days):
    data = {**fields, **{name: day(offset) for name, offset in days.items()}}
    data.setdefault("categories", [])
    data.setdefault("criteria", [])
    campaign = create_campaign(admin.district, admin, data)
    publish(campaign, admin)
    Campaign.update(published_at=data["application_opens_at"] - datetime.timedelta(days=7),
                    objection_contact=OBJECTION_CONTACT).where(Campaign.id == campaign.id).execute()
    return Campaign.get_by_id(campaign.id)


def seed_reviewers(admin, organizations, make_user):
    """The district's reviewers, one a member of an applicant, one in 回避 with another; those missing only."""
    reviewers = []
    for name, phone in REVIEWERS:
        user = User.get_or_none(User.phone == phone)
        if user is None:
            user = make_user(name, phone, "reviewer", district=admin.district)
        reviewers.append(user)
    phone, org = REVIEWER_MEMBER
    member = User.get(User.phone == phone)
    if not Membership.select().where(Membership.user == member).exists():
        Membership.create(user=member, organization=organizations[org], role="volunteer")
    phone, org, note = REVIEWER_CONFLICT
    reviewer = User.get(User.phone == phone)
    if not reviewer.conflicts.exists():
        declare_conflict(reviewer, organizations[org], note)
    return reviewers


def text(spec):
    """The sections of a proposal as its author would type them."""
    return {
        "summary": spec.get("summary", ""),
        "needs": spec.get("needs", ""),
        "plan": "\n".join(f"{when}：{what}" for when, what in spec.get("plan", ())),
        "outcomes": "\n".join(f"{n}. {line}" for n, line in enumerate(spec.get("outcomes", ()), 1)),
        "team": spec.get("team", ""),
        "budget_items": "\n".join(f"{item} {amount}" for item, amount in spec.get("budget", ())),
    }


def new_proposal(campaign, organizations, spec, status, created):
    """A proposal of ``spec`` to ``campaign``, started on the day ``created`` (days from today)."""
    organization = organizations[spec["org"]]
    admin = organization.memberships.where(Membership.role == "admin").get().user
    categories = list(campaign.ordered_categories())
    budget = spec.get("budget", ())
    total = sum(amount for _item, amount in budget) or None
    start = local_now().date() + datetime.timedelta(days=created + 115)
    first = start.replace(day=1)
    return Proposal.create(
        campaign=campaign, organization=organization, category=categories[spec["category"]],
        title=spec["title"], service_field=spec["field"], beneficiaries=spec["beneficiaries"],
        street=organization.street, starts_on=first if budget else None,
        ends_on=first.replace(year=first.year + 1) - datetime.timedelta(days=1) if budget else None,
        beneficiary_count=spec["count"], total_budget=total, amount_requested=spec.get("ask"),
        status=status, created_by=admin, created_at=day(created, 10), updated_at=day(created + 6, 16),
        submitted_at=None if status == "draft" else day(created + 6, 16),
        **text(spec),
    )


def half_points(value):
    """``value`` to the nearest half point."""
    return (Decimal(value) * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


def sheet(criteria, quality, reviewer_index):
    """A reviewer's scores of a proposal worth about ``quality``/100: their lean, spread over the criteria."""
    lean, spread = LEANS[reviewer_index % len(LEANS)], SPREADS[reviewer_index % len(SPREADS)]
    scores = {}
    for n, criterion in enumerate(criteria):
        points = Decimal(criterion.max_score) * Decimal(quality + lean + 2 * spread[n % len(spread)]) / 100
        scores[criterion] = min(max(half_points(points), Decimal(criterion.min_score)), Decimal(criterion.max_score))
    return scores


def overall_comment(total):
    return next(comment for floor, comment in COMMENTS if total >= floor)


def write_sheet(assignment, criteria, quality, state, reviewer_index, when, outlier=False):
    """Scores on every criterion (submitted), on the first four (saved), or none (not started)."""
    if state == "-":
        return
    scores = sheet(criteria, quality, reviewer_index)
    if state == "V":
        scores = dict(list(scores.items())[:4])
    for criterion, score in scores.items():
        Score.create(assignment=assignment, criterion=criterion, score=score)
    total = sum(scores.values())
    assignment.saved_at = when
    if state == "S":
        assignment.submitted_at = when
        assignment.comment = OUTLIER_COMMENT if outlier else overall_comment(total)
    assignment.save()


def score_all(campaign, admin, qualities, states, reviewers, when):
    """Three reviewers on every eligible proposal, spread evenly, then their sheets as ``states`` say."""
    auto_assign(campaign, 3, admin)
    Assignment.update(assigned_at=when).where(
        Assignment.proposal.in_(Proposal.select(Proposal.id).where(Proposal.campaign == campaign))).execute()
    criteria = list(campaign.ordered_criteria())
    index = {user.id: n for n, user in enumerate(reviewers)}
    for proposal_id, quality in qualities.items():
        assignments = Assignment.select().where(Assignment.proposal == proposal_id).order_by(Assignment.reviewer)
        for n, assignment in enumerate(assignments):
            state = states.get(proposal_id, "SSS")[n]
            lean = OUTLIER[1] if n == 0 and proposal_id == states.get("outlier") else 0
            write_sheet(assignment, criteria, quality + lean, state, index[assignment.reviewer_id],
                        when + datetime.timedelta(days=n, hours=n), outlier=bool(lean))


def seed_ninth(admin, organizations, reviewers):
    """Last year's contest: reviewed, decided, published, 公示 over; the funded proposals run their projects."""
    campaign = new_contest(admin, NINTH_CONTEST, NINTH_DAYS)
    moderators = {u.street_id: u for u in User.select().where(User.role == "street_moderator")}
    qualities, proposals = {}, {}
    for n, (key, spec) in enumerate(NINTH.items()):
        proposal = new_proposal(campaign, organizations, spec, "eligible", NINTH_DAYS["application_opens_at"] + n)
        proposal.checked_by = moderators.get(proposal.organization.street_id)
        proposal.checked_at = day(NINTH_DAYS["application_closes_at"] + 3 + n % 5, 15)
        proposal.save()
        qualities[proposal.id], proposals[key] = spec["quality"], proposal
    score_all(campaign, admin, qualities, {}, reviewers, day(NINTH_DAYS["eligibility_ends_at"] + 3, 10))
    decided = day(NINTH_DAYS["review_ends_at"] + 2, 11)
    for key, spec in NINTH.items():
        decision, amount = spec["decision"]
        Proposal.update(decision=decision, amount_granted=amount, decided_by=admin, decided_at=decided).where(
            Proposal.id == proposals[key].id).execute()
    Campaign.update(results_published_at=day(NINTH_DAYS["notice_starts_at"], 9), results_published_by=admin).where(
        Campaign.id == campaign.id).execute()
    for key, spec in NINTH.items():
        link_events(proposals[key], spec["events"])
    return campaign


def link_events(proposal, events):
    """The project's past activities, held, reported and linked to it."""
    organization = proposal.organization
    admin = organization.memberships.where(Membership.role == "admin").get().user
    moderator = User.get_or_none(User.role == "street_moderator", User.street == organization.street_id)
    for n, (title, category, days_ago) in enumerate(events):
        starts_at = day(-days_ago, 14)
        event = Event.create(
            organization=organization, title=title, category=category, street=organization.street,
            description=f"“{proposal.title}”的项目活动。", starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
            venue=f"{organization.street.name}社区文化活动中心 2 楼多功能厅", capacity=30,
            status="reported" if days_ago > 90 else "ended", created_by=admin,
            created_at=starts_at - datetime.timedelta(days=10), updated_at=starts_at,
            published_at=starts_at - datetime.timedelta(days=7), published_by=moderator, project=proposal,
        )
        for number in range(1, 19 + 4 * n):
            CheckIn.create(
                event=event, name=f"{SURNAMES[(number + n) % len(SURNAMES)]}{'阿姨' if number % 3 else '伯伯'}",
                phone=f"135{proposal.id:02d}{n}{number:05d}", number=number, consent_at=starts_at,
                created_at=starts_at - datetime.timedelta(minutes=20) + datetime.timedelta(minutes=number),
            )


def seed_tenth(admin, organizations, reviewers):
    """This year's contest in its review phase: twelve proposals, checked (one returned, one ineligible, one
    waiting), three reviewers on each eligible one, some sheets submitted, some saved, some not started."""
    campaign = new_contest(admin, TENTH_CONTEST, TENTH_DAYS)
    moderators = {u.street_id: u for u in User.select().where(User.role == "street_moderator")}
    qualities, states = {}, {}
    for n, (key, spec) in enumerate(TENTH.items()):
        status, quality, sheets, note = TENTH_STATE[key]
        proposal = new_proposal(campaign, organizations, spec, status, TENTH_DAYS["application_opens_at"] + 2 * n)
        if status != "submitted":
            proposal.checked_by = moderators.get(proposal.organization.street_id)
            proposal.checked_at = day(TENTH_DAYS["application_closes_at"] + 2 + n % 6, 15)
            proposal.check_note = note
        if key == LATE[0]:
            # 延期申报: sent after the deadline, past the street's phase: the district admin checks it.
            Extension.create(campaign=campaign, organization=proposal.organization, granted_by=admin,
                             until=day(LATE[1]), granted_at=day(TENTH_DAYS["application_closes_at"] - 2, 11))
            proposal.submitted_at = proposal.updated_at = day(LATE[1] - 1, 16)
        if status == "returned":
            proposal.revise_by = to_utc(datetime.datetime.combine(
                local_now().date() + datetime.timedelta(days=5), datetime.time(23, 59, 59)))
        proposal.save()
        if quality is not None:
            qualities[proposal.id], states[proposal.id] = quality, sheets
        if key == OUTLIER[0]:
            states["outlier"] = proposal.id
    score_all(campaign, admin, qualities, states, reviewers, day(TENTH_DAYS["eligibility_ends_at"] + 1, 10))
    return campaign


def seed_fourth(admin, organizations):
    """The innovation contest, taking applications, with two drafts started."""
    campaign = new_contest(admin, FOURTH_CONTEST, FOURTH_DAYS)
    for n, spec in enumerate(FOURTH.values()):
        new_proposal(campaign, organizations, spec, spec.get("status", "draft"),
                     FOURTH_DAYS["application_opens_at"] + 1 + 2 * n)
    return campaign


CONTESTS = ((NINTH_CONTEST["name"], seed_ninth), (TENTH_CONTEST["name"], seed_tenth),
            (FOURTH_CONTEST["name"], seed_fourth))


def seed_contests(admin, names, make_user, only_missing=False):
    """The three contests (with ``only_missing``, those not there yet); returns how many were added.

    ``names`` are the demo's organizations in the order of their admins' phones; ``make_user`` creates an account.
    """
    by_name = {o.name: o for o in Organization.select().where(Organization.name.in_(names))}
    organizations = {n: by_name[name] for n, name in enumerate(names, start=1)}
    added = 0
    with db.atomic():
        reviewers = seed_reviewers(admin, organizations, make_user)
        for name, seed in CONTESTS:
            if only_missing and Campaign.select().where(Campaign.name == name).exists():
                continue
            if seed is seed_fourth:
                seed(admin, organizations)
            else:
                seed(admin, organizations, reviewers)
            added += 1
    return added


#: What moves when the demo is run again another day: each model's dates and times.
MOVING = {
    Campaign: ("application_opens_at", "application_closes_at", "eligibility_ends_at", "review_ends_at",
               "notice_starts_at", "notice_ends_at", "results_at", "results_published_at", "published_at"),
    Proposal: ("created_at", "updated_at", "submitted_at", "checked_at", "revise_by", "decided_at", "starts_on",
               "ends_on"),
    Assignment: ("assigned_at", "saved_at", "submitted_at"),
    Event: ("starts_at", "ends_at", "created_at", "updated_at", "published_at"),
    CheckIn: ("created_at", "consent_at"),
    Extension: ("until", "granted_at"),
}


def shift(rows, fields, delta):
    for row in rows:
        for name in fields:
            if getattr(row, name) is not None:
                setattr(row, name, getattr(row, name) + delta)
        row.save(only=[getattr(type(row), name) for name in fields])


def move_to_today():
    """The demo run again another day: its contests (with their proposals, sheets and projects' events) move by as
    many days, so the 10th is still in review and the 4th still open. Returns the days moved (0: seeded today)."""
    tenth = Campaign.get_or_none(Campaign.name == TENTH_CONTEST["name"])
    if tenth is None:
        return 0
    days = (day(TENTH_DAYS["application_opens_at"]) - tenth.application_opens_at).days
    if days == 0:
        return 0
    delta = datetime.timedelta(days=days)
    names = [NINTH_CONTEST["name"], TENTH_CONTEST["name"], FOURTH_CONTEST["name"]]
    campaigns = Campaign.select().where(Campaign.name.in_(names))
    proposals = Proposal.select().where(Proposal.campaign.in_(campaigns))
    with db.atomic():
        shift(campaigns, MOVING[Campaign], delta)
        shift(Extension.select().where(Extension.campaign.in_(campaigns)), MOVING[Extension], delta)
        shift(Assignment.select().where(Assignment.proposal.in_(proposals)), MOVING[Assignment], delta)
        events = Event.select().where(Event.project.in_(proposals))
        shift(CheckIn.select().where(CheckIn.event.in_(events)), MOVING[CheckIn], delta)
        shift(events, MOVING[Event], delta)
        shift(proposals, MOVING[Proposal], delta)
    return days
