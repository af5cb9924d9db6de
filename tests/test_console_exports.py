"""Every list of the consoles downloads as CSV and as Excel (one export helper): the street's organizations with
their filters, the street's and the district's open signals, the district's streets with their totals, the charts'
tables and the overdue reports. Each file opens (csv reader, openpyxl), holds the rows the page shows, never a full
phone number, and each download is written to the audit log."""
import csv
import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from models import AuditLog, CheckIn, Signal, Street
from tests.conftest import login

DAY = datetime.timedelta(days=1)
#: A full mainland mobile number anywhere in a file.
FULL_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def csv_rows(response):
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    assert not FULL_PHONE.search(text)
    return list(csv.reader(io.StringIO(text)))


def xlsx_sheets(response):
    assert response.status_code == 200, response.status_code
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    sheets = {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}
    for rows in sheets.values():
        for row in rows:
            assert not any(FULL_PHONE.search(str(value)) for value in row if value is not None), row
    return sheets


def xlsx_rows(response):
    sheets = xlsx_sheets(response)
    assert len(sheets) == 1
    rows = next(iter(sheets.values()))
    return [["" if value is None else str(value) for value in row] for row in rows]


def both(client, url):
    """The CSV's rows and the workbook's, as text; they must be the same."""
    path, _sep, query = url.partition("?")
    suffix = f"?{query}" if query else ""
    from_csv = csv_rows(client.get(f"{path}.csv{suffix}"))
    from_xlsx = xlsx_rows(client.get(f"{path}.xlsx{suffix}"))
    assert from_csv == from_xlsx
    return from_csv


def exports_logged():
    return list(AuditLog.select().where(AuditLog.action == "console.export").order_by(AuditLog.id))


@pytest.fixture
def moderator(make_user):
    return make_user("street_moderator", street="xinhua")


@pytest.fixture
def admin(make_user):
    return make_user("district_admin")


def test_the_streets_organizations_with_the_lists_filters(client, moderator, make_org, make_user):
    choir = make_org("xinhua", name="新华路银发合唱团", kind="social_group", grade="3A", grade_year=2025,
                     annual_report_year=2025, credit_code="51310105MJ1234567X", service_fields="elderly,culture_sports")
    make_org("xinhua", name="新华路读书会", kind="community", service_fields="culture_sports")
    make_org("xinhua", name="新华路青少年中心", kind="social_group", service_fields="youth")
    make_org("tianshan", name="天山路合唱团", kind="social_group", service_fields="elderly")
    Signal.create(kind="zombie", organization=choir, street=choir.street, subject="org", reason="180 天没有活动",
                  fingerprint="x")
    login(client, moderator)
    page = client.get("/streets/xinhua/orgs?kind=social_group&field=elderly").get_data(as_text=True)
    assert "导出 Excel" in page and "/streets/xinhua/orgs.xlsx?" in page
    rows = both(client, "/streets/xinhua/orgs?kind=social_group&field=elderly")
    header, *lines = rows
    assert header[0] == "名称" and "联系电话" in header
    assert [line[0] for line in lines] == ["新华路银发合唱团"]  # the page's one row, not tianshan's nor the others
    line = dict(zip(header, lines[0], strict=True))
    assert line["统一社会信用代码"] == "51310105MJ1234567X"
    assert line["类型"] and line["类型"] != "social_group"  # the kind's name, as the list shows it
    assert line["评估等级"] == "3A" and line["评估年份"] == "2025" and line["年报已交至"] == "2025"
    assert line["待查看的风险提示"] == "1"
    assert line["联系电话"] == choir.contact_phone[:3] + "****" + choir.contact_phone[-4:]
    # Without filters: every organization of the street, by name, as the list.
    names = [line[0] for line in both(client, "/streets/xinhua/orgs")[1:]]
    assert sorted(names) == sorted(["新华路银发合唱团", "新华路读书会", "新华路青少年中心"]) and len(names) == 3
    logged = exports_logged()
    assert len(logged) == 4 and all(e.actor_id == moderator.id and e.street_id == choir.street_id for e in logged)


