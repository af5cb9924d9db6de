"""The charts of one street (its watchers) and of the whole district (its admin), and their tables to download."""
from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.stats import bp, queries
from core import charts as draw
from core.access import role_required, street_or_404
from core.exports import FORMATS, table_response, xlsx_sheets_response
from core.timeutil import local_now
from models import AuditLog, Street, utcnow

#: The charts' tables, by the ``chart`` a CSV asks for: one CSV a chart, one Excel sheet a chart.
CHART_KEYS = ("months", "fields", "grades", "party", "signals")


@bp.get("/streets/<slug>/charts")
@login_required
def street(slug):
    """Events and check-ins by month, organizations by service field, grades, party coverage, open signals."""
    street = street_or_404(slug)
    data = queries.charts(Street.select(Street.id).where(Street.id == street.id), utcnow())
    return render_template("stats/charts.html", charts=data, draw=draw, target=queries.GRADE_TARGET,
                           scope=street.name, street=street)


@bp.get("/admin/charts")
@role_required("district_admin")
def district():
    """The same charts over every street of the district."""
    district = current_user.district
    data = queries.charts(Street.select(Street.id).where(Street.district == current_user.district_id), utcnow())
    return render_template("stats/charts.html", charts=data, draw=draw, target=queries.GRADE_TARGET,
                           scope=district.name if district else "", street=None)


def tables(charts):
    """{chart: (title, rows)}: the tables beside the charts, the first row of each its header."""
    months = [[_("月份"), _("活动场次"), _("签到人次")]]
    months += [[_("%(year)d年%(month)d月", year=start.year, month=start.month), int(events.value),
                int(checkins.value)] for start, events, checkins in charts.months]
    months.append([_("合计"), charts.events_total, charts.checkins_total])
    grades = [[_("等级评估"), _("组织数")], [_("正常组织"), charts.organizations], [_("有评估等级"), charts.graded]]
    grades += [[_("其中 %(grade)s", grade=bar.label), int(bar.value)] for bar in charts.grades]
    grades += [[_("占比"), charts.grade_share], [_("目标"), f"{queries.GRADE_TARGET * 100:.0f}%"]]
    party = [[_("党组织情况"), _("组织数")], *([bar.label, int(bar.value)] for bar in charts.party),
             [_("覆盖率"), charts.party_share]]
    signals = [[_("风险提示类型"), _("条数")], *([bar.label, int(bar.value)] for bar in charts.signals),
               [_("合计"), charts.signals_total]]
    fields = [[_("服务领域"), _("组织数")], *([bar.label, int(bar.value)] for bar in charts.fields)]
    return {
        "months": (_("每月活动和签到"), months),
        "fields": (_("服务领域"), fields),
        "grades": (_("等级评估"), grades),
        "party": (_("党组织覆盖"), party),
        "signals": (_("风险提示"), signals),
    }


def export(streets, name, fmt, target, street=None):
    """The charts' tables as one workbook (a sheet a chart) or one chart's table as CSV (``?chart=``)."""
    chart = request.args.get("chart", "months")
    if fmt not in FORMATS or (fmt == "csv" and chart not in CHART_KEYS):
        abort(404)
    found = tables(queries.charts(streets, utcnow()))
    AuditLog.record(current_user, "console.export", target, detail=f"charts.{fmt} {request.query_string.decode()}",
                    street=street)
    filename = f"charts-{name}-{local_now().date().isoformat()}"
    if fmt == "csv":
        return table_response(found[chart][1], f"{filename}-{chart}", fmt)
    return xlsx_sheets_response(list(found.values()), f"{filename}.xlsx")


@bp.get("/streets/<slug>/charts.<fmt>")
@login_required
def street_export(slug, fmt):
    """The street's charts' tables as CSV (one chart) or Excel (every chart)."""
    street = street_or_404(slug)
    return export(Street.select(Street.id).where(Street.id == street.id), street.slug, fmt, street, street)


@bp.get("/admin/charts.<fmt>")
@role_required("district_admin")
def district_export(fmt):
    """The district's charts' tables as CSV (one chart) or Excel (every chart)."""
    if current_user.district is None:
        abort(404)
    streets = Street.select(Street.id).where(Street.district == current_user.district_id)
    return export(streets, "district", fmt, current_user.district)
