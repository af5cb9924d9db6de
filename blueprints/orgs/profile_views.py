"""The street office's record of its organizations: the filtered list, and each one's profile with its timeline,
where the office sets its status, grade and 年报 and adds remarks."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.orgs import bp, operations, queries
from blueprints.orgs.forms import AnnualReportForm, GradeForm, RemarkForm, StatusForm
from core.access import street_or_404, street_organization_or_404
from core.errors import ValidationError
from core.exports import FORMATS, table_response
from core.forms import apply_errors
from core.htmx import page_arg, render_part
from core.templating import label
from core.timeutil import local_now
from core.validators import mask_phone
from models import AuditLog

#: Organizations a page of the list shows.
PER_PAGE = 50


@bp.get("/streets/<slug>/orgs")
@login_required
def street_list(slug):
    """The street's organizations: search, filters (kind, service field, grade, status, open signals), paged."""
    street = street_or_404(slug)
    filters = queries.filters_from(request.args)
    page = page_arg()
    organizations = queries.filtered(street, **filters)
    shown = list(organizations.paginate(page, PER_PAGE))
    return render_part(
        "orgs/street_list.html", "streets/_org_list.html",
        street=street, organizations=shown, total=organizations.count(), page=page, per_page=PER_PAGE,
        signal_counts=queries.open_signal_counts(shown), filtered=True, **filters,
    )


@bp.get("/streets/<slug>/orgs.<fmt>")
@login_required
def street_list_export(slug, fmt):
    """The street's organizations with the list's filters, every one of them, as CSV or Excel; phones masked."""
    if fmt not in FORMATS:
        abort(404)
    street = street_or_404(slug)
    filters = queries.filters_from(request.args)
    organizations = queries.filtered(street, **filters)
    signal_counts = queries.open_signal_counts_of(organizations)
    AuditLog.record(current_user, "console.export", street, detail=f"orgs.{fmt} {request.query_string.decode()}",
                    street=street)

    def rows():
        yield [_("名称"), _("统一社会信用代码"), _("类型"), _("服务领域"), _("评估等级"), _("评估年份"),
               _("年报已交至"), _("状态"), _("待查看的风险提示"), _("联系人"), _("联系电话")]
        for org in organizations.iterator():
            fields = "、".join(str(label(f, "service_field")) for f in org.service_fields.split(",") if f)
            yield [org.name, org.credit_code or "", label(org.kind, "org_kind"), fields, org.grade or _("无"),
                   org.grade_year or "", org.annual_report_year or "", label(org.status, "org_status"),
                   signal_counts.get(org.id, 0), org.contact_name, mask_phone(org.contact_phone)]

    filename = f"orgs-{street.slug}-{local_now().date().isoformat()}"
    return table_response(rows(), filename, fmt, sheet_title=_("组织"))


def _profile(street, organization, status=200, **sent):
    """The profile page, with the forms given (sent back with their messages) and fresh ones for the rest."""
    page = page_arg()
    entries, more = queries.timeline(organization, page)
    year, filed = queries.annual_report_state(organization)
    blank = {"status_form": StatusForm, "grade_form": GradeForm, "report_form": AnnualReportForm,
             "remark_form": RemarkForm}
    forms = {name: sent.get(name) or form(formdata=None) for name, form in blank.items()}
    if "grade_form" not in sent:
        forms["grade_form"].grade.data = organization.grade or ""
        forms["grade_form"].year.data = organization.grade_year
    if "report_form" not in sent:
        forms["report_form"].year.data = year
    return render_template(
        "orgs/profile.html", street=street, organization=organization, members=list(queries.members(organization)),
        signals=list(queries.open_signals(organization)),
        entries=entries, more=more, page=page, report_year=year, report_filed=filed, **forms,
    ), status


@bp.get("/streets/<slug>/orgs/<int:org_id>")
@login_required
def profile(slug, org_id):
    """One organization as its street office sees it: details, members, grade, 年报, signals, timeline."""
    street = street_or_404(slug)
    return _profile(street, street_organization_or_404(street, org_id))


def _change(slug, org_id, form_class, form_name, operation, done):
    """Validate ``form_class``, run ``operation(organization, form)``; back to the timeline, or 422 beside the field."""
    street = street_or_404(slug)
    organization = street_organization_or_404(street, org_id)
    form = form_class()
    if form.validate_on_submit():
        try:
            operation(organization, form)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash(done, "success")
            return redirect(url_for("orgs.profile", slug=slug, org_id=org_id) + "#timeline", code=303)
    return _profile(street, organization, 422, **{form_name: form})


@bp.post("/streets/<slug>/orgs/<int:org_id>/status")
@login_required
def set_status(slug, org_id):
    return _change(slug, org_id, StatusForm, "status_form", lambda o, f: operations.set_status(
        o, current_user, f.status.data, f.note.data), _("已修改组织状态"))


@bp.post("/streets/<slug>/orgs/<int:org_id>/grade")
@login_required
def set_grade(slug, org_id):
    return _change(slug, org_id, GradeForm, "grade_form", lambda o, f: operations.set_grade(
        o, current_user, f.grade.data, f.year.data, f.note.data), _("已记录评估等级"))


@bp.post("/streets/<slug>/orgs/<int:org_id>/annual-report")
@login_required
def record_annual_report(slug, org_id):
    return _change(slug, org_id, AnnualReportForm, "report_form", lambda o, f: operations.record_annual_report(
        o, current_user, f.year.data, f.filed.data == "yes", f.note.data), _("已记录年报情况"))


@bp.post("/streets/<slug>/orgs/<int:org_id>/notes")
@login_required
def add_note(slug, org_id):
    return _change(slug, org_id, RemarkForm, "remark_form", lambda o, f: operations.add_note(
        o, current_user, f.text.data), _("已添加备注"))
