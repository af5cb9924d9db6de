"""Every route × every role, with a second district beside Changning. Built from the app's URL map: a new route
without a row here fails the suite."""
import datetime

import pytest

from blueprints.orgs.operations import create_invite
from core.uploads import write
from models import Assignment, CheckIn, District, MonthEntry, Proposal, ProposalFile, Signup, Street
from tests.conftest import login
from tests.test_campaigns import make_campaign
from tests.test_month_calendar import make_month as make_partner_month
from tests.test_partners import route_world as partner_routes
from tests.test_project_reports import project_report_routes
from tests.test_recap import make_month
from tests.test_reports import report_routes
from tests.test_results import results_world
from tests.test_signals import signal_routes
from tests.test_volunteer_code import signed_code

#: The eight roles of a row, then the staff of the second district (徐汇区), who must meet Changning's
#: objects as strangers do.
ROLES = (
    "anonymous", "volunteer", "other_org_admin", "other_moderator",
    "reviewer", "district_admin", "org_admin", "moderator",
    "other_district_admin", "other_reviewer",
)

LOGIN = "login"  # redirected to /login
OK, REDIRECT, SEE_OTHER, FORBIDDEN, NOT_FOUND, CONFLICT, UNPROCESSABLE = 200, 302, 303, 403, 404, 409, 422


def row(anonymous, volunteer, other_org_admin, other_moderator, reviewer, district_admin, org_admin, moderator,
        *, other_district_admin=None, other_reviewer=None):
    """Expected statuses by role. The other district's admin is by default a stranger to Changning's streets, as
    a moderator of another street is; its reviewer fares as Changning's does."""
    statuses = (anonymous, volunteer, other_org_admin, other_moderator, reviewer, district_admin, org_admin, moderator,
                other_moderator if other_district_admin is None else other_district_admin,
                reviewer if other_reviewer is None else other_reviewer)
    return dict(zip(ROLES, statuses, strict=True))


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status, anonymous=LOGIN):
    return {**everyone(status), "anonymous": anonymous}


#: The street's watchers (its moderator, the district admin) see it; everyone else meets a 404.
STREET_ONLY = row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, OK)
STREET_ACTION = row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, SEE_OTHER, NOT_FOUND, SEE_OTHER)
#: The organization's members and its street's watchers.
ORG_MEMBERS = row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, OK, OK)
ORG_ADMIN_ONLY = row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND)
#: The organization's admin acts; its volunteers and the street's watchers see the event but may not.
ORG_ADMIN_ACTION = row(LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, SEE_OTHER, FORBIDDEN)
#: Each district admin has a console of their own district.
DISTRICT_ADMIN_ONLY = row(
    LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, other_district_admin=OK
)

