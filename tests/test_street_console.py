"""The street console lists the street's published events with their attendance, and finds any of them again."""
import datetime

import pytest

from blueprints.events import queries
from models import CheckIn, db, utcnow
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


def test_the_console_lists_a_limited_number_and_says_so(client, moderator, org, make_event):
    for n in range(queries.STREET_EVENTS_SHOWN + 1):
        make_event(org, title=f"第{n}场", starts_in=DAY + n * HOUR)
    login(client, moderator)
    html = section(client.get("/streets/xinhua/").get_data(as_text=True))
    assert html.count("/checkins\"") == queries.STREET_EVENTS_SHOWN
    assert "按标题查找其他活动" in html


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
