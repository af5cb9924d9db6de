"""The partner month's summary for the district: the numbers add up against a small world, the export agrees with the
page, a fixed number of queries whatever the size, and only the district's admin reads it."""
import datetime
import io
import re

import peewee
import pytest
from openpyxl import load_workbook

from blueprints.recap import queries
from core.timeutil import local_now, to_utc
from models import Campaign, CheckIn, District, MonthEntry, Need, Response, utcnow
from tests.conftest import login

DAY = datetime.timedelta(days=1)


def midnight(days):
    return to_utc(datetime.datetime.combine(local_now().date() + days * DAY, datetime.time()))


def make_month(admin, published=True, **changes):
    """A partner month of ``admin``'s district: started ten days ago, ending in twenty, sign-up still open."""
    values = dict(
        district=admin.district, kind="month", name="第十七届公益伙伴月", theme="携手同行", description="介绍",
        application_opens_at=midnight(-20), application_closes_at=midnight(3), starts_at=midnight(-10),
        ends_at=midnight(20), published=published, published_at=utcnow() if published else None, created_by=admin,
    )
    values.update(changes)
    return Campaign.create(**values)


def enter(campaign, org, status="confirmed"):
    admin = org.memberships.get().user
    return MonthEntry.create(campaign=campaign, organization=org, theme="活动主题", planned_events=2,
                             contact_name=admin.name, contact_phone=admin.phone, status=status, created_by=admin)


def check_in(event, count, undone=0):
    for n in range(count + undone):
        CheckIn.create(event=event, name="居民", phone=f"1350000{event.id % 1000:03d}{n}"[-11:], number=n + 1,
                       undone_at=utcnow() if n >= count else None)


def need(campaign, org, matched, unmatched=0, responder=None):
    posted = Need.create(campaign=campaign, organization=org, kind="need", category="volunteers", title="需要志愿者",
                         street=org.street, deadline=local_now().date() + 10 * DAY, contact_name="联系人",
                         contact_phone="13500000000", status="matched" if matched else "published")
    for n in range(matched + unmatched):
        Response.create(need=posted, responder=responder, message="我们可以", contact_name="回应人",
                        contact_phone="13500000001", matched_at=utcnow() if n < matched else None)
    return posted


@pytest.fixture
def world(make_user, make_org, make_event):
    """Xinhua: two confirmed organizations (one with a pending sibling), Tianshan: one; tagged events held,
    reported, to come, cancelled and a draft; check-ins (one undone); needs with matches; a contest beside it."""
    admin = make_user("district_admin")
    month = make_month(admin)
    a = make_org("xinhua", name="甲组织")
    b = make_org("xinhua", name="乙组织")
    c = make_org("tianshan", name="丙组织")
    pending = make_org("zhoujiaqiao", name="丁组织")
    for org in (a, b, c):
        enter(month, org)
    enter(month, pending, status="pending")
    past = -3 * DAY
    held = make_event(a, status="ended", starts_in=past, campaign=month)
    reported = make_event(a, status="reported", starts_in=past, campaign=month)
    over = make_event(b, status="published", starts_in=-DAY, campaign=month)  # published, its end passed: held
    make_event(b, status="published", campaign=month)  # to come
    make_event(c, status="published", campaign=month, street=a.street)  # Tianshan's org holds it in Xinhua
    make_event(c, status="cancelled", campaign=month)
    make_event(c, status="draft", campaign=month)
    untagged = make_event(c, status="ended", starts_in=past)
    check_in(held, 5, undone=1)
    check_in(reported, 3)
    check_in(over, 2)
    check_in(untagged, 7)
    responder = make_user("partner")
    need(month, a, matched=1, unmatched=2, responder=responder)
    need(month, c, matched=2, responder=responder)
    need(None, b, matched=1, responder=responder)  # not the month's
    return {"admin": admin, "month": month, "orgs": (a, b, c, pending)}


def by_name(lines):
    return {line.key.name: line for line in lines}


def test_the_numbers_add_up_by_street_and_by_organization(world):
    summary = queries.summary(world["month"])
    streets = by_name(summary.streets)
    assert len(summary.streets) == 10  # every street of the district, none left out
    xinhua, tianshan = streets["新华路街道"], streets["天山路街道"]
    assert (xinhua.organizations, xinhua.held, xinhua.upcoming, xinhua.checkins, xinhua.reports, xinhua.matches) \
        == (2, 3, 2, 10, 1, 1)
    assert (tianshan.organizations, tianshan.held, tianshan.upcoming, tianshan.checkins, tianshan.matches) \
        == (1, 0, 0, 0, 2)
    assert streets["周家桥街道"].organizations == 0  # pending sign-up: not taking part
    total = summary.total
    assert (total.organizations, total.held, total.upcoming, total.checkins, total.reports, total.matches) \
        == (3, 3, 2, 10, 1, 3)
    orgs = by_name(summary.organizations)
    assert set(orgs) == {"甲组织", "乙组织", "丙组织"}
    assert (orgs["甲组织"].held, orgs["甲组织"].checkins, orgs["甲组织"].reports, orgs["甲组织"].matches) \
        == (2, 8, 1, 1)
    assert (orgs["乙组织"].held, orgs["乙组织"].upcoming, orgs["乙组织"].checkins) == (1, 1, 2)
    assert (orgs["丙组织"].upcoming, orgs["丙组织"].matches) == (1, 2)
    for column in queries.COLUMNS:
        assert sum(getattr(line, column) for line in summary.organizations) == getattr(total, column)