def test_another_streets_moderator_cannot_export(client, make_user, make_org):
    make_org("xinhua")
    login(client, make_user("street_moderator", street="tianshan"))
    assert client.get("/streets/xinhua/orgs.csv").status_code == 404
    assert client.get("/streets/xinhua/signals.xlsx").status_code == 404
    assert client.get("/streets/xinhua/overdue.csv").status_code == 404
    assert client.get("/streets/tianshan/orgs.pdf").status_code == 404
    assert client.get("/admin/streets.csv").status_code == 403
    assert not exports_logged()


def make_signal(org, kind, status="open", reason="原因", **extra):
    return Signal.create(kind=kind, organization=org, street=org.street, subject=f"{kind}:{Signal.select().count()}",
                         reason=reason, fingerprint="x", status=status, **extra)


def test_the_streets_and_the_districts_open_signals(client, moderator, admin, make_org):
    choir = make_org("xinhua", name="新华路银发合唱团")
    other = make_org("tianshan", name="天山路合唱团")
    make_signal(choir, "zombie", reason="最近 180 天没有发布活动")
    make_signal(choir, "checkin_anomaly", reason="一台设备 1 分钟内签到 30 人：138****0001")
    make_signal(choir, "zero_checkin", status="closed", note="已电话核实", closed_by=moderator,
                closed_at=datetime.datetime(2026, 5, 1, 2, 0))
    make_signal(other, "annual_report", reason="2025 年年报未交")
    login(client, moderator)
    page = client.get("/streets/xinhua/signals").get_data(as_text=True)
    assert "/streets/xinhua/signals.xlsx?status=open" in page
    header, *lines = both(client, "/streets/xinhua/signals")
    assert header[:6] == ["类型", "组织", "街镇", "原因", "提示时间", "状态"] and "备注" in header
    assert sorted((line[0], line[1], line[2], line[5]) for line in lines) == [
        ("疑似僵尸", "新华路银发合唱团", "新华路街道", "待查看"),
        ("签到异常", "新华路银发合唱团", "新华路街道", "待查看"),
    ]
    assert len(lines) == 2 == int(re.search(r"共 (\d+) 条", page).group(1))
    # The looked-at ones, with who and the note.
    header, *closed = both(client, "/streets/xinhua/signals?status=closed")
    assert len(closed) == 1
    line = dict(zip(header, closed[0], strict=True))
    assert line["状态"] == "已查看" and line["备注"] == "已电话核实" and line["查看人"] == moderator.name
    assert line["查看时间"] == "2026-05-01 10:00"  # Shanghai time

    login(client, admin)
    page = client.get("/admin/signals").get_data(as_text=True)
    assert "/admin/signals.xlsx" in page
    header, *lines = both(client, "/admin/signals")
    assert sorted((line[0], line[2]) for line in lines) == [
        ("年报未交", "天山路街道"), ("疑似僵尸", "新华路街道"), ("签到异常", "新华路街道")]
    assert len(exports_logged()) == 6


def console_numbers(html):
    """The district console's rows: [street, numbers...] as the page shows them."""
    body = html.split('id="streets"')[1].split("</table>")[0]
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [re.sub(r"<[^>]+>", " ", c).split() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if cells:
            found.append([cells[0][0], *(c[0] for c in cells[1:])])
    return found


def test_the_districts_streets_with_their_totals(client, admin, make_org, make_event):
    for slug, n in (("xinhua", 3), ("tianshan", 2), ("hongqiao", 1)):
        for i in range(n):
            make_org(slug, grade="3A" if i == 0 else None)
    org = make_org("xinhua")
    event = make_event(org, status="ended", starts_in=-2 * DAY)
    CheckIn.create(event=event, name="居民", phone="13800000001", number=1)
    make_signal(org, "zombie")
    login(client, admin)
    html = client.get("/admin/").get_data(as_text=True)
    assert "/admin/streets.xlsx" in html
    header, *lines = both(client, "/admin/streets")
    assert header[0] == "街镇" and header[-1] == "等级占比"
    streets = Street.select().where(Street.district == admin.district_id).count()
    assert len(lines) == streets + 1 and lines[-1][0] == "合计"
    by_name = {line[0]: line for line in lines}
    assert by_name["新华路街道"][1:3] == ["4", "4"]  # organizations, of which 正常
    assert by_name["新华路街道"][6:8] == ["1", "1"]  # this year's events and check-ins
    numeric = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12]
    for column in numeric:  # the totals row is the sum of the streets
        assert int(lines[-1][column]) == sum(int(line[column]) for line in lines[:-1]), header[column]
    # The same numbers as the page: organizations, the statuses, events, check-ins, signals.
    page = {row[0]: row for row in console_numbers(html)}
    for line in lines[:-1]:
        shown = page[line[0]]
        assert shown[1:8] == line[1:8] and shown[9] == line[11]


