"""The organization's service hours over a date range: a table for its admins (phones masked) and the CSV that
Shanghai's volunteer platforms take (full phones, audit-logged)."""
import datetime

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.shifts import bp, queries
from blueprints.shifts.forms import HoursForm
from blueprints.shifts.views import local_day
from core.access import organization_or_404
from core.exports import csv_response
from core.timeutil import local_now, to_utc
from models import AuditLog


def period_form():
    """The form read from the query string; a date left out is this year's first or last day (Shanghai)."""
    year = local_now().year
    form = HoursForm(formdata=request.args)
    valid = form.validate()
    start = form["from"].data or datetime.date(year, 1, 1)
    end = form["to"].data or datetime.date(year, 12, 31)
    for name, default in (("from", start), ("to", end)):
        if not any(form[name].raw_data or ()):  # left out or empty: show the day it stands for
            form[name].data, form[name].raw_data = default, []
    return form, valid, start, end


def bounds(start, end):
    """[start's Shanghai midnight, the midnight after end) in naive UTC."""
    return (to_utc(datetime.datetime.combine(start, datetime.time())),
            to_utc(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time())))


def hours_page(organization, form, shifts, start, end, status=200):
    volunteers, total = queries.hours_table(shifts)
    return render_template(
        "shifts/org_hours.html", organization=organization, form=form, volunteers=volunteers, total=total,
        start=start, end=end, events=len({s.event_id for s in shifts}),
    ), status


@bp.get("/orgs/<int:org_id>/hours")
@login_required
def org_hours(org_id):
    """志愿服务时长统计: volunteer × event × hours, with totals, from … to … (this year unless chosen)."""
    organization = organization_or_404(org_id, admin=True)
    form, valid, start, end = period_form()
    if not valid:
        return hours_page(organization, form, [], start, end, 422)
    return hours_page(organization, form, queries.org_shifts(organization, *bounds(start, end)), start, end)


def export_rows(shifts):
    """One row per volunteer, event and day (two shifts on one day add up), as the platforms enter them."""
    yield [_("姓名"), _("手机号"), _("活动"), _("日期"), _("时长（小时）")]
    rows = {}
    for s in shifts:
        key = (s.volunteer_id, s.event_id, local_day(s.started_at))
        rows.setdefault(key, [s.volunteer.name, s.volunteer.phone, s.event.title, key[2], queries.ZERO])
        rows[key][-1] += queries.hours_of(s)
    for row in rows.values():
        yield [*row[:-1], str(row[-1])]


@bp.get("/orgs/<int:org_id>/hours.csv")
@login_required
def org_hours_csv(org_id):
    """The range's hours with full phones (the platforms need them): the organization's admins only, logged."""
    organization = organization_or_404(org_id, admin=True)
    form, valid, start, end = period_form()
    if not valid:
        return hours_page(organization, form, [], start, end, 422)
    shifts = queries.org_shifts(organization, *bounds(start, end))
    AuditLog.record(current_user, "shift.export_org", organization, detail=f"{start}~{end}",
                    street=organization.street)
    return csv_response(export_rows(shifts), f"hours-{organization.id}-{start}-{end}.csv")
