"""Log in and out, sign up, change password."""
import logging

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from blueprints.auth import bp, operations
from blueprints.auth.forms import LoginForm, PasswordForm, SignupForm
from core.errors import ValidationError
from core.forms import apply_errors
from core.limits import failed, limiter, phone_key
from core.urls import safe_next

log = logging.getLogger(__name__)
TOO_MANY = _l("登录失败次数过多，请 5 分钟后再试。")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("5 per 5 minutes", key_func=phone_key, methods=["POST"], deduct_when=failed, error_message=TOO_MANY)
@limiter.limit("100 per 5 minutes", methods=["POST"], deduct_when=failed, error_message=TOO_MANY)
def login():
    """Phone and password."""
    if current_user.is_authenticated:
        return redirect(safe_next() or url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = operations.authenticate(form.phone.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next() or url_for("main.home"), code=303)
        log.info("failed login for %s", form.phone.data[:3] + "****")
        form.password.errors.append(_("手机号或密码不正确"))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.post("/logout")
def logout():
    """End the session on this device."""
    logout_user()
    flash(_("您已退出登录"), "info")
    return redirect(url_for("main.home"), code=303)


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
    """Change one's own password."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            operations.change_password(current_user, form.current.data, form.password.data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash(_("密码已修改"), "success")
            return redirect(url_for("main.home"), code=303)
    return render_template("auth/password.html", form=form), 200 if not form.errors else 422
