"""操作日志: the district's (its admin) and a street's (its moderator), searched by who, what, object and date, paged
newest first, and exported with the same search."""
from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from blueprints.admin import bp, queries, street_bp
from blueprints.admin.forms import AuditForm
from core.access import role_required, street_or_404
from core.exports import FORMATS, table_response
from core.htmx import page_arg
from core.timeutil import local_now, to_local
from core.validators import mask_phone
from models import AuditLog

#: The query parameters of the search, repeated by the paging and export links.
SEARCH_FIELDS = ("who", "action", "target_type", "target_id", "from", "to")


def search_form(street=None):
    """The search read from the query string, its selects offering the actions present (``street``'s for a street)
    and the kinds of object."""
    form = AuditForm(formdata=request.args)
    form.action.choices = [SelectChoice("", _("全部操作"))] + [
        SelectChoice(a, f"{queries.action_label(a)}（{a}）" if a in queries.ACTION_LABELS else a)
        for a in queries.present_actions(street)
    ]
    form.target_type.choices = [SelectChoice("", _("全部对象"))] + [
        SelectChoice(t, str(label)) for t, label in sorted(queries.TARGET_LABELS.items(), key=lambda i: str(i[1]))
    ]
    return form, form.validate()


def page(scope, title, street=None, export_endpoint=None, export_args=None):
    form, valid = search_form(street)
    number = page_arg()
    rows, total = [], 0
    if valid:
        found = queries.search(scope, **queries.search_form_values(form))
        rows, total = list(found.paginate(number, queries.PER_PAGE)), queries.count(found)
    args = {name: value for name, value in request.args.items() if name in SEARCH_FIELDS and value}
    return render_template(
        "admin/audit.html", form=form, rows=rows, total=total, page=number, per_page=queries.PER_PAGE,
        title=title, street=street, args=args, count_max=queries.COUNT_MAX, export_endpoint=export_endpoint,
        export_args={**args, **(export_args or {})}, page_args={**args, **request.view_args},
        action_label=queries.action_label, target_label=queries.target_label,
    ), 200 if valid else 422


def export(scope, filename, fmt, street=None):
    if fmt not in FORMATS:
        abort(404)
    form, valid = search_form(street)
    if not valid:
        return _("请先改正搜索条件。"), 422
    found = queries.search(scope, **queries.search_form_values(form)).limit(queries.EXPORT_MAX)
    AuditLog.record(current_user, "console.export", street or current_user.district,
                    detail=f"{filename}.{fmt} {request.query_string.decode()}", street=street)

    def rows():
        yield [_("时间"), _("操作人"), _("操作人手机号"), _("操作"), _("操作代码"), _("对象类型"), _("对象编号"),
               _("街镇"), _("说明")]
        for entry in found.iterator():
            actor = entry.actor if entry.actor_id else None
            yield [
                to_local(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                actor.name if actor else "", mask_phone(actor.phone) if actor else "",
                queries.action_label(entry.action), entry.action, queries.target_label(entry.target_type),
                entry.target_id, entry.street.name if entry.street_id else "", entry.detail,
            ]

    return table_response(rows(), f"{filename}-{local_now().date().isoformat()}", fmt, sheet_title=_("操作日志"))


@bp.get("/audit")
@role_required("district_admin")
def audit():
    """The district's audit log: its streets' rows and its staff's."""
    scope = queries.district_scope(current_user.district_id)
    title = _("%(district)s操作日志", district=current_user.district.name)
    return page(scope, title, export_endpoint="admin.audit_export")


@bp.get("/audit.<fmt>")
@role_required("district_admin")
def audit_export(fmt):
    """The district's audit log as CSV or Excel, with the page's search; phones masked."""
    return export(queries.district_scope(current_user.district_id), "audit", fmt)


@street_bp.get("/<slug>/audit")
@login_required
def log(slug):
    """A street's audit log: only the rows written as that street's."""
    street = street_or_404(slug)
    return page(queries.street_scope(street), _("%(street)s操作日志", street=street.name), street=street,
                export_endpoint="street_audit.export_street", export_args={"slug": street.slug})


@street_bp.get("/<slug>/audit.<fmt>")
@login_required
def export_street(slug, fmt):
    """A street's audit log as CSV or Excel, with the page's search; phones masked."""
    street = street_or_404(slug)
    return export(queries.street_scope(street), f"audit-{street.slug}", fmt, street)
