"""The summary as an Excel workbook: a sheet by street and a sheet by organization, each with its totals row; every
value goes through core.exports (text inert, numbers numbers)."""
from flask_babel import gettext as _

from blueprints.recap.queries import COLUMNS
from core.exports import xlsx_sheets_response


def headers():
    return [_("参与组织"), _("已举办活动"), _("待举办活动"), _("签到人次"), _("已提交报告"), _("对接成功")]


def counts(line):
    return [getattr(line, name) for name in COLUMNS]


def street_rows(summary):
    rows = [[_("街镇"), *headers()]]
    rows += [[line.key.name, *counts(line)] for line in summary.streets]
    rows.append([_("合计"), *counts(summary.total)])
    return rows


def organization_rows(summary):
    rows = [[_("组织"), _("所属街镇"), _("报名已确认"), *headers()[1:]]]
    for line in summary.organizations:
        rows.append([line.key.name, line.key.street.name, _("是") if line.confirmed else _("否"),
                     *counts(line)[1:]])
    rows.append([_("合计"), "", summary.total.organizations, *counts(summary.total)[1:]])
    return rows


def workbook_response(summary):
    return xlsx_sheets_response(
        [(_("按街镇"), street_rows(summary)), (_("按组织"), organization_rows(summary))],
        f"month-summary-{summary.campaign.id}.xlsx",
    )