def test_the_charts_tables_one_sheet_a_chart(client, moderator, admin, make_org):
    make_org("xinhua", grade="3A", service_fields="elderly,youth", party_org="own_branch")
    make_org("xinhua", service_fields="elderly")
    login(client, moderator)
    page = client.get("/streets/xinhua/charts").get_data(as_text=True)
    assert "/streets/xinhua/charts.xlsx?chart=fields" in page
    sheets = xlsx_sheets(client.get("/streets/xinhua/charts.xlsx"))
    assert list(sheets) == ["每月活动和签到", "服务领域", "等级评估", "党组织覆盖", "风险提示"]
    months = sheets["每月活动和签到"]
    assert months[0] == ["月份", "活动场次", "签到人次"] and len(months) == 12 + 2 and months[-1][0] == "合计"
    grades = {row[0]: row[1] for row in sheets["等级评估"]}
    assert grades["正常组织"] == 2 and grades["有评估等级"] == 1 and grades["占比"] == "50.0%"
    fields = csv_rows(client.get("/streets/xinhua/charts.csv?chart=fields"))
    assert fields[0] == ["服务领域", "组织数"]
    counted = {name: int(n) for name, n in fields[1:]}
    assert counted["养老"] == 2 and sum(counted.values()) == 3
    assert [row[0] for row in fields] == [row[0] for row in sheets["服务领域"]]
    # The page's table says the same.
    table = page.split('id="fields"')[1].split("</table>")[0]
    for name, n in counted.items():
        assert re.search(rf">{name}</th><td[^>]*>{n}</td>", table), name
    assert client.get("/streets/xinhua/charts.csv?chart=nothing").status_code == 404

    login(client, admin)
    district = xlsx_sheets(client.get("/admin/charts.xlsx"))
    assert {row[0]: row[1] for row in district["等级评估"]}["正常组织"] >= 2
    assert csv_rows(client.get("/admin/charts.csv?chart=signals"))[0] == ["风险提示类型", "条数"]
    assert len(exports_logged()) == 4  # not the chart that does not exist


def test_the_overdue_reports(client, moderator, make_org, make_event):
    org = make_org("xinhua", name="新华路银发合唱团")
    late = make_event(org, status="ended", starts_in=-20 * DAY, title="重阳敬老午餐会")
    later = make_event(org, status="ended", starts_in=-10 * DAY, title="社区合唱排练")
    make_event(org, status="ended", starts_in=-2 * DAY, title="昨天的活动")  # not yet due
    make_event(make_org("tianshan"), status="ended", starts_in=-20 * DAY, title="天山路的活动")
    login(client, moderator)
    html = client.get("/streets/xinhua/").get_data(as_text=True)
    assert "/streets/xinhua/overdue.xlsx" in html
    header, *lines = both(client, "/streets/xinhua/overdue")
    assert header[:4] == ["活动", "组织", "结束时间", "逾期天数"]
    assert [line[0] for line in lines] == [late.title, later.title]  # the oldest first, as the console
    assert int(lines[0][3]) > int(lines[1][3]) > 0
    assert lines[0][5] == org.contact_phone[:3] + "****" + org.contact_phone[-4:]
    logged = exports_logged()
    assert len(logged) == 2 and logged[0].target_type == "street" and "overdue" in logged[0].detail


def test_the_accounts_and_audit_exports_are_logged_too(client, admin):
    login(client, admin)
    assert client.get("/admin/accounts.csv").status_code == 200
    assert client.get("/admin/audit.xlsx").status_code == 200
    assert [e.detail.split()[0] for e in exports_logged()] == ["accounts.csv", "audit.xlsx"]
    page = client.get("/admin/audit?action=console.export").get_data(as_text=True)
    assert "导出表格" in page
