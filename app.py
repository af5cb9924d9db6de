"""宁社通: the application factory."""
import gc
import hashlib
import logging
import os
import secrets
from pathlib import Path

from babel import Locale
from flask import Flask, flash, g, has_request_context, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import Babel, gettext
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from blueprints.checkins.operations import DEFAULT_SYNCHRONOUS_COMMIT, parse_synchronous_commit
from blueprints.shifts.hours import DEFAULT_ROUNDING, parse_rounding
from core import errors, templating
from core.database import init_database
from core.limits import DEFAULTS as LIMITS
from core.limits import init_limiter
from models import User

ROOT = Path(__file__).resolve().parent


class Logins(LoginManager):
    """Flask-Login's manager, leaving a session that nobody is signed in to as it is.

    Its session protection marks a session "not fresh" when the browser's identifier has changed, which matters only
    for a signed-in user. Done to a resident's anonymous session (it holds a CSRF token), it rewrote the session
    cookie on every check-in for nothing.
    """

    def _session_protection_failed(self):
        return "_user_id" in session and super()._session_protection_failed()


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with one serializer per secret kept instead of one built per request.

    Signed with hashlib's SHA-1 itself: Flask's default wraps it in a function (for FIPS builds, which may lack
    SHA-1), and Python's hmac computes a wrapped digest in pure Python. The signatures are the same.
    """

    digest_method = staticmethod(hashlib.sha1)
    _serializers = {}

    def get_signing_serializer(self, app):
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(key)
        if serializer is None:
            serializer = self._serializers[key] = super().get_signing_serializer(app)
        return serializer


csrf = CSRFProtect()
babel = Babel()
login_manager = Logins()
login_manager.login_view = "auth.login"

#: The Content-Security-Policy of every response: nothing from other hosts, no inline script.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; "
    "manifest-src 'self'; worker-src 'self'"
)

#: What every response carries unless its view set its own (a page shown in a frame, say).
SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP), ("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin"),
)


def create_app(config=None):
    """Build the app: configuration, database, login, CSRF, translations, blueprints, errors, CLI."""
    app = Flask(__name__, instance_path=str(ROOT / "instance"))
    app.session_interface = SessionCookies()
    os.makedirs(app.instance_path, exist_ok=True)
    configure(app, config or {})

    init_database(app)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(ROOT / "core" / "translations"),
    )
    login_manager.init_app(app)
    init_limiter(app)
    if app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=1, x_host=1)

    from blueprints import (
        admin,
        auth,
        campaigns,
        checkins,
        demo,
        entries,
        events,
        main,
        month,
        orgs,
        partners,
        project_reports,
        projects,
        proposals,
        recap,
        reports,
        results,
        reviews,
        shifts,
        signals,
        stats,
        streets,
        year,
    )

    for feature in (main, auth, orgs, events, checkins, campaigns, proposals, projects, reviews, results, streets,
                    admin, demo, recap, month, partners, entries):
        app.register_blueprint(feature.bp)
    app.register_blueprint(shifts.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(stats.bp)
    app.register_blueprint(project_reports.bp)
    app.register_blueprint(year.bp)
    app.register_blueprint(signals.bp)
    app.register_blueprint(admin.street_bp)
    errors.register(app)
    templating.register(app)
    app.after_request(security_headers)
    version_static_urls(app)
    if not app.testing:
        # What the app holds from here on (modules, templates, routes) lives as long as the process: the garbage
        # collector need not walk it again after every few hundred new objects of a request.
        gc.collect()
        gc.freeze()
    return app


def version_static_urls(app):
    """/static/… URLs carry a hash of the static files, so browsers may keep them for a year.

    WeChat on iOS has no service worker: without this, every page would re-check every asset.
    """
    digest = hashlib.sha256()
    for path in sorted(Path(app.static_folder).rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(app.static_folder).as_posix().encode())
            digest.update(path.read_bytes())
    app.config["STATIC_VERSION"] = digest.hexdigest()[:12]
    if app.config["SEND_FILE_MAX_AGE_DEFAULT"] is None:
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 365 * 24 * 3600

    @app.url_defaults
    def add_static_version(endpoint, values):
        if endpoint == "static":
            values.setdefault("v", app.config["STATIC_VERSION"])


def configure(app, overrides):
    """Defaults, then the environment, then ``overrides`` (tests pass theirs here)."""
    development = os.environ.get("NINGSHE_ENV", "production") == "development"
    app.config.update(
        DEVELOPMENT=development,
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{app.instance_path}/ningshe.db",
        BASE_URL=os.environ.get("BASE_URL", "").rstrip("/"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not development,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=not development,
        REMEMBER_COOKIE_DURATION=60 * 60 * 24 * 30,
        WTF_CSRF_TIME_LIMIT=None,  # no time limits on forms: older residents type slowly
        BABEL_DEFAULT_LOCALE="zh_CN",
        BABEL_DEFAULT_TIMEZONE="Asia/Shanghai",
        LANGUAGES=("zh_CN", "en"),
        RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        #: No X-RateLimit-* headers: every limited page says in words what to do, and each header costs a read of
        #: the limit storage per request.
        RATELIMIT_HEADERS_ENABLED=False,
        #: Redis down must not stop check-in and login: the same limits are then counted in this process's memory,
        #: and Flask-Limiter asks Redis again after 1, 2, 4 … 32 s, going back to it once it answers.
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=env_flag("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True),
        #: And should Redis fail in the middle of a request (after its check, before a failed login is counted), the
        #: error is logged and the request served: a resident's check-in outweighs one uncounted attempt.
        RATELIMIT_SWALLOW_ERRORS=True,
        #: Uploaded files (attachments, photos): outside static/, backed up with the database.
        UPLOAD_DIR=os.environ.get("UPLOAD_DIR") or os.path.join(app.instance_path, "uploads"),
        #: Attachments (a proposal's PDF, Word, Excel, images) and photos (3–8 MB from a phone) up to this size; both
        #: stay under MAX_CONTENT_LENGTH, which caps the whole request.
        UPLOAD_MAX_BYTES=int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024))),
        PHOTO_MAX_BYTES=int(os.environ.get("PHOTO_MAX_BYTES", str(12 * 1024 * 1024))),
        PROXY_COUNT=int(os.environ.get("PROXY_COUNT", "0")),
        PASSWORD_HASH_METHOD=None,  # werkzeug's default (scrypt); tests pick a cheaper one
        INVITE_DAYS=7,
        #: The volunteers' live counter asks for the number of check-ins this often.
        COUNTER_POLL_SECONDS=5,
        #: The venue screen shows a new rotating check-in code this often.
        SCREEN_REFRESH_SECONDS=12,
        #: A scanned rotating code older than this is refused: a screenshot forwarded to a group chat stops working.
        CHECKIN_SCAN_MAX_AGE=60,
        #: Once the page has opened, the resident has this long to fill in the form (no time pressure on older hands).
        CHECKIN_FORM_MAX_AGE=15 * 60,
        #: Each worker shows an event's check-in page from the event as it read it this many seconds ago at most (a
        #: crowd opens it hundreds of times a minute); a submission is decided on it too and written only while the
        #: event is still as read (checkins.views.submit). 0: every time.
        CHECKIN_PAGE_EVENT_SECONDS=int(os.environ.get("CHECKIN_PAGE_EVENT_SECONDS", "5")),
        #: PostgreSQL's synchronous_commit for a resident's check-in (checkins.operations.insert_numbered): off, the
        #: durability SQLite's WAL with synchronous=normal gives every write; on, each waits for its WAL on disk.
        CHECKIN_SYNCHRONOUS_COMMIT=parse_synchronous_commit(os.environ["CHECKIN_SYNCHRONOUS_COMMIT"])
        if os.environ.get("CHECKIN_SYNCHRONOUS_COMMIT") else DEFAULT_SYNCHRONOUS_COMMIT,
        #: A partner month's page asks for its live totals by street this often.
        MONTH_TOTALS_SECONDS=30,
        #: Days after an event that residents' names and phones are kept (the privacy notice says so).
        RETENTION_DAYS=int(os.environ.get("RETENTION_DAYS", "180")),
        #: How volunteers' signed-in minutes count as service hours, e.g. "15:0,46:0.5" (the default, Shanghai's
        #: volunteer teams' rule): of each started hour, under 15 minutes 0, under 46 half an hour, else a whole
        #: hour. Parsed without eval; a malformed value stops start-up with a message (blueprints/shifts/hours.py).
        SHIFT_ROUNDING=parse_rounding(os.environ["SHIFT_ROUNDING"]) if os.environ.get("SHIFT_ROUNDING")
        else DEFAULT_ROUNDING,
        #: An ended event's report is due this many days after its end; later it shows as overdue (报告逾期).
        REPORT_DUE_DAYS=int(os.environ.get("REPORT_DUE_DAYS", "7")),
        #: Risk signals (blueprints/signals/compute.py): 疑似僵尸 after this many days without a published event;
        #: 零签到 and 签到异常 look back this far; a burst is this many check-ins from one device or one address within
        #: this many seconds; 频繁取消 is this many cancellations within these days; 年报未交 after this day ("MM-DD").
        SIGNAL_ZOMBIE_DAYS=int(os.environ.get("SIGNAL_ZOMBIE_DAYS", "180")),
        SIGNAL_LOOKBACK_DAYS=int(os.environ.get("SIGNAL_LOOKBACK_DAYS", "90")),
        SIGNAL_BURST_COUNT=int(os.environ.get("SIGNAL_BURST_COUNT", "20")),
        SIGNAL_BURST_SECONDS=int(os.environ.get("SIGNAL_BURST_SECONDS", "60")),
        SIGNAL_CANCEL_COUNT=int(os.environ.get("SIGNAL_CANCEL_COUNT", "3")),
        SIGNAL_CANCEL_DAYS=int(os.environ.get("SIGNAL_CANCEL_DAYS", "90")),
        ANNUAL_REPORT_DUE=os.environ.get("ANNUAL_REPORT_DUE", "06-30"),
        HTMX="vendor/htmx-2.0.11.min.js",
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
    )
    # Check-in and sign-up limits ("300 per minute;1000 per hour"): the environment may tune them per deployment.
    app.config.update({name: os.environ.get(name, default) for name, default in LIMITS.items()})
    app.config.update(overrides)
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://")):
        # An unreachable Redis must fail fast (and fall back to memory), not hold a request for the TCP timeout.
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1})
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or instance_secret(app.instance_path)
    logging.basicConfig(level=logging.INFO)


def env_flag(name, default):
    """A yes/no setting from the environment: 0, false, no and off mean no."""
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() not in ("0", "false", "no", "off", "")


def instance_secret(instance_path):
    """A secret key generated once into instance/ and kept there (never committed)."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


