"""What operations raise when they refuse, and the Chinese error pages (a short message for htmx swaps,
shown in the page's message area)."""
import logging

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

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

MESSAGES = {
    400: _l("请求有误，请返回重试。"),
    403: _l("您没有权限查看这个页面。"),
    404: _l("找不到这个页面，它可能已被删除或链接有误。"),
    405: _l("不支持这种操作。"),
    413: _l("上传的文件太大了。"),
    429: _l("操作太频繁了，请稍等一分钟再试。"),
    500: _l("系统出了点问题，我们已经记录下来，请稍后再试。"),
}


#: A short heading for each error page; the message says more.
TITLES = {
    400: _l("请求有误"),
    403: _l("没有权限"),
    404: _l("找不到这个页面"),
    405: _l("不支持这种操作"),
    410: _l("已失效"),
    413: _l("文件太大"),
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


def register(app):
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

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        log.warning("CSRF check failed on %s: %s", request.path, error.description)
        return render_error(400, _("页面已过期，请刷新后再提交。"))

    @app.errorhandler(500)
    def server_error(error):
        log.exception("500 on %s", request.path)
        return render_error(500)
