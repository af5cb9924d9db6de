"""The street console lists the street's published events with their attendance, and finds any of them again."""
import datetime
import html as markup
import re

import peewee
import pytest

from blueprints.events import queries
from models import CheckIn, Event, db, utcnow
from tests.conftest import login

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def moderator(make_user):
    return make_user("street_moderator", street="xinhua")


@pytest.fixture
def org(make_org):
    return make_org("xinhua", name="新华路银发合唱团")


def check_in(event, count, undone=0):
    """``count`` residents checked in to ``event``; the last ``undone`` of them undone by a volunteer."""
    for number in range(1, count + 1):
        CheckIn.create(event=event, name="居民", phone=f"138{event.id:04d}{number:04d}", number=number,
                       undone_at=utcnow() if number > count - undone else None)


def section(html):
    """The console's 本街镇的活动 section."""
    start = html.index('id="street-events"')
    return html[start:html.index("</section>", start)]


def test_the_console_lists_todays_and_upcoming_published_events_with_their_attendance(client, moderator, org,
                                                                                       make_event, make_org):
    running = make_event(org, title="长者智能手机课堂", starts_in=-HOUR, hours=2)
    upcoming = make_event(org, title="社区合唱排练", starts_in=3 * DAY)
    check_in(running, 5, undone=1)
    make_event(org, title="草稿里的活动", status="draft", starts_in=DAY)
    make_event(org, title="上个月的活动", status="ended", starts_in=-30 * DAY)
    make_event(make_org("tianshan"), title="天山路的活动", starts_in=DAY)
    login(client, moderator)
    html = section(client.get("/streets/xinhua/").get_data(as_text=True))
    assert html.index("长者智能手机课堂") < html.index("社区合唱排练")
    assert f'href="/events/{running.id}/manage"' in html and f'href="/events/{running.id}/checkins"' in html
    assert f'href="/events/{upcoming.id}/manage"' in html
    assert "新华路银发合唱团" in html
    assert "4 人" in html and "0 人" in html  # an undone check-in does not count
    for absent in ("草稿里的活动", "上个月的活动", "天山路的活动"):
        assert absent not in html


def test_an_event_that_ended_this_morning_is_still_todays(app, org, make_event, street):
    now = datetime.datetime(2026, 5, 12, 6, 0)  # 14:00 in Shanghai
    morning = make_event(org, status="ended", starts_at=now - 5 * HOUR, ends_at=now - 4 * HOUR, title="早上的活动")
    yesterday = make_event(org, status="ended", starts_at=now - 20 * HOUR, ends_at=now - 19 * HOUR)
    found = list(queries.street_events(org.street, now=now))
    assert morning in found and yesterday not in found


def test_any_published_event_is_found_again_by_its_title(client, moderator, org, make_event):
    old = make_event(org, title="去年的重阳节敬老活动", status="reported", starts_in=-300 * DAY)
    make_event(org, title="重阳节的草稿", status="draft", starts_in=-300 * DAY)
    login(client, moderator)
    assert "去年的重阳节敬老活动" not in section(client.get("/streets/xinhua/").get_data(as_text=True))
    html = section(client.get("/streets/xinhua/?event_q=重阳节").get_data(as_text=True))
    assert f'href="/events/{old.id}/manage"' in html and "重阳节的草稿" not in html
    assert "没有找到" in section(client.get("/streets/xinhua/?event_q=没有这个").get_data(as_text=True))


def test_the_console_lists_a_page_and_offers_more(client, moderator, org, make_event):
    for n in range(queries.STREET_EVENTS_SHOWN + 1):
        make_event(org, title=f"第{n}场", starts_in=DAY + n * HOUR)
    login(client, moderator)
    html = section(client.get("/streets/xinhua/").get_data(as_text=True))
    assert html.count("/checkins\"") == queries.STREET_EVENTS_SHOWN
    assert "更多活动" in html


def event_ids(html):
    """The ids of the events a page of the list shows, in its order."""
    return [int(n) for n in re.findall(r'href="/events/(\d+)/manage"', html)]


def more_url(html):
    """Where 更多活动 fetches the next page from (htmx), or None when there is none."""
    match = re.search(r'hx-get="([^"]+)"[^>]*>更多活动<', html)
    return markup.unescape(match[1]) if match else None


def pages_of(client, url):
    """The event ids of each page of the list at ``url``, following 更多活动 as htmx does until it is gone."""
    html = section(client.get(url).get_data(as_text=True))
    pages = [event_ids(html)]
    while url := more_url(html):
        html = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
        assert html.lstrip().startswith("<tr") and "<table" not in html  # rows to append, not a page
        pages.append(event_ids(html))
    return pages


def in_order(events, latest_first=False):
    """The ids of ``events`` in the list's order: by start, then id."""
    return [e.id for e in sorted(events, key=lambda e: (e.starts_at, e.id), reverse=latest_first)]