@login_manager.user_loader
def load_user(session_token):
    """The active account whose current session token the cookie carries (see User.get_id)."""
    return User.get_or_none(User.session_token == session_token, User.active == True)  # noqa: E712


@login_manager.unauthorized_handler
def unauthorized():
    """To the login page; an htmx request (a polling counter, a venue screen) gets a 401 it will not swap in."""
    if request.headers.get("HX-Request") == "true":
        return gettext("登录已过期，请重新登录"), 401, {"Content-Type": "text/plain; charset=utf-8"}
    flash(gettext("请先登录"), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


#: The languages offered, each parsed once (Flask-Babel would parse the name on every request).
LOCALES = {name: Locale.parse(name) for name in ("zh_CN", "en")}


def select_locale():
    """zh-CN unless the visitor chose English (a cookie set by /lang/<code>)."""
    if not has_request_context():  # CLI commands and background work speak Chinese
        return LOCALES["zh_CN"]
    return LOCALES.get(request.cookies.get("lang"), LOCALES["zh_CN"])


def security_headers(response):
    """The CSP, nosniff and friends, on every response; nothing a signed-in user sees is kept in a cache."""
    headers = response.headers
    for name, value in SECURITY_HEADERS:
        if name not in headers:
            headers[name] = value
    headers["X-Content-Type-Options"] = "nosniff"
    if getattr(g, "vary_hx", False):
        response.vary.add("HX-Request")
    # Static files are versioned and cached for a year: they neither vary by visitor nor read the session.
    if request.endpoint != "static":
        # Every page depends on cookies (the session, 语言, 长辈模式): a shared cache must not hand it to another.
        if "Vary" in headers:
            response.vary.add("Cookie")
        else:
            headers["Vary"] = "Cookie"
        # Rosters, consoles and exports carry residents' names and phones: no copy on a shared office PC's disk,
        # none in a proxy, none behind the back button after 退出. The session says who is signed in without a
        # database read, so this also holds while the database is down. A view's own Cache-Control stands.
        if session.get("_user_id") is not None and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
    return response
