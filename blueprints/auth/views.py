"""Log in and out, sign up, change password, log out everywhere; forgotten passwords and temporary ones."""
import logging

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from blueprints.auth import bp, operations
from blueprints.auth.forms import LoginForm, PasswordForm, SignupForm
from blueprints.auth.limits import forget_attempts, take_attempt
from core.errors import ValidationError
from core.forms import apply_errors
from core.limits import failed, limiter
from core.policy import can
from core.urls import safe_next
from models import User

log = logging.getLogger(__name__)
#: The same words whether or not the phone has an account: the lock-out must not tell which phones do.
TOO_MANY = _l("登录失败次数过多，请 5 分钟后再试。")
#: What a user with a temporary password may still reach: the page to change it, logging out, and what every page
#: needs (assets, language, large-text mode) or what works without an account.
WHILE_TEMPORARY = {
    "static", "auth.change_password", "auth.logout", "auth.logout_everywhere", "auth.forgot_password",
    "main.healthz", "main.offline", "main.manifest", "main.service_worker", "main.set_language",
    "main.toggle_elder_mode",
}


@bp.before_app_request
def change_temporary_password_first():
    """An account with a temporary password goes to the password page until it has chosen its own."""
    if request.endpoint in WHILE_TEMPORARY or not current_user.is_authenticated:
        return None
    if not current_user.must_change_password:
        return None
    if request.headers.get("HX-Request") == "true":
        # htmx would follow a redirect and swap the whole page into a fragment: have it load the page instead.
        return "", 204, {"HX-Redirect": url_for("auth.change_password")}
    return redirect(url_for("auth.change_password"), code=303)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("100 per 5 minutes", methods=["POST"], deduct_when=failed, error_message=TOO_MANY)
def login():
    """Phone and password; five attempts per phone in five minutes, counted before the password is checked."""
    if current_user.is_authenticated:
        return redirect(safe_next() or url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        if not take_attempt(form.phone.data):
            form.form_errors.append(TOO_MANY)
            return render_template("auth/login.html", form=form), 429
        user = operations.authenticate(form.phone.data, form.password.data)
        if user is not None:
            forget_attempts(form.phone.data)
            login_user(user, remember=form.remember.data)
            if user.must_change_password:
                flash(_("您正在使用临时密码，请先设置一个新密码"), "info")
                return redirect(url_for("auth.change_password"), code=303)
            return redirect(safe_next() or url_for("main.home"), code=303)
        log.info("failed login for %s", form.phone.data[:3] + "****")
        form.password.errors.append(_("手机号或密码不正确"))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.post("/logout")
def logout():
    """End the session on this device, remember-me cookie included."""
    logout_user()
    flash(_("您已退出登录"), "info")
    return redirect(url_for("main.home"), code=303)


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    """End every session of the account, on every device, this one included."""
    operations.end_sessions(current_user)
    logout_user()
    flash(_("已在所有设备上退出登录，请重新登录"), "info")
    return redirect(url_for("auth.login"), code=303)


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def signup():
    """Anyone can open an account with name, phone and password."""
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = operations.signup(form.name.data, form.phone.data, form.password.data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            login_user(user, remember=True)
            flash(_("注册成功，欢迎使用宁社通"), "success")
            return redirect(safe_next() or url_for("main.home"), code=303)
    return render_template("auth/signup.html", form=form), 200 if not form.errors else 422


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password: every other device is logged out, this one stays in."""
    form = PasswordForm(current_user)
    if form.validate_on_submit():
        try:
            operations.change_password(current_user, form.current.data, form.password.data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            # The session token changed with the password: sign this device in again under the new one.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(current_user._get_current_object(), remember=remembered)
            flash(_("密码已修改，其他设备上的登录已退出"), "success")
            return redirect(url_for("main.home"), code=303)
    return render_template("auth/password.html", form=form), 200 if not form.errors else 422


@bp.get("/password/forgot")
def forgot_password():
    """What to do when the password is forgotten: whom to ask for a temporary one."""
    return render_template("auth/forgot.html")


@bp.post("/accounts/<int:user_id>/temporary-password")
@login_required
def reset_password(user_id):
    """Staff issue a temporary password and see it once, to tell its owner by phone."""
    account = User.get_or_none(User.id == user_id)
    if account is None or not can(current_user, "reset_password", account):
        abort(404)  # an account one may not reset is none of one's business: it does not exist
    password = operations.issue_temporary_password(account, current_user._get_current_object())
    response = make_response(
        render_template("auth/temporary_password.html", account=account, password=password, back=safe_next())
    )
    response.headers["Cache-Control"] = "no-store"
    return response
