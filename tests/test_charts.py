"""Charts of a street and of the district: server-drawn SVG whose numbers are the table's beside it, and both are
what a hand count of the data gives."""
import datetime
import re

import peewee
import pytest

from core import charts
from core.timeutil import to_local
from models import CheckIn, Signal, utcnow
from tests.conftest import login

DAY = datetime.timedelta(days=1)


def svg_values(html, series):
    """The numbers written in the chart of ``series``, in order."""
    match = re.search(rf'<svg [^>]*data-series="{series}">(.*?)</svg>', html, re.S)
    assert match, f"no chart {series}"
    return re.findall(r'class="chart-value"[^>]*>([^<]*)</text>', match.group(1))


def table_values(html, series):
    return re.findall(rf'data-series="{series}">([^<]*)</td>', html)


def month_key(moment):
    local = to_local(moment)
    return local.year, local.month


def months_shown(html):
    return [(int(y), int(m)) for y, m in re.findall(r'<th scope="row">(\d{4})年(\d{1,2})月</th>', html)]


# --- the drawing --------------------------------------------------------------------------------------------------


def test_a_bar_chart_is_an_accessible_svg_that_scales_to_a_phone(app):
    with app.test_request_context():
        svg = str(charts.bar_chart([charts.Bar("5月", 3), charts.Bar("6月", 120000)], "每月活动", series="x"))
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-label="每月活动"' in svg
    assert "<title>每月活动</title>" in svg
    assert 'width="100%"' in svg and 'viewBox="0 0 360 ' in svg
    assert "<script" not in svg and "style=" not in svg  # the CSP allows neither
    assert svg_values(svg, "x") == ["3", "120000"]
    assert ">5月</text>" in svg and ">6月</text>" in svg
    # The biggest bar fills the plot; the smaller one is drawn to scale.
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert heights[1] > 0 and heights[0] == pytest.approx(heights[1] * 3 / 120000, abs=0.1)


def test_labels_are_escaped_and_an_empty_chart_draws(app):
    with app.test_request_context():
        svg = str(charts.hbar_chart([charts.Bar("<b>&", 0)], "空", series="y"))
        empty = str(charts.hbar_chart([], "空", series="z"))
    assert "&lt;b&gt;&amp;" in svg and "<b>" not in svg
    assert svg_values(svg, "y") == ["0"] and empty.startswith("<svg")


def test_the_progress_bar_shows_the_share_and_the_target_line(app):
    with app.test_request_context():
        svg = str(charts.progress_bar(3, 20, "有等级", target=0.2, series="g"))
        none = str(charts.progress_bar(0, 0, "有等级", target=0.2, series="n"))
    assert svg_values(svg, "g") == ["15.0%"]
    assert "目标 20%" in svg and "3 / 20" in svg
    assert 'x1="72.0"' in svg  # the target line at 20% of 360
    assert svg_values(none, "n") == ["—"]


# --- the pages ----------------------------------------------------------------------------------------------------


@pytest.fixture
def world(make_org, make_event, make_user):
    """Xinhua: four 正常 organizations (and a pending one, a closed one), events this month and some months ago,
    check-ins (one undone), open and closed signals; Tianshan: one organization with an event and check-ins."""
    now = utcnow().replace(microsecond=0)
    a = make_org("xinhua", service_fields="elderly,culture_sports", grade="3A", grade_year=2025, party_org="own_branch")
    b = make_org("xinhua", service_fields="elderly", party_org="instructor")
    c = make_org("xinhua", service_fields="youth", grade="5A", party_org="none")
    d = make_org("xinhua", service_fields="elderly,youth,legal_aid", party_org="none")
    make_org("xinhua", status="pending", service_fields="elderly", grade="1A", party_org="own_branch")
    make_org("xinhua", status="closed", service_fields="science", party_org="joint_branch")
    other = make_org("tianshan", service_fields="science", grade="2A", party_org="joint_branch")

    # A minute ago: the check-ins at it fall in the same month as the event.
    today = make_event(a, status="published", starts_in=-datetime.timedelta(minutes=1))
    earlier = make_event(b, status="ended", starts_in=-70 * DAY)
    make_event(c, status="reported", starts_in=-70 * DAY)
    make_event(a, status="draft", starts_in=-70 * DAY)  # never public: not counted
    make_event(a, status="cancelled", starts_in=-70 * DAY)  # cancelled: not counted
    make_event(d, status="ended", starts_in=-400 * DAY)  # over a year ago: outside the twelve months
    elsewhere = make_event(other, status="ended", starts_in=-70 * DAY)
    for n in range(3):
        CheckIn.create(event=today, name="居民", phone=f"1390000000{n}", number=n + 1)
    CheckIn.create(event=today, name="居民", phone="13900000009", number=9, undone_at=now)  # undone
    for n in range(2):
        CheckIn.create(event=earlier, name="居民", phone=f"1380000000{n}", number=n + 1,
                       created_at=earlier.starts_at + datetime.timedelta(minutes=10))
    CheckIn.create(event=elsewhere, name="居民", phone="13700000000", number=1,
                   created_at=elsewhere.starts_at + datetime.timedelta(minutes=10))
    for kind, org, subject, status in (
        ("zombie", d, "org", "open"), ("checkin_anomaly", a, "device:x", "open"),
        ("checkin_anomaly", a, "device:y", "open"), ("report_overdue", b, "event:1", "closed"),
        ("zombie", other, "org", "open"),
    ):
        Signal.create(kind=kind, organization=org, street=org.street, subject=subject, reason="r", fingerprint="f",
                      status=status)
    return {"now": now, "today": today, "earlier": earlier, "elsewhere": elsewhere}


