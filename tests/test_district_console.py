"""The district console: the ten streets side by side, each linking to its console, and totals that are the sum of
the streets; a fixed number of queries whatever the number of streets with data."""
import datetime
import re

import peewee
import pytest

from blueprints.admin import views as admin_views
from models import CheckIn, District, Report, Signal, Street
from tests.conftest import login

#: Noon on 15 June 2026 in Shanghai.
NOW = datetime.datetime(2026, 6, 15, 4, 0)
COUNTS = ("组织总数", "正常", "待审核", "活动异常", "已注销", "今年活动", "今年签到", "风险提示")


def at(month, day, hour=2, year=2026):
    return datetime.datetime(year, month, day, hour, 0)


def cells(row_html):
    """{column: text} of one row: the shown text, and for a share its part and whole."""
    found = {}
    for name, attrs, text in re.findall(r'<td class="num" data-label="([^"]+)"([^>]*)>(.*?)</td>', row_html, re.S):
        found[name] = re.sub(r"<[^>]+>", "", text).split()[0]
        part, whole = re.search(r'data-part="(\d+)"', attrs), re.search(r'data-whole="(\d+)"', attrs)
        if part:
            found[name + "/"] = (int(part.group(1)), int(whole.group(1)))
    return found


def rows(html):
    streets = dict(re.findall(r'<td class="street"><a href="/streets/[^/]+/">([^<]+)</a></td>(.*?)</tr>', html, re.S))
    total = re.search(r'<td class="street">合计</td>(.*?)</tr>', html, re.S).group(1)
    return {name: cells(row) for name, row in streets.items()}, cells(total)


@pytest.fixture
def world(monkeypatch, make_org, make_event):
    monkeypatch.setattr(admin_views, "utcnow", lambda: NOW)
    a = make_org("xinhua", grade="2A", grade_year=2025)
    b = make_org("xinhua")
    make_org("xinhua", status="pending")
    make_org("xinhua", status="flagged")
    e = make_org("tianshan", grade="3A", grade_year=2026)

    def event(org, status, starts_at):
        return make_event(org, status=status, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2))

    on_time = event(a, "reported", at(6, 1))
    Report.create(event=on_time, status="accepted", submitted_at=at(6, 3))
    late = event(b, "reported", at(5, 1))
    Report.create(event=late, status="submitted", submitted_at=at(5, 20))
    event(a, "published", at(6, 12))  # ended three days ago: its report is not due yet
    event(a, "ended", at(4, 1))  # no report: due and missing
    event(a, "draft", at(5, 1))  # never public
    last_year = event(a, "ended", at(12, 20, year=2025))
    for n, undone in ((0, None), (1, None), (2, NOW)):
        CheckIn.create(event=on_time, name="居民", phone=f"1390000000{n}", number=n + 1, created_at=at(6, 1, 3),
                       undone_at=undone)
    CheckIn.create(event=last_year, name="居民", phone="13900000005", number=1, created_at=at(12, 20, 3, year=2025))

    there = event(e, "ended", at(6, 1))
    # Seven days after its end, less an hour: on time.
    Report.create(event=there, status="submitted", submitted_at=at(6, 8, 3))
    CheckIn.create(event=there, name="居民", phone="13900000006", number=1, created_at=at(6, 1, 3))

    for org, subject, status in ((a, "org", "open"), (b, "org", "open"), (b, "event:1", "closed"), (e, "org", "open")):
        Signal.create(kind="zombie", organization=org, street=org.street, subject=subject, reason="r",
                      fingerprint="f", status=status)
    return a


def test_the_streets_side_by_side_with_hand_counted_numbers(client, make_user, world):
    login(client, make_user("district_admin"))
    html = client.get("/admin/").get_data(as_text=True)
    streets, total = rows(html)
    assert len(streets) == 10
    xinhua, tianshan = streets["新华路街道"], streets["天山路街道"]
    assert [xinhua[c] for c in COUNTS] == ["4", "2", "1", "1", "0", "4", "2", "2"]
    assert xinhua["按时报告"] == "33.3%" and xinhua["按时报告/"] == (1, 3)
    assert xinhua["等级占比"] == "50.0%" and xinhua["等级占比/"] == (1, 2)
    assert [tianshan[c] for c in COUNTS] == ["1", "1", "0", "0", "0", "1", "1", "1"]
    assert tianshan["按时报告"] == "100.0%" and tianshan["等级占比"] == "100.0%"
    assert streets["新泾镇"]["按时报告"] == "—" and streets["新泾镇"]["今年活动"] == "0"
    assert [total[c] for c in COUNTS] == ["5", "3", "1", "1", "0", "5", "3", "3"]
    assert total["按时报告"] == "50.0%" and total["等级占比"] == "66.7%"


