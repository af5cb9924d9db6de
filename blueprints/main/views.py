"""The shell around every page: home, health, offline page, manifest, service worker, preferences."""
from flask import current_app, jsonify, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.entries import queries as entry_queries
from blueprints.events.queries import member_events
from blueprints.main import bp
from blueprints.partners import queries as partner_queries
from blueprints.project_reports import queries as project_report_queries
from blueprints.proposals import queries as proposal_queries
from blueprints.reports import queries as report_queries
from blueprints.results import queries as results_queries
from blueprints.reviews.queries import waiting_for_score  # not `from blueprints.reviews`: its name ends in "views"
from blueprints.signals import queries as signal_queries
from core.access import watched_streets
from core.database import reachable
from core.limits import limiter
from core.timeutil import local_now, to_local
from core.urls import safe_next
from models import Membership, Organization

YEAR = 60 * 60 * 24 * 365


@bp.get("/")
def home():
    """The start page: what the visitor can do from here; a member's coming events, each one tap from 签到管理."""
    memberships, events = [], []
    if current_user.is_authenticated:
        memberships = list(
            Membership.select(Membership, Organization)
            .join(Organization)
            .where(Membership.user == current_user.id)
            .order_by(Organization.name)
        )
        events = list(member_events(current_user)) if memberships else []
    streets = list(watched_streets(current_user)) if current_user.is_authenticated else []
    return render_template(
        "main/home.html",
        memberships=memberships,
        events=events,
        today=[e.id for e in events if to_local(e.starts_at).date() <= local_now().date()],
        streets=streets,
        todo=todo(memberships, streets),
        boards=partner_queries.boards_for(current_user, memberships),
    )


def todo(memberships, streets):
    """待办: what waits for the visitor, by role; empty lists when nothing does."""
    items = {"returned": [], "deadlines": [], "checks": [], "overdue": [], "objections": [], "scoring": [],
             "entries_returned": [], "entry_checks": [], "needs_returned": [], "needs_answered": [],
             "needs_waiting": []}
    items.update(project_reports_waiting=0, project_reports_returned=[])
    items.update(reports_overdue=[], reports_returned=[])
    items.update(signals=[])
    if not current_user.is_authenticated:
        return items
    if any(m.role == "admin" for m in memberships):
        items["returned"] = list(proposal_queries.returned_for_revision(current_user))
        items["deadlines"] = proposal_queries.deadlines_near(current_user)
        items["entries_returned"] = entry_queries.returned_for(current_user)
        items["needs_returned"] = list(partner_queries.returned_needs(current_user))
        items["needs_answered"] = partner_queries.answered_needs(current_user)
        items["project_reports_returned"] = project_report_queries.returned_for(current_user)
        items["reports_overdue"] = report_queries.overdue_for(current_user)
        items["reports_returned"] = report_queries.returned_for(current_user)
    if current_user.is_moderator:
        checks = [(street, proposal_queries.waiting_for_check(street)) for street in streets]
        items["checks"] = [(street, count) for street, count in checks if count]
        entry_checks = [(street, entry_queries.waiting_count(street)) for street in streets]
        items["entry_checks"] = [(street, count) for street, count in entry_checks if count]
        items["needs_waiting"] = partner_queries.waiting_by_street(streets)
        items["signals"] = signal_queries.open_by_street(streets)
    if current_user.role == "reviewer":
        items["scoring"] = waiting_for_score(current_user.id)
    if current_user.is_district_admin:
        items["overdue"] = proposal_queries.phases_overdue(current_user)
        items["objections"] = results_queries.open_objections(current_user)
        items["project_reports_waiting"] = project_report_queries.waiting_count(current_user)
    return items


@bp.get("/healthz")
def healthz():
    """What serving depends on, asked now: 503 when the database does not answer, the JSON naming what is down.

    Redis (the shared rate limits) down is reported but answers 200 with status "degraded": the app keeps serving
    with its limits counted in memory, and a load balancer must not take every server out at once for it.
    """
    report = {"database": "ok" if reachable() else "unreachable", "ratelimit_storage": ratelimit_storage()}
    if report["database"] != "ok":
        code, report["status"] = 503, "error"
    else:
        code, report["status"] = 200, "ok" if report["ratelimit_storage"] != "unreachable" else "degraded"
    response = jsonify(report)
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response


def ratelimit_storage():
    """memory (each process counts its own), ok (the shared storage answers), or unreachable (counted in memory)."""
    if current_app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        return "memory"
    try:
        return "ok" if limiter.storage.check() else "unreachable"
    except Exception as exc:  # a storage that cannot even be asked is down too
        current_app.logger.error("rate-limit storage check failed: %s", exc)
        return "unreachable"


@bp.get("/offline")
def offline():
    """What the service worker shows when the network is gone."""
    return render_template("main/offline.html")


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest, so 宁社通 can be added to the home screen."""
    data = {
        "name": "宁社通 · 长宁社会组织服务",
        "short_name": "宁社通",
        "lang": "zh-CN",
        "start_url": url_for("main.home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b3261e",
        "icons": [
            {
                "src": url_for("static", filename=f"icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ],
    }
    response = jsonify(data)
    response.mimetype = "application/manifest+json"
    return response


@bp.get("/sw.js")
def service_worker():
    """The service worker, served from the root so that its scope is the whole site."""
    response = make_response(
        render_template("main/sw.js", version=current_app.config["STATIC_VERSION"], assets=precached_assets())
    )
    response.mimetype = "application/javascript"
    response.headers["Cache-Control"] = "no-cache"
    return response


def precached_assets():
    return [
        url_for("static", filename=name)
        for name in ("css/app.css", "js/app.js", current_app.config["HTMX"], "icons/icon-192.png")
    ] + [url_for("main.offline")]


@bp.get("/lang/<code>")
def set_language(code):
    """Switch between 中文 and English; remembered in a cookie."""
    response = redirect(safe_next() or url_for("main.home"))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", code, max_age=YEAR, samesite="Lax", httponly=True)
    return response


@bp.post("/settings/elder")
def toggle_elder_mode():
    """Turn 长辈模式 (large text, large buttons) on or off; remembered on this device."""
    response = redirect(safe_next() or url_for("main.home"), code=303)
    turn_on = request.cookies.get("elder") != "1"
    response.set_cookie("elder", "1" if turn_on else "0", max_age=YEAR, samesite="Lax", httponly=True)
    return response