#: endpoint → (method, expected status per role)
EXPECTED = {
    "main.home": ("GET", everyone(OK)),
    "main.healthz": ("GET", everyone(OK)),
    "main.offline": ("GET", everyone(OK)),
    "main.manifest": ("GET", everyone(OK)),
    "main.service_worker": ("GET", everyone(OK)),
    "main.set_language": ("GET", everyone(REDIRECT)),
    "main.toggle_elder_mode": ("POST", everyone(SEE_OTHER)),
    "auth.login": ("GET", signed_in(REDIRECT, anonymous=OK)),
    "auth.logout": ("POST", everyone(SEE_OTHER)),
    "auth.signup": ("GET", everyone(OK)),
    "auth.change_password": ("GET", signed_in(OK)),
    "auth.logout_everywhere": ("POST", signed_in(SEE_OTHER)),
    "auth.forgot_password": ("GET", everyone(OK)),
    # The volunteer of Xinhua's organization: its street's moderator and the district admin issue the password.
    "auth.reset_password": (
        "POST",
        row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, OK, other_district_admin=NOT_FOUND),
    ),
    "orgs.create": ("GET", signed_in(OK)),
    "orgs.detail": ("GET", everyone(OK)),
    "orgs.manage": ("GET", ORG_MEMBERS),
    "orgs.create_invite_link": (
        "POST", row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, SEE_OTHER, NOT_FOUND)
    ),
    "orgs.invite_qr": ("GET", ORG_ADMIN_ONLY),
    "orgs.join": ("GET", everyone(OK)),
    "orgs.admit": ("POST", STREET_ACTION),
    "orgs.decline": ("POST", STREET_ACTION),
    "orgs.add": ("GET", STREET_ONLY),
    # The street's list of its organizations and each one's profile; its record changes (an empty form: 422).
    "orgs.street_list": ("GET", STREET_ONLY),
    "orgs.profile": ("GET", STREET_ONLY),
    **dict.fromkeys(("orgs.set_status", "orgs.set_grade", "orgs.record_annual_report", "orgs.add_note"), (
        "POST", row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, UNPROCESSABLE, NOT_FOUND, UNPROCESSABLE))),
    "streets.console": ("GET", STREET_ONLY),
    "events.list": ("GET", everyone(OK)),
    "events.detail": ("GET", everyone(OK)),
    "events.calendar": ("GET", everyone(OK)),
    "events.signup": ("POST", everyone(UNPROCESSABLE)),  # the empty form comes back with its messages
    "events.my_signup": ("GET", everyone(OK)),
    "events.cancel_my_signup": ("POST", everyone(SEE_OTHER)),
    "events.create": ("GET", row(LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND)),
    "events.edit": ("GET", row(LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, FORBIDDEN)),
    "events.manage": ("GET", ORG_MEMBERS),
    "events.submit": ("POST", ORG_ADMIN_ACTION),
    "events.cancel": ("POST", ORG_ADMIN_ACTION),
    "events.copy": ("POST", row(LOGIN, SEE_OTHER, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, SEE_OTHER, FORBIDDEN)),
    "events.publish": ("POST", STREET_ACTION),
    "events.return_": ("POST", STREET_ACTION),
    "events.publish_many": ("POST", STREET_ACTION),
    "checkins.scan": ("GET", everyone(OK)),  # says when check-in opens
    "checkins.submit": ("POST", everyone(CONFLICT)),  # not open yet: refused whoever asks
    "checkins.not_me": ("POST", everyone(SEE_OTHER)),
    "checkins.me": ("GET", everyone(OK)),
    "checkins.erase_me": ("POST", everyone(OK)),
    "checkins.qr_png": ("GET", ORG_MEMBERS),
    "checkins.qr_svg": ("GET", ORG_MEMBERS),
    "checkins.poster": ("GET", ORG_MEMBERS),
    "checkins.poster_png": ("GET", ORG_MEMBERS),
    "checkins.screen": ("GET", ORG_MEMBERS),
    "checkins.manage": ("GET", ORG_MEMBERS),
    "checkins.count": ("GET", ORG_MEMBERS),
    "checkins.manual": (
        "POST", row(LOGIN, UNPROCESSABLE, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, UNPROCESSABLE, FORBIDDEN)
    ),
    "checkins.undo_checkin": (
        "POST", row(LOGIN, SEE_OTHER, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, SEE_OTHER, FORBIDDEN)
    ),
    "checkins.export_csv": ("GET", ORG_MEMBERS),
    "checkins.export_xlsx": ("GET", ORG_MEMBERS),
    # Service time: members sign themselves in and out while the event is on (the fixture's starts tomorrow: back
    # to the manage page with why); the roster, corrections and the CSV with full phones are its admins'.
    "shifts.start": ("POST", row(LOGIN, SEE_OTHER, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, SEE_OTHER, FORBIDDEN)),
    "shifts.stop": ("POST", row(LOGIN, SEE_OTHER, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, SEE_OTHER, FORBIDDEN)),
    "shifts.roster": ("GET", row(LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, FORBIDDEN)),
    "shifts.export": ("GET", row(LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, FORBIDDEN)),
    # The volunteer code: its PNG and printable sheet for the org's admins; the page it opens for its members (a
    # clear 403 for anyone else who scans it). The organization's hours and their CSV: its admins only.
    "shifts.code_png": ("GET", row(LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, FORBIDDEN)),
    "shifts.code_sheet": ("GET", row(LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, FORBIDDEN)),
    "shifts.by_code": ("GET", row(LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN)),
    "shifts.org_hours": ("GET", ORG_ADMIN_ONLY),
    "shifts.org_hours_csv": ("GET", ORG_ADMIN_ONLY),
    "shifts.correct": (
        "POST", row(LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, UNPROCESSABLE, FORBIDDEN)
    ),
    # 活动报告: its organization's members and its street's watchers read it and its photos; its admins write it
    # (an empty upload or an incomplete submission: 422); the street decides.
    "reports.edit": ("GET", ORG_MEMBERS),
    "reports.save": ("POST", ORG_ADMIN_ACTION),
    "reports.upload": (
        "POST", row(LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, UNPROCESSABLE, FORBIDDEN)
    ),
    "reports.photo": ("GET", ORG_MEMBERS),
    "reports.delete_photo": ("POST", ORG_ADMIN_ACTION),
    "reports.submit": (
        "POST", row(LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, UNPROCESSABLE, FORBIDDEN)
    ),
    "reports.accept": ("POST", STREET_ACTION),
    "reports.return_": ("POST", STREET_ACTION),
    # 风险提示: the street's watchers (an empty note comes back with its message); the district's counts.
    "signals.street": ("GET", STREET_ONLY),
    "signals.close": (
        "POST", row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, UNPROCESSABLE, NOT_FOUND, UNPROCESSABLE)
    ),
    "signals.refresh_street": ("POST", STREET_ACTION),
    "signals.district": ("GET", DISTRICT_ADMIN_ONLY),
    "signals.refresh_district": (
        "POST", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SEE_OTHER, FORBIDDEN, FORBIDDEN,
                    other_district_admin=SEE_OTHER)
    ),
    "campaigns.list": ("GET", everyone(OK)),
    "campaigns.detail": ("GET", everyone(OK)),  # published; a draft is 404 but to its district's admin
    # Tagging to the partner month: the organization's admins (the empty form comes back with its message).
    "month.tag": ("POST", row(LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, UNPROCESSABLE, FORBIDDEN)),
    "month.untag": ("POST", ORG_ADMIN_ACTION),
    "month.totals": ("GET", everyone(OK)),  # a published month's live totals and poster: for everyone
    "month.poster": ("GET", everyone(OK)),
    "campaigns.create": ("GET", DISTRICT_ADMIN_ONLY),
    "campaigns.edit": ("GET", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    "campaigns.publish": (  # a draft: nobody else even sees it
        "POST", row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, SEE_OTHER, NOT_FOUND, NOT_FOUND)
    ),
    "campaigns.extend": (  # the district admin's empty form comes back with its messages
        "POST", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNPROCESSABLE, FORBIDDEN, FORBIDDEN)
    ),
    "campaigns.create_month": ("GET", DISTRICT_ADMIN_ONLY),
    "campaigns.cover": ("GET", everyone(OK)),  # a published month's cover
    # The partner month's sign-up: admins of the district's admitted organizations; a withdrawal, their own.
    "entries.signup": ("GET", row(LOGIN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN)),
    "entries.withdraw": (
        "POST", row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, SEE_OTHER, NOT_FOUND)
    ),
    "entries.confirm": ("POST", STREET_ACTION),
    "entries.return_": ("POST", STREET_ACTION),  # without htmx, back to the console with the message
    "proposals.start": (  # the admins of admitted organizations of the district start a draft
        "POST", row(LOGIN, FORBIDDEN, SEE_OTHER, FORBIDDEN, FORBIDDEN, FORBIDDEN, SEE_OTHER, FORBIDDEN)
    ),
    "proposals.detail": ("GET", ORG_MEMBERS),
    "proposals.save_section": ("POST", ORG_ADMIN_ACTION),  # a draft saves as it goes, empty fields and all
    "proposals.submit": ("POST", ORG_ADMIN_ACTION),
    "proposals.withdraw": ("POST", ORG_ADMIN_ACTION),
    "proposals.upload": ("POST", ORG_ADMIN_ACTION),
    "proposals.delete_file": ("POST", ORG_ADMIN_ACTION),  # an attachment of its own, so the others stay
    "proposals.download": ("GET", ORG_MEMBERS),
    "proposals.resubmit": ("POST", ORG_ADMIN_ACTION),  # a returned proposal, before its revise-by date
    "proposals.eligible": ("POST", STREET_ACTION),
    "proposals.ineligible": ("POST", STREET_ACTION),
    "proposals.return_": ("POST", STREET_ACTION),
    "proposals.checks": ("GET", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    # 资源对接: a published need (or offer) is public; a returned one is its organization's and its street's.
    "partners.board": ("GET", everyone(OK)),
    "partners.detail": ("GET", everyone(OK)),
    "partners.create": ("GET", row(LOGIN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN)),
    "partners.edit": ("GET", row(LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK, FORBIDDEN)),
    "partners.respond": (  # another organization's admin (the empty form comes back); never the poster
        "POST", row(LOGIN, FORBIDDEN, UNPROCESSABLE, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
                    other_district_admin=FORBIDDEN)
    ),
    "partners.match": (
        "POST", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SEE_OTHER, FORBIDDEN,
                    other_district_admin=FORBIDDEN)
    ),
    "partners.publish": ("POST", STREET_ACTION),
    "partners.return_": ("POST", STREET_ACTION),
    "projects.detail": ("GET", everyone(OK)),  # a published 立项 proposal
    "projects.link": (  # the admin's empty form comes back with its message
        "POST", row(LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, UNPROCESSABLE, FORBIDDEN)
    ),
    "projects.unlink": ("POST", ORG_ADMIN_ACTION),
    # 中期 / 结项 报告: read like the organization's own pages; written by its admins (an empty submission: 422);
    # decided by the contest's district admin (another district's meets a 404; an empty return reason goes back to
    # the queue with its message).
    "project_reports.edit": ("GET", ORG_MEMBERS),
    "project_reports.save": ("POST", ORG_ADMIN_ACTION),
    "project_reports.submit": (
        "POST", row(LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, FORBIDDEN, UNPROCESSABLE, FORBIDDEN)
    ),
    "project_reports.queue": ("GET", DISTRICT_ADMIN_ONLY),
    "project_reports.accept": ("POST", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SEE_OTHER, FORBIDDEN,
                                           FORBIDDEN, other_district_admin=NOT_FOUND)),
    "project_reports.return_": ("POST", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SEE_OTHER, FORBIDDEN,
                                            FORBIDDEN, other_district_admin=NOT_FOUND)),
    "reviews.assignments": ("GET", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    "reviews.auto_assign": (  # the district admin's empty form comes back with its messages
        "POST", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNPROCESSABLE, FORBIDDEN, FORBIDDEN)
    ),
    "reviews.add_reviewer": (
        "POST", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNPROCESSABLE, FORBIDDEN, FORBIDDEN)
    ),
    "reviews.remove_reviewer": (
        "POST", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SEE_OTHER, FORBIDDEN, FORBIDDEN)
    ),
    "reviews.conflicts": ("GET", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    "reviews.mine": ("GET", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
    # The sheet and its files: the assigned reviewer only; any other reviewer, the applicant, the admins: 404.
    "reviews.score": ("GET", row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND,
                                 other_reviewer=NOT_FOUND)),
    "reviews.download": ("GET", row(LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND,
                                    other_reviewer=NOT_FOUND)),
    "reviews.progress": ("GET", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    "results.ranking": ("GET", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    "results.decide": (  # the district admin's empty form comes back with its message
        "POST", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNPROCESSABLE, FORBIDDEN, FORBIDDEN)
    ),
    "results.publish": (  # still taking applications: refused, with the reason on the ranking page
        "POST", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SEE_OTHER, FORBIDDEN, FORBIDDEN)
    ),
    "results.public": ("GET", everyone(OK)),  # published results, in 公示
    "results.object": ("POST", everyone(UNPROCESSABLE)),  # the empty objection form comes back with its messages
    "results.objections": ("GET", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    "results.handle": (  # an empty reply comes back with its message
        "POST", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNPROCESSABLE, FORBIDDEN, FORBIDDEN)
    ),
    "results.export": ("GET", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    # The month's summary: its district's admin only (the other district's admin: 403, the month is published).
    "recap.summary": ("GET", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    "recap.export": ("GET", row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN)),
    # An organization's year page: its members and its street's watchers; the bare address goes to this year's.
    "year.page": ("GET", ORG_MEMBERS),
    "year.current": ("GET", row(LOGIN, REDIRECT, NOT_FOUND, NOT_FOUND, NOT_FOUND, REDIRECT, REDIRECT, REDIRECT)),
    "admin.console": ("GET", DISTRICT_ADMIN_ONLY),
    "stats.district": ("GET", DISTRICT_ADMIN_ONLY),
    "stats.street": ("GET", STREET_ONLY),
    "admin.accounts": ("GET", DISTRICT_ADMIN_ONLY),
    "admin.set_active": (  # Changning's reviewer: the other district's admin may not even see the account
        "POST", row(
            LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SEE_OTHER, FORBIDDEN, FORBIDDEN,
            other_district_admin=NOT_FOUND,
        )
    ),
    # Xinhua's moderator to another street: the empty form comes back with its message.
    "admin.move_street": ("POST", row(
        LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, UNPROCESSABLE, FORBIDDEN, FORBIDDEN,
        other_district_admin=NOT_FOUND,
    )),
    "admin.accounts_export": ("GET", DISTRICT_ADMIN_ONLY),
    "admin.audit": ("GET", DISTRICT_ADMIN_ONLY),
    "admin.audit_export": ("GET", DISTRICT_ADMIN_ONLY),
    "street_audit.log": ("GET", STREET_ONLY),
    "street_audit.export_street": ("GET", STREET_ONLY),
    "orgs.street_list_export": ("GET", STREET_ONLY),
    "signals.street_export": ("GET", STREET_ONLY),
    "signals.district_export": ("GET", DISTRICT_ADMIN_ONLY),
    "admin.streets_export": ("GET", DISTRICT_ADMIN_ONLY),
    "stats.street_export": ("GET", STREET_ONLY),
    "stats.district_export": ("GET", DISTRICT_ADMIN_ONLY),
    "streets.overdue_export": ("GET", STREET_ONLY),
}


@pytest.fixture
def world(app, make_user, make_org, make_event, tmp_path):
    """Two streets; an organization on each; a pending one; a second district with one street; one user per role."""
    org_admin = make_user(name="组织管理员")
    org = make_org("xinhua", admin=org_admin)
    volunteer = make_user(name="志愿者")
    org.memberships.model.create(user=volunteer, organization=org, role="volunteer")
    other_org = make_org("tianshan")
    pending = make_org("xinhua", status="pending")
    users = {
        "volunteer": volunteer,
        "other_org_admin": other_org.memberships.get().user,
        "other_moderator": make_user("street_moderator", street="tianshan"),
        "reviewer": make_user("reviewer"),
        "district_admin": make_user("district_admin"),
        "org_admin": org_admin,
        "moderator": make_user("street_moderator", street="xinhua"),
    }
    xuhui = District.create(code="310104", name="徐汇区")
    Street.create(district=xuhui, code="310104003", slug="tianping", name="天平路街道")
    users["other_district_admin"] = make_user("district_admin", district=xuhui)
    users["other_reviewer"] = make_user("reviewer", district=xuhui)
    users["reviewer"].district = District.get(District.code == "310105")
    # A partner account (公益伙伴) of Changning: no column of its own, tests/test_partners.py signs it in.
    users["partner"] = make_user("partner", district=users["reviewer"].district, affiliation="长宁公益基金会")
    users["reviewer"].save()
    with app.app_context():
        invite = create_invite(org, org_admin)
    published = make_event(org, status="published", signup_enabled=True, capacity=10)
    signup = Signup.create(event=published, name="居民", phone="13600000000")
    events = {
        "published": published,
        "draft": make_event(org, status="draft"),
        "submitted": make_event(org, status="submitted"),
    }
    campaign = make_campaign(users["district_admin"], published=True)
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    proposal = Proposal.create(campaign=campaign, organization=org, created_by=org_admin)
    with app.app_context():
        stored = write(b"%PDF-1.4 test", "pdf", "a.pdf")
    attachment = ProposalFile.create(proposal=proposal, key=stored.key, kind="pdf", size=stored.size,
                                     original_name="a.pdf", sha256=stored.sha256)
    # An eligible proposal with a file, assigned to Changning's reviewer: their scoring sheet.
    eligible = Proposal.create(campaign=campaign, organization=org, status="eligible", title="评审中")
    with app.app_context():
        scored = write(b"%PDF-1.4 scored", "pdf", "b.pdf")
    scored_file = ProposalFile.create(proposal=eligible, key=scored.key, kind="pdf", size=scored.size,
                                      original_name="b.pdf", sha256=scored.sha256)
    sheet = Assignment.create(proposal=eligible, reviewer=users["reviewer"])
    # A contest whose results are published, with a funded proposal of ``org`` (a project) and an event linked to it.
    decided = make_campaign(users["district_admin"], published=True)
    decided.results_published_at = decided.created_at
    decided.save()
    project = Proposal.create(campaign=decided, organization=org, title="项目", decision="funded", amount_granted=1)
    linked = make_event(org, status="published", project=project)
    results = results_world(users["district_admin"], org, users["reviewer"])
    values = {
        "proposal_id": proposal.id, "file_id": attachment.id, "section": "basics",
        "slug": "xinhua", "org_id": org.id, "invite_id": invite.id, "token": invite.token, "code": "en",
        "event_id": published.id, "user_id": users["reviewer"].id,
        "campaign_id": campaign.id, "assignment_id": sheet.id,
        "checkin_id": CheckIn.create(event=published, name="居民", phone="13600000001", number=1).id,
        "objection_id": results["objection"].id,
        "need_id": None, "response_id": None,  # 资源对接: each route its own need, in ``special``
        "entry_id": 0,  # the sign-ups to decide on are in ``special``
        "shift_id": published.shifts.model.create(event=published, volunteer=volunteer).id,
        "signed": signed_code(app, published),  # its volunteer code
        "report_id": 0, "photo_id": 0,  # 活动报告: in ``special``
        "signal_id": 0,  # 风险提示: in ``special``
        "kind": "midterm",  # 项目报告: in ``special``
        "year": 2026,  # an organization's year page
        "fmt": "csv",  # an export's format
    }
    special = {
        ("orgs.admit", "org_id"): pending.id, ("orgs.decline", "org_id"): pending.id,
        ("events.submit", "event_id"): events["draft"].id,
        ("events.publish", "event_id"): events["submitted"].id, ("events.return_", "event_id"): events["submitted"].id,
        ("events.my_signup", "token"): signup.token, ("events.cancel_my_signup", "token"): signup.token,
        ("checkins.scan", "token"): published.checkin_token, ("checkins.submit", "token"): published.checkin_token,
        ("checkins.not_me", "token"): published.checkin_token,
        ("auth.reset_password", "user_id"): volunteer.id,
        ("admin.move_street", "user_id"): users["moderator"].id,
        **{(endpoint, "campaign_id"): results["campaign"].id for endpoint in (
            "results.ranking", "results.public", "results.object", "results.objections", "results.export")},
        ("results.decide", "proposal_id"): results["staged"].id,
        **dict.fromkeys((("recap.summary", "campaign_id"), ("recap.export", "campaign_id")),
                        make_month(users["district_admin"]).id),
        ("reviews.download", "file_id"): scored_file.id,
        ("projects.detail", "proposal_id"): project.id, ("projects.link", "proposal_id"): project.id,
        ("projects.unlink", "proposal_id"): project.id, ("projects.unlink", "event_id"): linked.id,
        ("campaigns.publish", "campaign_id"): make_campaign(users["district_admin"]).id,
        **{(endpoint, name): value for endpoint, args in partner_routes(
            users["district_admin"], org, users["other_org_admin"]).items() for name, value in args.items()},
        **month_entries(app, users["district_admin"], org, make_org),
        **report_routes(app, org, make_event),
        **signal_routes(org, make_event),
        **project_report_routes(org, users["district_admin"]),
        **dict.fromkeys((("month.totals", "campaign_id"), ("month.poster", "campaign_id")),
                        make_partner_month(users["district_admin"]).id),
        ("proposals.withdraw", "proposal_id"): Proposal.create(campaign=campaign, organization=org).id,
        ("proposals.delete_file", "file_id"): ProposalFile.create(
            proposal=proposal, key=stored.key[:-1] + ("A" if stored.key[-1] != "A" else "B"), kind="pdf",
            size=stored.size, original_name="b.pdf", sha256=stored.sha256).id,
        ("proposals.resubmit", "proposal_id"): Proposal.create(
            campaign=campaign, organization=org, status="returned", title="t",
            category=campaign.ordered_categories()[0], service_field="elderly", beneficiaries="b", street=org.street,
            starts_on=datetime.date(2027, 3, 1),
            ends_on=datetime.date(2027, 4, 1), beneficiary_count=1, total_budget=10, amount_requested=10,
            budget_items="a 10", summary="s", needs="n", plan="p", outcomes="o", team="t").id,
    }
    return users, values, special


def month_entries(app, admin, org, make_org):
    """A month taking sign-ups, with a cover; ``org``'s sign-up (to withdraw) and two of Xinhua's to decide on."""
    with app.app_context():
        cover = write(b"\xff\xd8\xff\xe0 cover", "jpeg", "cover.jpg")
    month = make_month(admin, cover_key=cover.key)
    entries = [MonthEntry.create(campaign=month, organization=o, theme="主题", planned_events=1, contact_name="王",
                                 contact_phone="13812345678") for o in (org, make_org("xinhua"), make_org("xinhua"))]
    return {
        **{(endpoint, "campaign_id"): month.id for endpoint in (
            "campaigns.cover", "entries.signup", "entries.withdraw", "entries.confirm", "entries.return_")},
        ("entries.confirm", "entry_id"): entries[1].id, ("entries.return_", "entry_id"): entries[2].id,
    }


def url_for_rule(app, rule, values, special):
    args = {name: special.get((rule.endpoint, name), values[name]) for name in rule.arguments}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **args)


def routes(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def test_every_route_has_a_row_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in routes(app)}
    assert endpoints - set(EXPECTED) == set(), "add these routes to EXPECTED in tests/test_access.py"
    assert set(EXPECTED) - endpoints == set(), "these rows name routes that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, client, world, role):
    users, values, special = world
    if role != "anonymous":
        login(client, users[role])
    failures = []
    for rule in routes(app):
        method, expected = EXPECTED[rule.endpoint]
        assert method in rule.methods, rule.endpoint
        url = url_for_rule(app, rule, values, special)
        response = client.open(url, method=method)
        response.close()  # a download holds its file open until then
        want = expected[role]
        if want == LOGIN:
            ok = response.status_code == 302 and "/login" in response.headers["Location"]
        else:
            ok = response.status_code == want
        if not ok:
            failures.append(f"{method} {url}: got {response.status_code}, want {want}")
        if rule.endpoint in ("auth.logout", "auth.logout_everywhere") and role != "anonymous":
            login(client, users[role])
    assert not failures, "\n".join(failures)
