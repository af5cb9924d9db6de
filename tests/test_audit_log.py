"""操作日志: the district's and a street's, searched by who, what, object and Shanghai dates, paged newest first,
bad input answered beside the field, and exported to CSV and Excel with the same search and masked phones."""
import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from models import AuditLog, District, Street
from tests.conftest import login


@pytest.fixture
def log(make_user, make_org, street):
    """Rows of Xinhua, of Tianshan, a district admin's row of no street, and one of another district."""
    xuhui = District.create(code="310104", name="徐汇区")
    tianping = Street.create(district=xuhui, code="310104003", slug="tianping", name="天平路街道")
    people = {
        "admin": make_user("district_admin", name="区管理员", phone="13700000001"),
        "xinhua": make_user("street_moderator", street="xinhua", name="王新华", phone="13911110001"),
        "tianshan": make_user("street_moderator", street="tianshan", name="李天山", phone="13911110002"),
        "other_admin": make_user("district_admin", district=xuhui, name="徐汇管理员"),
    }
    org = make_org("xinhua")
    other = make_org("tianshan")

    def at(actor, action, target, when, street=None, detail=""):
        entry = AuditLog.record(actor, action, target, detail=detail, street=street)
        AuditLog.update(created_at=when).where(AuditLog.id == entry.id).execute()
        return entry

    utc = datetime.datetime
    rows = {
        # 2026-03-01 23:30 in Shanghai is 15:30 UTC on 1 March; 00:30 on 2 March is 16:30 UTC on 1 March.
        "admit": at(people["xinhua"], "organization.admit", org, utc(2026, 3, 1, 15, 30), street("xinhua")),
        "status": at(people["xinhua"], "organization.status", org, utc(2026, 3, 1, 16, 30), street("xinhua"),
                     detail="正常 → 活动异常"),
        "other_street": at(people["tianshan"], "organization.admit", other, utc(2026, 3, 5, 2, 0), street("tianshan")),
        "campaign": at(people["admin"], "user.create_staff", people["xinhua"], utc(2026, 2, 1, 2, 0)),
        "other_district": at(people["other_admin"], "organization.grade", org, utc(2026, 3, 6, 2, 0), tianping,
                             detail="徐汇的记录"),
    }
    return people, org, rows


def test_the_district_sees_its_streets_and_staff_newest_first_and_nothing_of_another_district(client, log):
    people, org, rows = log
    login(client, people["admin"])
    response = client.get("/admin/audit")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "共 4 条记录" in html and "徐汇的记录" not in html
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    lines = body.split("<tr>")[1:]
    expected = ("李天山", "正常 → 活动异常", "通过组织", "创建工作人员账号")
    assert all(text in line for text, line in zip(expected, lines, strict=True))
    assert "139****0001" in html and "13911110001" not in html
    assert f"组织 #{org.id}" in html


def test_the_street_sees_only_its_own_rows(client, log):
    people, org, rows = log
    login(client, people["xinhua"])
    html = client.get("/streets/xinhua/audit").get_data(as_text=True)
    assert "共 2 条记录" in html and "李天山" not in html and "创建工作人员账号" not in html
    assert client.get("/streets/tianshan/audit").status_code == 404
    assert client.get("/admin/audit").status_code == 403
    # The street console links to it.
    assert 'href="/streets/xinhua/audit"' in client.get("/streets/xinhua/").get_data(as_text=True)


def test_the_district_console_links_to_the_log(client, log):
    login(client, log[0]["admin"])
    assert 'href="/admin/audit"' in client.get("/admin/").get_data(as_text=True)


@pytest.mark.parametrize("query, count", [
    ({"who": "王新"}, 2),
    ({"who": "13911110002"}, 1),
    ({"who": "1110002"}, 1),
    ({"action": "organization.admit"}, 2),
    ({"target_type": "user"}, 1),
    ({"target_type": "organization", "action": "organization.status"}, 1),
    ({"from": "2026-03-02", "to": "2026-03-02"}, 1),  # 00:30 on 2 March in Shanghai
    ({"from": "2026-03-01", "to": "2026-03-01"}, 1),
    ({"to": "2026-02-28"}, 1),
    ({"who": "没有这个人"}, 0),
])
def test_search_by_who_what_and_date(client, log, query, count):
    login(client, log[0]["admin"])
    response = client.get("/admin/audit", query_string=query)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert (f"共 {count} 条记录" in html) if count else "没有符合条件的记录" in html