def test_the_totals_are_the_sum_of_the_streets(client, make_user, world):
    login(client, make_user("district_admin"))
    streets, total = rows(client.get("/admin/").get_data(as_text=True))
    for column in COUNTS:
        assert int(total[column]) == sum(int(line[column]) for line in streets.values()), column
    for column in ("按时报告/", "等级占比/"):
        assert total[column] == tuple(sum(line[column][i] for line in streets.values()) for i in (0, 1)), column
        part, whole = total[column]
        assert total[column[:-1]] == f"{part / whole * 100:.1f}%"


def test_each_street_links_to_its_console_and_the_console_to_the_district_s_pages(app, client, make_user, world):
    login(client, make_user("district_admin"))
    html = client.get("/admin/").get_data(as_text=True)
    for street in Street.select().where(Street.district == District.get(District.code == "310105")):
        assert f'href="/streets/{street.slug}/">{street.name}</a>' in html
    assert 'href="/admin/charts"' in html and 'href="/admin/accounts"' in html and 'href="/campaigns/"' in html
    # The signals page is linked once it exists.
    assert ('href="/admin/signals"' in html) == ("signals.district" in app.view_functions)
    assert client.get("/admin/charts").status_code == 200


def test_the_report_deadline_is_a_setting(app, client, make_user, world):
    app.config["REPORT_DUE_DAYS"] = 30
    login(client, make_user("district_admin"))
    streets, _ = rows(client.get("/admin/").get_data(as_text=True))
    # Due by 16 May: the events of 1 April (no report) and 1 May (reported on 20 May, within 30 days).
    assert streets["新华路街道"]["按时报告/"] == (1, 2)


def test_another_district_s_admin_sees_only_their_streets(client, make_user, world):
    xuhui = District.create(code="310104", name="徐汇区")
    Street.create(district=xuhui, code="310104003", slug="tianping", name="天平路街道")
    login(client, make_user("district_admin", district=xuhui))
    streets, total = rows(client.get("/admin/").get_data(as_text=True))
    assert list(streets) == ["天平路街道"] and total["组织总数"] == "0" and total["风险提示"] == "0"


def test_only_district_admins_see_it(client, make_user):
    login(client, make_user("street_moderator", street="xinhua"))
    assert client.get("/admin/").status_code == 403


def counted_queries(monkeypatch, call):
    seen = []
    original = peewee.Database.execute_sql

    def execute_sql(self, sql, params=None, *args, **kwargs):
        seen.append(sql)
        return original(self, sql, params, *args, **kwargs)

    monkeypatch.setattr(peewee.Database, "execute_sql", execute_sql)
    call()
    monkeypatch.setattr(peewee.Database, "execute_sql", original)
    return len(seen)


def test_a_fixed_number_of_queries_whatever_the_number_of_streets(client, make_user, make_org, make_event,
                                                                  monkeypatch, world):
    login(client, make_user("district_admin"))
    few = counted_queries(monkeypatch, lambda: client.get("/admin/"))
    for slug in ("hongqiao", "xianxia", "beixinjing", "xinjing", "huayang"):
        org = make_org(slug, grade="1A")
        event = make_event(org, status="ended", starts_at=at(5, 2), ends_at=at(5, 2, 4))
        Report.create(event=event, status="submitted", submitted_at=at(5, 3))
        CheckIn.create(event=event, name="居民", phone="13900000000", number=1, created_at=at(5, 2, 3))
        Signal.create(kind="zombie", organization=org, street=org.street, subject="org", reason="r", fingerprint="f")
    many = counted_queries(monkeypatch, lambda: client.get("/admin/"))
    assert many == few