def assert_chart_equals_table(html, series):
    assert svg_values(html, series) == table_values(html, series), series
    return table_values(html, series)


def test_a_street_s_charts_match_their_tables_and_a_hand_count(client, make_user, world):
    login(client, make_user("street_moderator", street="xinhua"))
    response = client.get("/streets/xinhua/charts")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "新华路街道数据图表" in html

    # Twelve months, this one last; events and check-ins counted where they happened.
    months = months_shown(html)
    assert len(months) == 12 and months[-1] == month_key(world["now"])
    events = dict(zip(months, map(int, assert_chart_equals_table(html, "events")), strict=True))
    checkins = dict(zip(months, map(int, assert_chart_equals_table(html, "checkins")), strict=True))
    earlier = month_key(world["earlier"].starts_at)
    assert events[month_key(world["now"])] == 1 and events[earlier] == 2 and sum(events.values()) == 3
    assert checkins[month_key(world["now"])] == 3 and checkins[earlier] == 2 and sum(checkins.values()) == 5

    # Service fields of the four 正常 organizations, most first.
    fields = dict(zip(re.findall(r'<tr><th scope="row">([^<]*)</th><td class="num" data-label="组织数" '
                                 r'data-series="fields">', html),
                      map(int, assert_chart_equals_table(html, "fields")), strict=True))
    assert fields["养老"] == 3 and fields["青少年"] == 2 and fields["文体"] == 1 and fields["法律援助"] == 1
    assert fields["科技"] == 0  # the closed organization's and Tianshan's do not count
    assert list(fields)[0] == "养老"

    # Two of four hold a grade: 50.0% against the 20% target.
    assert assert_chart_equals_table(html, "grade") == ["50.0%"]
    assert "目标 20%" in html

    # Party organizations: 单独党支部 1, 联合党支部 0, 党建指导员 1, 无 2 → coverage 2 of 4.
    assert assert_chart_equals_table(html, "party") == ["1", "0", "1", "2"]
    assert assert_chart_equals_table(html, "party-share") == ["50.0%"]

    # Open signals by kind, in the order of the kinds; the closed one and Tianshan's left out.
    assert assert_chart_equals_table(html, "signals") == ["1", "0", "0", "2", "0", "0"]
    assert "疑似僵尸" in html and "签到异常" in html


def test_the_district_s_charts_cover_every_street(client, make_user, world):
    login(client, make_user("district_admin"))
    html = client.get("/admin/charts").get_data(as_text=True)
    assert "长宁区数据图表" in html
    assert sum(map(int, assert_chart_equals_table(html, "events"))) == 4
    assert sum(map(int, assert_chart_equals_table(html, "checkins"))) == 6
    assert assert_chart_equals_table(html, "grade") == ["60.0%"]  # 3 of 5
    assert assert_chart_equals_table(html, "party") == ["1", "1", "1", "2"]
    assert assert_chart_equals_table(html, "party-share") == ["60.0%"]
    assert assert_chart_equals_table(html, "signals") == ["2", "0", "0", "2", "0", "0"]


def test_an_empty_street_draws_its_charts_with_dashes(client, make_user):
    login(client, make_user("street_moderator", street="xinjing"))
    html = client.get("/streets/xinjing/charts").get_data(as_text=True)
    assert assert_chart_equals_table(html, "grade") == ["—"]
    assert set(assert_chart_equals_table(html, "events")) == {"0"}


def test_the_grade_target_says_how_many_are_missing(client, make_user, make_org):
    for n in range(15):
        make_org("xinhua", grade="4A" if n < 2 else None)
    login(client, make_user("street_moderator", street="xinhua"))
    html = client.get("/streets/xinhua/charts").get_data(as_text=True)
    assert assert_chart_equals_table(html, "grade") == ["13.3%"]
    assert "还差 1 个组织获得评估等级" in html  # 20% of 15 is 3


def test_another_street_s_charts_are_not_found(app, client, make_user):
    login(client, make_user("street_moderator", street="tianshan"))
    assert client.get("/streets/xinhua/charts").status_code == 404
    assert client.get("/admin/charts").status_code == 403
    assert client.get("/streets/tianshan/charts").status_code == 200
    assert "/login" in app.test_client().get("/streets/xinhua/charts").headers["Location"]


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


def test_the_charts_take_the_same_few_queries_whatever_the_data(app, client, make_user, make_org, make_event,
                                                                monkeypatch):
    login(client, make_user("district_admin"))
    few = counted_queries(monkeypatch, lambda: client.get("/admin/charts"))
    for slug in ("xinhua", "tianshan", "hongqiao", "xinjing"):
        org = make_org(slug, grade="1A")
        for _ in range(3):
            event = make_event(org, status="ended", starts_in=-40 * DAY)
            CheckIn.create(event=event, name="居民", phone="13900000000", number=1)
    many = counted_queries(monkeypatch, lambda: client.get("/admin/charts"))
    assert many == few


def test_the_street_console_links_to_its_charts(client, make_user):
    login(client, make_user("street_moderator", street="xinhua"))
    html = client.get("/streets/xinhua/").get_data(as_text=True)
    assert 'href="/streets/xinhua/charts"' in html