@pytest.fixture
def many(org, make_org, make_event):
    """45 upcoming events of the street, three at each hour (same start: the id decides), with another street's
    events at the same hours and the street's past events, which the list leaves out."""
    other = make_org("tianshan", name="天山路舞蹈队")
    events = []
    for n in range(45):
        events.append(make_event(org, title=f"社区合唱排练{n}", starts_in=DAY + (n // 3) * HOUR))
        if n % 5 == 0:
            make_event(other, title=f"天山路合唱{n}", starts_in=DAY + (n // 3) * HOUR)
    make_event(org, title="上个月的社区合唱", status="ended", starts_in=-30 * DAY)
    return events


def test_more_events_pages_through_the_whole_list_in_order(client, moderator, many):
    login(client, moderator)
    pages = pages_of(client, "/streets/xinhua/")
    assert [len(page) for page in pages] == [20, 20, 5]
    assert [n for page in pages for n in page] == in_order(many)  # no repeats, no gaps, nothing of tianshan


def test_the_title_search_pages_latest_first(client, moderator, org, many, make_event):
    past = [make_event(org, title=f"去年的社区合唱{n}", status="reported", starts_in=-300 * DAY + n * HOUR)
            for n in range(5)]
    login(client, moderator)
    pages = pages_of(client, "/streets/xinhua/?event_q=合唱")
    assert [len(page) for page in pages] == [20, 20, 11]
    ended = Event.get(Event.title == "上个月的社区合唱")
    assert [n for page in pages for n in page] == in_order([*many, *past, ended], latest_first=True)
    assert "event_q=" in more_url(section(client.get("/streets/xinhua/?event_q=合唱").get_data(as_text=True)))


def test_more_events_without_javascript_is_the_console_again_from_there(client, moderator, many):
    login(client, moderator)
    first = section(client.get("/streets/xinhua/").get_data(as_text=True))
    link = re.search(r'<a class="button secondary wide" href="([^"]+)"', first)[1]
    assert link == more_url(first).replace("&", "&amp;") + "#street-events"
    second = client.get(markup.unescape(link)).get_data(as_text=True)
    assert "待审核的组织" in second  # the whole console
    assert event_ids(section(second)) == in_order(many)[20:40]
    assert "回到列表开头" in section(second)


def test_another_streets_moderator_cannot_page_this_streets_events(client, make_user, many):
    login(client, make_user("street_moderator", street="tianshan"))
    cursor = queries.events_cursor(many[0])
    response = client.get(f"/streets/xinhua/?events_after={cursor}", headers={"HX-Request": "true"})
    assert response.status_code == 404


def test_the_district_admin_pages_any_streets_events(client, make_user, many):
    login(client, make_user("district_admin"))
    assert [n for page in pages_of(client, "/streets/xinhua/") for n in page] == in_order(many)


@pytest.mark.parametrize("events_after", [
    "", "x", "_", "2026-02-30T09:00:00_1", "2026-11-28T09:00:00_", "_12", "2026-11-28T09:00:00_-1",
    "2026-11-28T09:00:00+08:00_1", "2026-11-28_1", "２０２６-11-28T09:00:00_1", "1e309",
    "2026-11-28T09:00:00_" + "9" * 30, "9999-12-31T23:59:59.9999999_1",
])
def test_a_malformed_cursor_is_the_first_page(client, moderator, many, events_after):
    login(client, moderator)
    response = client.get("/streets/xinhua/", query_string={"events_after": events_after},
                          headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert event_ids(response.get_data(as_text=True)) == in_order(many)[:20]
    page = client.get("/streets/xinhua/", query_string={"events_after": events_after})
    assert page.status_code == 200 and event_ids(section(page.get_data(as_text=True))) == in_order(many)[:20]


def test_a_cursor_past_the_end_is_an_empty_page(client, moderator, many):
    login(client, moderator)
    url = "/streets/xinhua/?events_after=9999-12-31T23:59:59_1"
    rows = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert event_ids(rows) == [] and more_url(rows) is None
    assert "后面没有更多活动了" in section(client.get(url).get_data(as_text=True))


@pytest.fixture
def statements(monkeypatch):
    """The SQL statements run from here on (peewee's execute_sql), transaction control aside."""
    executed = []
    real = peewee.Database.execute_sql

    def counting(database, sql, params=None, *args, **kwargs):
        if not re.match(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)", sql, re.I):
            executed.append(sql)
        return real(database, sql, params, *args, **kwargs)

    monkeypatch.setattr(peewee.Database, "execute_sql", counting)
    return executed


@pytest.mark.parametrize("event_q", ["", "合唱"])
def test_every_page_is_the_same_number_of_statements(client, moderator, many, statements, event_q):
    login(client, moderator)
    url, counts = f"/streets/xinhua/?event_q={event_q}&events_after=", []
    while url:
        statements.clear()
        rows = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
        counts.append(len(statements))
        url = more_url(rows)
    assert len(counts) == 3 and len(set(counts)) == 1, counts
    assert sum('FROM "event"' in sql for sql in statements) == 1, statements  # the page is one query
    first = section(client.get(f"/streets/xinhua/?event_q={event_q}").get_data(as_text=True))
    console = []
    for url in (f"/streets/xinhua/?event_q={event_q}", more_url(first)):  # without JavaScript: the whole console
        statements.clear()
        assert client.get(url).status_code == 200
        console.append(len(statements))
    assert console[0] == console[1], console


def test_the_attendance_of_every_event_comes_in_one_query(app, org, make_event, monkeypatch):
    for n in range(3):
        check_in(make_event(org, starts_in=n * HOUR), n + 1)
    executed = []
    real = db.obj.execute_sql
    monkeypatch.setattr(db.obj, "execute_sql", lambda sql, *args, **kw: executed.append(sql) or real(sql, *args, **kw))
    rows = [(event.organization.name, event.attendance) for event in queries.street_events(org.street)]
    assert sorted(n for _, n in rows) == [1, 2, 3]
    assert len(executed) == 1, executed


@pytest.mark.parametrize("event_q", ["%", "_", "' OR 1=1 --", "长" * 5000])
def test_odd_titles_are_searched_without_an_error(client, moderator, org, make_event, event_q):
    make_event(org, title="长者智能手机课堂")
    login(client, moderator)
    assert client.get("/streets/xinhua/", query_string={"event_q": event_q}).status_code == 200