def counted_queries(monkeypatch, call):
    seen = []
    original = peewee.Database.execute_sql

    def execute_sql(self, sql, params=None, *args, **kwargs):
        seen.append(sql)
        return original(self, sql, params, *args, **kwargs)

    monkeypatch.setattr(peewee.Database, "execute_sql", execute_sql)
    call()
    monkeypatch.undo()
    return len(seen)


def test_a_bounded_number_of_queries_whatever_the_size(world, make_org, make_event, monkeypatch):
    month = world["month"]
    few = counted_queries(monkeypatch, lambda: queries.summary(month))
    for slug in ("hongqiao", "xianxia", "beixinjing", "xinjing"):
        org = make_org(slug)
        enter(month, org)
        for _ in range(3):
            check_in(make_event(org, status="ended", starts_in=-2 * DAY, campaign=month), 2)
    many = counted_queries(monkeypatch, lambda: queries.summary(month))
    assert many == few <= 8


def test_the_month_page_links_its_admin_and_nobody_else_to_the_summary(client, world):
    summary = f'href="/campaigns/{world["month"].id}/summary"'
    assert summary not in client.get(f"/campaigns/{world['month'].id}/").get_data(as_text=True)
    login(client, world["admin"])
    assert summary in client.get(f"/campaigns/{world['month'].id}/").get_data(as_text=True)


def test_the_page_shows_the_tables_with_totals_and_says_the_month_is_running(client, world):
    login(client, world["admin"])
    response = client.get(f"/campaigns/{world['month'].id}/summary")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "伙伴月总结" in html and "第十七届公益伙伴月" in html
    assert "伙伴月正在进行" in html  # useful during the month: the numbers so far
    assert 'id="by-street"' in html and 'id="by-organization"' in html
    assert "甲组织" in html and "丁组织" not in html
    assert "recap.css" in html and f"/campaigns/{world['month'].id}/summary.xlsx" in html


def test_after_the_month_the_page_says_it_is_over(client, world):
    month = world["month"]
    month.starts_at, month.ends_at = midnight(-40), midnight(-10)
    month.save()
    login(client, world["admin"])
    html = client.get(f"/campaigns/{month.id}/summary").get_data(as_text=True)
    assert "伙伴月已结束" in html and "伙伴月正在进行" not in html


def cells(html, table_id):
    """The table's rows as lists of their cells' text."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    return [[re.sub(r"<[^>]+>|\s+", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]


def test_the_export_agrees_with_the_page(client, world):
    month = world["month"]
    login(client, world["admin"])
    page = client.get(f"/campaigns/{month.id}/summary").get_data(as_text=True)
    response = client.get(f"/campaigns/{month.id}/summary.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["按街镇", "按组织"]
    streets = [[str(v) for v in row] for row in book["按街镇"].iter_rows(values_only=True)]
    assert streets == cells(page, "by-street")
    organizations = list(book["按组织"].iter_rows(values_only=True))
    page_orgs = cells(page, "by-organization")
    assert [row[0] for row in organizations[1:]] == [row[0] for row in page_orgs[1:]]
    assert [list(row[3:]) for row in organizations[1:]] == [[int(v) for v in row[2:]] for row in page_orgs[1:]]
    assert organizations[-1][3:] == (3, 2, 10, 1, 3)


def test_a_formula_typed_as_a_name_stays_text(client, world):
    org = world["orgs"][0]
    org.name = "=HYPERLINK(\"x\")"
    org.save()
    login(client, world["admin"])
    book = load_workbook(io.BytesIO(client.get(f"/campaigns/{world['month'].id}/summary.xlsx").data))
    names = [row[0] for row in book["按组织"].iter_rows(values_only=True)]
    assert "'=HYPERLINK(\"x\")" in names


@pytest.mark.parametrize("path", ["summary", "summary.xlsx"])
def test_only_the_district_admin_reads_it(client, world, make_user, make_org, path):
    month = world["month"]
    url = f"/campaigns/{month.id}/{path}"
    assert client.get(url).status_code == 302  # to the login page
    for user in (make_user("street_moderator", street="xinhua"), world["orgs"][0].memberships.get().user,
                 make_user("partner"), make_user("reviewer")):
        login(client, user)
        assert client.get(url).status_code == 403
    xuhui = District.create(code="310104", name="徐汇区")
    login(client, make_user("district_admin", district=xuhui))
    assert client.get(url).status_code == 403
    draft = make_month(world["admin"], published=False)
    assert client.get(f"/campaigns/{draft.id}/{path}").status_code == 404  # a draft of another district: hidden
    login(client, world["admin"])
    assert client.get(f"/campaigns/{draft.id}/{path}").status_code == 200
    contest = make_month(world["admin"], kind="contest", eligibility_ends_at=midnight(30),
                         review_ends_at=midnight(40), notice_starts_at=midnight(41), notice_ends_at=midnight(48),
                         results_at=midnight(49))
    assert client.get(f"/campaigns/{contest.id}/{path}").status_code == 404  # no month: no summary
    assert client.get(f"/campaigns/9999/{path}").status_code == 404
