"""The district console: every street side by side, and staff accounts."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from peewee import JOIN
from wtforms.fields.choices import SelectChoice

from blueprints.admin import bp, operations
from blueprints.admin.forms import StaffForm
from blueprints.stats import queries as stats_queries
from core.access import role_required, watched_streets
from core.errors import ValidationError
from core.forms import apply_errors
from core.validators import parse_id
from models import Street, User, utcnow

#: The district console's other pages: (endpoint, text), each shown once its feature exists.
CONSOLE_LINKS = (
    ("stats.district", _l("数据图表")),
    ("signals.district", _l("风险提示")),
    ("campaigns.list", _l("公益大赛和伙伴月")),
    ("admin.accounts", _l("管理员和评审专家账号")),
    ("admin.audit", _l("操作日志")),
)


@bp.get("/")
@role_required("district_admin")
def console():
    """The streets of the district side by side (organizations, events and check-ins this year, reports on time,
    open signals, grade share), their totals, and the district's other pages."""
    lines, total = stats_queries.district_table(
        current_user.district_id, utcnow(), current_app.config["REPORT_DUE_DAYS"]
    )
    links = [(endpoint, text) for endpoint, text in CONSOLE_LINKS if endpoint in current_app.view_functions]
    return render_template("admin/console.html", lines=lines, total=total, links=links,
                           district=current_user.district, due_days=current_app.config["REPORT_DUE_DAYS"])


@bp.post("/accounts/<int:user_id>/active")
@role_required("district_admin")
def set_active(user_id):
    """Stop or restore a moderator's or reviewer's account."""
    user = staff_of(current_user).where(User.id == user_id).first()
    if user is None:
        abort(404)
    turn_on = request.form.get("active") == "1"
    operations.set_active(user, current_user, turn_on)
    if turn_on:
        flash(_("已恢复 %(name)s 的账号", name=user.name), "success")
    else:
        flash(_("已停用 %(name)s 的账号，该账号不能再登录", name=user.name), "success")
    return redirect(url_for("admin.accounts"), code=303)


def staff_of(admin):
    """The moderators of the streets of the admin's district, and the reviewers and partners of that district."""
    return (
        User.select(User, Street)
        .join(Street, JOIN.LEFT_OUTER)
        .where(
            ((User.role == "street_moderator") & (Street.district == admin.district_id))
            | ((User.role.in_(("reviewer", "partner"))) & (User.district == admin.district_id))
        )
    )


@bp.route("/accounts", methods=["GET", "POST"])
@role_required("district_admin")
def accounts():
    """Create street moderator and reviewer accounts; list the existing ones."""
    streets = watched_streets(current_user)
    form = StaffForm()
    form.street.choices = [SelectChoice("", _("（评审专家、公益伙伴不选）"))] + [
        SelectChoice(str(s.id), s.name) for s in streets
    ]
    if form.validate_on_submit():
        street_id = parse_id(form.street.data)
        street = streets.where(Street.id == street_id).first() if street_id is not None else None
        try:
            user = operations.create_staff(
                current_user, form.role.data, form.name.data, form.phone.data, form.password.data, street,
                affiliation=form.affiliation.data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash(_("已创建账号：%(name)s", name=user.name), "success")
            return redirect(url_for("admin.accounts"), code=303)
    staff = staff_of(current_user).order_by(User.role, Street.code, User.name)
    return render_template("admin/accounts.html", form=form, staff=staff), 200 if not form.errors else 422
