"""The district console: every street side by side, and staff accounts."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from peewee import JOIN
from wtforms.fields.choices import SelectChoice

from blueprints.admin import bp, operations
from blueprints.admin.forms import MoveForm, StaffForm
from blueprints.stats import queries as stats_queries
from core.access import role_required, watched_streets
from core.errors import ValidationError
from core.exports import FORMATS, table_response
from core.forms import apply_errors
from core.templating import label
from core.timeutil import local_now, to_local
from core.validators import mask_phone, parse_id
from models import AuditLog, Street, User, utcnow

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


@bp.get("/streets.<fmt>")
@role_required("district_admin")
def streets_export(fmt):
    """The console's streets side by side, with the totals row, as CSV or Excel."""
    if fmt not in FORMATS or current_user.district_id is None:
        abort(404)
    lines, total = stats_queries.district_table(
        current_user.district_id, utcnow(), current_app.config["REPORT_DUE_DAYS"]
    )
    AuditLog.record(current_user, "console.export", current_user.district, detail=f"streets.{fmt}")

    def rows():
        yield [_("街镇"), _("组织总数"), _("正常"), _("待审核"), _("活动异常"), _("已注销"), _("今年活动"),
               _("今年签到"), _("已到报告期限的活动"), _("按时报告"), _("按时报告占比"), _("风险提示"),
               _("有评估等级的正常组织"), _("等级占比")]
        for line in [*lines, total]:
            yield [line.street.name if line.street else _("合计"), line.total, *(
                line.counts.get(s, 0) for s in stats_queries.STATUSES
            ), line.events, line.checkins, line.due, line.on_time, line.on_time_text, line.signals, line.graded,
                line.grade_text]

    filename = f"streets-{local_now().date().isoformat()}"
    return table_response(rows(), filename, fmt, sheet_title=_("各街镇对比"))


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


def spreadsheet_time(utc):
    """A stored time as Shanghai's 2026-05-12 14:00: sortable in a spreadsheet."""
    return to_local(utc).strftime("%Y-%m-%d %H:%M") if utc else ""


def street_choices(streets):
    return [SelectChoice("", _("（评审专家、公益伙伴不选）"))] + [SelectChoice(str(s.id), s.name) for s in streets]


def move_form(user, **kwargs):
    """A moderator row's form; its select's id names the row (the page has one per moderator)."""
    form = MoveForm(**kwargs)
    form.street.choices = []
    form.street.id = form.street.label.field_id = f"move-{user.id}-street"
    return form


def render_accounts(form, move_forms=None, status=200):
    """The accounts page: the form to create one, and every staff account with its buttons; a moderator's row has
    its own form to move them to another street (``move_forms`` by user id: the one sent back with its message)."""
    streets = list(watched_streets(current_user).order_by(Street.code))
    staff = list(staff_of(current_user).order_by(User.role, Street.code, User.name))
    move_forms = dict(move_forms or {})
    for user in staff:
        if user.role == "street_moderator":
            move = move_forms.setdefault(user.id, move_form(user, formdata=None))
            move.street.choices = [SelectChoice("", _("请选择"))] + [
                SelectChoice(str(s.id), s.name) for s in streets if s.id != user.street_id
            ]
    return render_template("admin/accounts.html", form=form, staff=staff, move_forms=move_forms), status


@bp.route("/accounts", methods=["GET", "POST"])
@role_required("district_admin")
def accounts():
    """Create street moderator and reviewer accounts; list the existing ones."""
    streets = watched_streets(current_user)
    form = StaffForm()
    form.street.choices = street_choices(streets)
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
    return render_accounts(form, status=200 if not form.errors else 422)


@bp.post("/accounts/<int:user_id>/street")
@role_required("district_admin")
def move_street(user_id):
    """Move a street moderator to another street of the district."""
    user = staff_of(current_user).where(User.id == user_id, User.role == "street_moderator").first()
    if user is None:
        abort(404)
    form = move_form(user)
    if form.validate_on_submit():
        street_id = parse_id(form.street.data or "")
        street = watched_streets(current_user).where(Street.id == street_id).first() if street_id else None
        try:
            operations.move_street(user, current_user, street)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash(_("已将 %(name)s 调往%(street)s", name=user.name, street=street.name), "success")
            return redirect(url_for("admin.accounts", _anchor=f"account-{user.id}"), code=303)
    blank = StaffForm(formdata=None)
    blank.street.choices = street_choices(watched_streets(current_user))
    return render_accounts(blank, {user.id: form}, 422)


@bp.get("/accounts.<fmt>")
@role_required("district_admin")
def accounts_export(fmt):
    """The district's staff accounts as a spreadsheet, phones masked."""
    if fmt not in FORMATS:
        abort(404)
    staff = staff_of(current_user).order_by(User.role, Street.code, User.name)

    def rows():
        yield [_("姓名"), _("角色"), _("所在单位"), _("街镇"), _("手机号"), _("账号状态"), _("创建时间")]
        for u in staff:
            yield [u.name, label(u.role, "role"), u.affiliation, u.street.name if u.street_id else "",
                   mask_phone(u.phone), _("正常") if u.active else _("已停用"), spreadsheet_time(u.created_at)]

    AuditLog.record(current_user, "console.export", current_user.district, detail=f"accounts.{fmt}")
    filename = f"accounts-{local_now().date().isoformat()}"
    return table_response(rows(), filename, fmt, sheet_title=_("账号"))
