"""What operations raise when they refuse, and the Chinese error pages (a short message for htmx swaps,
shown in the page's message area)."""
import logging
import re

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from core.validators import MAX_ID

log = logging.getLogger(__name__)


class ValidationError(Exception):
    """An operation refused its input; ``errors`` maps field names to Chinese messages."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors if isinstance(errors, dict) else {"": str(errors)}

    def __str__(self):
        return " ".join(str(message) for message in self.errors.values())


class PermissionDenied(Exception):
    """An operation refused its actor (views answer 403)."""


class LifecycleError(Exception):
    """An operation is not possible in the object's current state (views say why and go back)."""

#: C0 control characters but tab and line breaks: no link a person follows holds one, and PostgreSQL cannot store
#: the first of them (NUL) at all.
URL_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

MESSAGES = {
    400: _l("请求有误，请返回重试。"),
    403: _l("您没有权限查看这个页面。"),
    404: _l("找不到这个页面，它可能已被删除或链接有误。"),
    405: _l("不支持这种操作。"),
    409: _l("现在无法进行这个操作。"),
    413: _l("上传的文件太大了。"),
    422: _l("填写的内容有误，请返回修改。"),
    429: _l("操作太频繁了，请稍等一分钟再试。"),
    500: _l("系统出了点问题，我们已经记录下来，请稍后再试。"),
}


#: A short heading for each error page; the message says more.
TITLES = {
    400: _l("请求有误"),
    403: _l("没有权限"),
    404: _l("找不到这个页面"),
    405: _l("不支持这种操作"),
    409: _l("无法操作"),
    410: _l("已失效"),
    413: _l("文件太大"),
    422: _l("内容有误"),
    429: _l("操作太频繁"),
    500: _l("系统出了点问题"),
}


def message(code):
    return str(MESSAGES.get(code, MESSAGES[500]))


def render_error(code, text=None):
    text = text or message(code)
    if request.headers.get("HX-Request") == "true":
        return text, code, {"Content-Type": "text/plain; charset=utf-8"}
    return render_template("errors/error.html", code=code, title=str(TITLES.get(code, TITLES[500])), message=text), code


def refuse_hostile_input():
    """400 for a NUL byte anywhere and for a control character in the URL; 404 for an id no database can hold.

    Both would otherwise reach the database and fail there (PostgreSQL refuses NUL in text, SQLite and PostgreSQL
    refuse integers beyond 64 bits) as a 500. A control character in a form's text is the form's to refuse, beside
    its field. The log names the route, never the values: they may be someone's name or phone.
    """
    in_url = [request.path, *(text for pair in request.args.items(multi=True) for text in pair)]
    posted = [*(text for pair in request.form.items(multi=True) for text in pair), *request.cookies.values()]
    if any(URL_CONTROL_RE.search(text) for text in in_url) or any("\x00" in text for text in posted):
        log.warning("refused a control character in %s %s", request.method, request.url_rule or "an unknown path")
        abort(400)
    if any(isinstance(value, int) and value > MAX_ID for value in (request.view_args or {}).values()):
        abort(404)


def register(app):
    # First of all the request hooks, so that none of them (rate limits keyed on the posted phone, CSRF, loading the
    # signed-in user) reads what this refuses.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_hostile_input)
    for code in (400, 403, 404, 405, 413):
        app.register_error_handler(code, lambda e, code=code: render_error(code))

    @app.errorhandler(429)
    def too_many(error):
        # A limit with its own message (login) says it; the others get the general one.
        custom = getattr(getattr(error, "limit", None), "error_message", None)
        log.warning("rate limit hit on %s: %s", request.path, getattr(error, "description", ""))
        return render_error(429, str(custom) if custom else None)

    @app.errorhandler(PermissionDenied)
    def permission_denied(error):
        return render_error(403, str(error) or None)

    # A view that does not catch an operation's refusal still says why, rather than a 500.
    @app.errorhandler(LifecycleError)
    def not_now(error):
        return render_error(409, str(error) or None)

    @app.errorhandler(ValidationError)
    def invalid(error):
        return render_error(422, str(error) or None)

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        log.warning("CSRF check failed on %s: %s", request.path, error.description)
        return render_error(400, _("页面已过期，请刷新后再提交。"))

    @app.errorhandler(500)
    def server_error(error):
        log.exception("500 on %s", request.path)
        return render_error(500)