def test_search_by_object(client, log):
    people, org, rows = log
    login(client, people["admin"])
    html = client.get("/admin/audit", query_string={"target_type": "user",
                                                     "target_id": str(people["xinhua"].id)}).get_data(as_text=True)
    assert "共 1 条记录" in html and "创建工作人员账号" in html
    login(client, people["xinhua"])
    html = client.get("/streets/xinhua/audit").get_data(as_text=True)
    select = html[html.index('name="action"'):html.index("</select>", html.index('name="action"'))]
    assert "organization.status" in select  # what the street's log holds, and nothing else
    assert "organization.grade" not in select and "user.create_staff" not in select


def test_a_long_log_is_counted_up_to_a_bound(client, log, monkeypatch):
    from blueprints.admin import queries

    monkeypatch.setattr(queries, "COUNT_MAX", 3)
    login(client, log[0]["admin"])
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "超过 3 条记录" in html and html.count("<tr>") == 4 + 1  # the header row and every row of the page
    assert "共 2 条记录" in client.get("/admin/audit?who=王新华").get_data(as_text=True)


@pytest.mark.parametrize("query, field, message", [
    ({"from": "2026-02-30"}, "from", "请按 2026-01-31 的格式选择日期"),
    ({"from": "2026-03-05", "to": "2026-03-01"}, "to", "结束日期不能早于开始日期"),
    ({"to": "9999-12-31"}, "to", "请选择 2000 年至 2100 年之间的日期"),
    ({"target_id": "十二"}, "target_id", "请填写数字编号"),
    ({"target_id": "99999999999999999999"}, "target_id", "请填写数字编号"),
    ({"action": "drop.table"}, "action", "请从列表中选择操作"),
    ({"target_type": "nothing"}, "target_type", "请从列表中选择对象类型"),
    ({"who": "长" * 50}, "who", "最多 40 个字"),
])
def test_bad_input_is_answered_beside_the_field(client, log, query, field, message):
    login(client, log[0]["admin"])
    response = client.get("/admin/audit", query_string=query)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    block = html[html.index(f'name="{field}"'):]
    assert message in block[:block.index("</div>")]
    assert f'value="{query[field]}"' in html or field in ("action", "target_type")  # kept as typed
    response = client.get("/admin/audit.csv", query_string=query)
    assert response.status_code == 422


def test_fifty_rows_a_page(client, log):
    people, org, rows = log
    for n in range(55):
        AuditLog.record(people["admin"], "organization.note", org, detail=f"第{n}条", street=org.street)
    login(client, people["admin"])
    first = client.get("/admin/audit?action=organization.note").get_data(as_text=True)
    assert "共 55 条记录" in first and "第54条" in first and "第4条<" not in first
    assert 'href="/admin/audit?page=2&amp;action=organization.note"' in first
    second = client.get("/admin/audit?action=organization.note&page=2").get_data(as_text=True)
    assert "第4条<" in second and "第0条<" in second and "第54条" not in second


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_has_the_search_and_masked_phones(client, log, fmt):
    people, org, rows = log
    login(client, people["admin"])
    response = client.get(f"/admin/audit.{fmt}", query_string={"who": "王新华"})
    assert response.status_code == 200 and f".{fmt}" in response.headers["Content-Disposition"]
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    else:
        table = [list(r) for r in load_workbook(io.BytesIO(response.data)).active.values]
    assert table[0][:4] == ["时间", "操作人", "操作人手机号", "操作"]
    assert [r[0] for r in table[1:]] == ["2026-03-02 00:30:00", "2026-03-01 23:30:00"]
    assert {r[2] for r in table[1:]} == {"139****0001"}
    assert table[1][3] == "设置组织状态" and table[1][8] == "正常 → 活动异常"
    login(client, people["xinhua"])
    response = client.get(f"/streets/xinhua/audit.{fmt}")
    assert response.status_code == 200
    assert client.get(f"/streets/tianshan/audit.{fmt}").status_code == 404


def test_an_unknown_format_is_not_found(client, log):
    login(client, log[0]["admin"])
    assert client.get("/admin/audit.pdf").status_code == 404
    assert client.get("/admin/accounts.exe").status_code == 404
