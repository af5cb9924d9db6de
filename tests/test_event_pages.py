"""Events through the browser's eyes: the organization drafts and edits, the street office publishes or returns,
residents find, read, add to their calendar and sign up — all over HTTP."""
import datetime
import re
from urllib.parse import quote

import pytest

from core.timeutil import local_now, period_end, to_local, to_utc
from models import AuditLog, Event, Membership, Signup, utcnow
from tests.conftest import login

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
HTMX = {"HX-Request": "true"}
WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


# --- data ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin, name="新华路银发合唱团")


@pytest.fixture
def moderator(make_user):
    return make_user("street_moderator", street="xinhua")


@pytest.fixture
def volunteer(make_user, org):
    user = make_user(name="志愿者小红")
    Membership.create(user=user, organization=org, role="volunteer")
    return user


@pytest.fixture
def anonymous(app):
    """A second browser: a resident without an account."""
    return app.test_client()


def local_day(days):
    """The Shanghai date ``days`` from today."""
    return (local_now() + days * DAY).date()


def shanghai(days, hour):
    """``hour`` o'clock in Shanghai ``days`` from today, as stored (naive UTC, whole minutes like the form's)."""
    return to_utc(datetime.datetime.combine(local_day(days), datetime.time(hour)))


def new_event_form(street, days=1, **changes):
    """What an org admin types into the new-event form: tomorrow 14:00–16:00, Shanghai time."""
    return {
        "title": "银发太极拳", "category": "elderly", "date": local_day(days).isoformat(),
        "start_time": "14:00", "end_time": "16:00", "venue": "愚园路 1000 号 3 楼多功能厅",
        "street": str(street.id), "description": "请穿运动鞋", "capacity": "30", "signup_enabled": "y",
        "checkin_mode": "static", "checkin_lead_minutes": "30", **changes,
    }


def edit_form(event, **changes):
    """The edit form of ``event`` sent back as it stands, with ``changes``."""
    start, end = to_local(event.starts_at), to_local(event.ends_at)
    data = {
        "title": event.title, "category": event.category, "date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"), "end_time": end.strftime("%H:%M"), "venue": event.venue,
        "street": str(event.street_id), "description": event.description,
        "capacity": "" if event.capacity is None else str(event.capacity),
        "checkin_mode": event.checkin_mode, "checkin_lead_minutes": str(event.checkin_lead_minutes),
    }
    if event.signup_enabled:
        data["signup_enabled"] = "y"
    return {**data, **changes}


def signup_form(name="李阿姨", phone="13812341234", **changes):
    return {"name": name, "phone": phone, "consent": "y", **changes}


# --- reading pages ------------------------------------------------------------------------------------------------


def text(response):
    return response.get_data(as_text=True)


def follow(client, response):
    """The page a 303 leads to, with its flashed messages."""
    assert response.status_code == 303, response.status_code
    return text(client.get(response.headers["Location"]))


def field_block(html, name):
    """The form field ``name`` with its label and the messages beside it."""
    at = html.index(f'name="{name}"')
    start = html.rindex('<div class="field', 0, at)
    end = html.find('<div class="field', at)
    return html[start:end if end != -1 else len(html)]


def input_value(html, name):
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html).group(0)
    value = re.search(r'\bvalue="([^"]*)"', tag)
    return value.group(1) if value else ""


def selected_option(html, name):
    select = re.search(rf'<select[^>]*\bname="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [value for attrs in re.findall(r"<option([^>]*)>", select) if re.search(r"\bselected\b", attrs)
            for value in re.findall(r'value="([^"]*)"', attrs)]


def event_queue(html):
    """The street console's section of events waiting for review."""
    return html.split('id="event-queue"')[1].split('id="queue"')[0]


def listed_titles(html):
    return re.findall(r'<strong class="event-title">([^<]*)</strong>', html)


def titles_on(client, url, **headers):
    return listed_titles(text(client.get(url, headers=headers)))


# --- 1. the organization drafts an event --------------------------------------------------------------------------


def test_org_admin_drafts_an_event_in_shanghai_time_which_stays_private(client, anonymous, org, org_admin, street):
    login(client, org_admin)
    response = client.post(f"/orgs/{org.id}/events/new", data=new_event_form(street("xinhua")))
    assert response.status_code == 303
    event = Event.get()
    assert response.headers["Location"] == f"/events/{event.id}/manage"
    tomorrow = local_day(1)
    assert event.starts_at == datetime.datetime.combine(tomorrow, datetime.time(6, 0))  # 14:00 in Shanghai
    assert event.ends_at == datetime.datetime.combine(tomorrow, datetime.time(8, 0))
    assert (event.status, event.capacity, event.signup_enabled, event.street_id) == ("draft", 30, True, org.street_id)

    assert anonymous.get(f"/events/{event.id}").status_code == 404
    assert anonymous.get(f"/events/{event.id}/calendar.ics").status_code == 404
    assert "银发太极拳" not in text(anonymous.get("/events/"))


def test_a_volunteer_may_draft_an_event_too(client, org, volunteer, street):
    login(client, volunteer)
    assert client.post(f"/orgs/{org.id}/events/new", data=new_event_form(street("xinhua"))).status_code == 303
    assert Event.get().created_by_id == volunteer.id


def test_new_event_form_suggests_tomorrow_morning_at_the_organizations_street(client, make_org, org_admin, street):
    org = make_org("tianshan", admin=org_admin)
    login(client, org_admin)
    html = text(client.get(f"/orgs/{org.id}/events/new"))
    assert input_value(html, "date") == local_day(1).isoformat()
    assert (input_value(html, "start_time"), input_value(html, "end_time")) == ("09:30", "11:00")
    assert selected_option(html, "street") == [str(street("tianshan").id)]


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"start_time": "16:00", "end_time": "14:00"}, "end_time", "结束时间要晚于开始时间"),
        ({"days": -1}, "start_time", "开始时间已经过去了"),
        ({"capacity": "abc"}, "capacity", "人数上限应为正整数"),
        ({"capacity": "0"}, "capacity", "人数上限应为正整数"),
        ({"capacity": "-3"}, "capacity", "人数上限应为正整数"),
    ],
)
def test_bad_event_input_is_explained_beside_the_field_and_kept(
    client, org, org_admin, street, changes, field, message
):
    login(client, org_admin)
    data = new_event_form(street("xinhua"), title="睦邻读书会", **changes)
    response = client.post(f"/orgs/{org.id}/events/new", data=data)
    html = text(response)
    assert response.status_code == 422
    assert message in field_block(html, field)
    assert input_value(html, "title") == "睦邻读书会"
    assert Event.select().count() == 0


# --- 2. submitting sends it to the venue's street office ----------------------------------------------------------


def test_a_submitted_event_waits_in_its_venue_streets_queue_only(
    client, make_user, make_event, org, org_admin, moderator
):
    event = make_event(org, status="draft", title="社区义诊")
    login(client, org_admin)
    assert "已提交，等待街镇审核" in follow(client, client.post(f"/events/{event.id}/submit"))
    assert Event.get_by_id(event.id).status == "submitted"

    login(client, moderator)
    assert "社区义诊" in event_queue(text(client.get("/streets/xinhua/")))

    login(client, make_user("street_moderator", street="tianshan"))
    assert "社区义诊" not in text(client.get("/streets/tianshan/"))
    assert client.get(f"/events/{event.id}/manage").status_code == 404


def test_an_event_held_in_another_street_goes_to_that_streets_queue(
    client, make_user, org, org_admin, moderator, street
):
    login(client, org_admin)
    client.post(f"/orgs/{org.id}/events/new", data=new_event_form(street("tianshan"), title="天山公园健步走"))
    event = Event.get()
    client.post(f"/events/{event.id}/submit")

    login(client, make_user("street_moderator", street="tianshan"))
    assert "天山公园健步走" in event_queue(text(client.get("/streets/tianshan/")))
    login(client, moderator)
    assert "天山公园健步走" not in event_queue(text(client.get("/streets/xinhua/")))
    assert client.post(f"/streets/xinhua/events/{event.id}/publish").status_code == 404
    assert Event.get_by_id(event.id).status == "submitted"


# --- 3. the street office publishes or returns --------------------------------------------------------------------


def test_moderator_publishes_in_place_and_residents_then_find_the_event(client, anonymous, make_event, org, moderator):
    event = make_event(org, status="submitted", title="社区义诊")
    login(client, moderator)
    response = client.post(f"/streets/xinhua/events/{event.id}/publish", headers=HTMX)
    html = text(response)
    assert response.status_code == 200
    assert f'id="event-{event.id}"' in html and "<html" not in html and "已发布" in html
    assert Event.get_by_id(event.id).status == "published"
    assert "社区义诊" in titles_on(anonymous, "/events/?street=xinhua")


def test_publishing_what_someone_else_published_says_so_in_place(app, client, make_event, make_user, org, moderator):
    event = make_event(org, status="submitted", title="社区义诊")
    colleague = make_user("district_admin")
    login(client, colleague)
    assert f'id="event-{event.id}"' in event_queue(text(client.get("/streets/xinhua/")))  # the page is open …
    other = app.test_client()
    login(other, moderator)
    other.post(f"/streets/xinhua/events/{event.id}/publish", headers=HTMX)  # … when the moderator publishes first

    response = client.post(f"/streets/xinhua/events/{event.id}/publish", headers=HTMX)
    html = text(response)
    assert response.status_code == 200  # htmx swaps it: the row, and the message out of band
    row, message = html.split('hx-swap-oob="true"')[0], html.split('hx-swap-oob="true"')[1]
    assert f'id="event-{event.id}"' in row and "已发布" in row and "确认退回" not in row
    assert 'id="messages"' in html and "活动当前状态（已发布）不能进行这项操作" in message
    assert AuditLog.select().where(AuditLog.action == "event.publish").count() == 1

    response = client.post(f"/streets/xinhua/events/{event.id}/return", data={"reason": "晚了一步"}, headers=HTMX)
    assert "活动当前状态（已发布）不能进行这项操作" in text(response)
    assert Event.get_by_id(event.id).status == "published" and Event.get_by_id(event.id).return_reason is None


def test_returning_needs_a_reason_which_the_organization_reads_and_answers(
    client, make_event, org, org_admin, moderator
):
    event = make_event(org, status="submitted", title="社区义诊", starts_at=shanghai(2, 10), ends_at=shanghai(2, 12))
    url = f"/streets/xinhua/events/{event.id}/return"
    login(client, moderator)
    response = client.post(url, data={"reason": " "}, headers=HTMX)
    assert response.status_code == 422 and "请写明理由" in text(response) and "<html" not in text(response)
    assert Event.get_by_id(event.id).status == "submitted"

    response = client.post(url, data={"reason": "请写明具体房间号"}, headers=HTMX)
    assert response.status_code == 200 and Event.get_by_id(event.id).status == "returned"

    login(client, org_admin)
    assert "请写明具体房间号" in text(client.get(f"/events/{event.id}/manage"))
    assert "请写明具体房间号" in text(client.get(f"/events/{event.id}/edit"))
    edited = client.post(f"/events/{event.id}/edit", data=edit_form(event, venue="愚园路 1000 号 3 楼 302 室"))
    assert "已保存" in follow(client, edited)
    client.post(f"/events/{event.id}/submit")
    assert Event.get_by_id(event.id).status == "submitted"

    login(client, moderator)
    queue = event_queue(text(client.get("/streets/xinhua/")))
    assert "社区义诊" in queue and "愚园路 1000 号 3 楼 302 室" in queue


def test_moderator_publishes_several_events_at_once(client, make_event, org, moderator):
    first, second = make_event(org, status="submitted"), make_event(org, status="submitted")
    login(client, moderator)
    assert "发布选中的活动" in event_queue(text(client.get("/streets/xinhua/")))
    response = client.post("/streets/xinhua/events/publish", data={"item": [str(first.id), str(second.id)]})
    assert response.headers["Location"].endswith("#event-queue")
    assert "已发布 2 个活动" in follow(client, response)
    assert {Event.get_by_id(e.id).status for e in (first, second)} == {"published"}


@pytest.mark.parametrize("waiting", [
    1,
    2,
])
def test_every_tick_box_in_the_queue_belongs_to_a_form(client, make_event, org, moderator, waiting):
    for _ in range(waiting):
        make_event(org, status="submitted")
    login(client, moderator)
    html = text(client.get("/streets/xinhua/"))
    for form_id in re.findall(r'<input[^>]*\bform="([^"]+)"', html):
        assert f'id="{form_id}"' in html


# --- 4. editing a published event ---------------------------------------------------------------------------------


@pytest.fixture
def published(make_event, org):
    """A published event the day after tomorrow, 10:00–12:00 in Shanghai."""
    return make_event(org, title="社区义诊", starts_at=shanghai(2, 10), ends_at=shanghai(2, 12), capacity=20,
                      signup_enabled=True)


@pytest.mark.parametrize("changes", [{"start_time": "10:30"}, {"venue": "新华路 211 号活动室"}])
def test_changing_time_or_place_of_a_published_event_sends_it_back(client, anonymous, org_admin, published, changes):
    login(client, org_admin)
    response = client.post(f"/events/{published.id}/edit", data=edit_form(published, **changes))
    assert "时间或地点已修改，活动需要街镇重新审核" in follow(client, response)
    assert Event.get_by_id(published.id).status == "submitted"
    assert "社区义诊" not in titles_on(anonymous, "/events/")


def test_renaming_a_published_event_keeps_it_published(client, anonymous, org_admin, published):
    login(client, org_admin)
    response = client.post(f"/events/{published.id}/edit", data=edit_form(published, title="社区义诊（眼科）"))
    assert "已保存" in follow(client, response)
    assert Event.get_by_id(published.id).status == "published"
    assert "社区义诊（眼科）" in titles_on(anonymous, "/events/")


def test_a_volunteer_cannot_edit_a_published_event(client, volunteer, published):
    login(client, volunteer)
    assert client.get(f"/events/{published.id}/edit").status_code == 403
    assert client.post(f"/events/{published.id}/edit", data=edit_form(published, title="改名")).status_code == 403
    assert Event.get_by_id(published.id).title == "社区义诊"


# --- 5. cancelling and copying ------------------------------------------------------------------------------------


def test_a_cancelled_event_tells_residents_why(client, anonymous, org_admin, published):
    login(client, org_admin)
    response = client.post(f"/events/{published.id}/cancel", data={"reason": "场地临时维修"})
    assert "活动已取消" in follow(client, response)
    html = text(anonymous.get(f"/events/{published.id}"))
    assert "活动已取消" in html and "场地临时维修" in html
    assert "社区义诊" not in titles_on(anonymous, "/events/")


def test_cancelling_needs_a_reason(client, org_admin, published):
    login(client, org_admin)
    assert "请写明理由" in follow(client, client.post(f"/events/{published.id}/cancel", data={"reason": ""}))
    assert Event.get_by_id(published.id).status == "published"


def test_copying_a_past_event_drafts_it_on_the_same_weekday_and_time_ahead(client, make_event, org, org_admin):
    past = make_event(org, status="ended", title="书法课", starts_at=shanghai(-9, 14), ends_at=shanghai(-9, 16))
    login(client, org_admin)
    response = client.post(f"/events/{past.id}/copy")
    copy = Event.select().where(Event.id != past.id).get()
    assert response.status_code == 303 and response.headers["Location"] == f"/events/{copy.id}/edit"
    assert "已复制为新草稿" in follow(client, response)
    assert (copy.status, copy.title) == ("draft", "书法课")
    assert copy.starts_at > utcnow() and (copy.starts_at - past.starts_at) % (7 * DAY) == datetime.timedelta(0)
    was, now = to_local(past.starts_at), to_local(copy.starts_at)
    assert (now.weekday(), now.time()) == (was.weekday(), was.time())
    assert copy.ends_at - copy.starts_at == 2 * HOUR


# --- 6. residents find events -------------------------------------------------------------------------------------


def test_the_list_shows_published_events_not_yet_over_soonest_first(client, make_event, org):
    make_event(org, title="三天后", starts_in=3 * DAY)
    make_event(org, title="明天", starts_in=DAY)
    make_event(org, title="正在进行", starts_in=-HOUR, hours=2)
    make_event(org, title="昨天", starts_in=-DAY)
    for status in ("draft", "submitted", "returned"):
        make_event(org, title=status, status=status)
    make_event(org, title="已取消", status="cancelled", published_at=utcnow())
    assert titles_on(client, "/events/") == ["正在进行", "明天", "三天后"]


def test_the_list_filters_by_street(client, make_event, org, street):
    make_event(org, title="新华路的活动")
    make_event(org, title="天山路的活动", street=street("tianshan"))
    assert titles_on(client, "/events/?street=tianshan") == ["天山路的活动"]
    assert titles_on(client, "/events/?street=xinhua") == ["新华路的活动"]


@pytest.mark.parametrize("when", ["today", "week", "month"])
def test_the_list_filters_by_period_in_shanghai_time(client, make_event, org, when):
    offsets = {"正在进行": -HOUR, "三小时后": 3 * HOUR, "两天后": 2 * DAY, "八天后": 8 * DAY, "四十天后": 40 * DAY}
    events = [make_event(org, title=title, starts_in=offset, hours=2) for title, offset in offsets.items()]
    shown = titles_on(client, f"/events/?when={when}")
    assert shown == [e.title for e in events if e.starts_at < period_end(when)]
    assert "正在进行" in shown and "四十天后" not in shown  # whatever the time of day
    if when != "month":
        assert "八天后" not in shown


def test_the_list_filters_by_kind(client, make_event, org):
    make_event(org, title="养老讲座", category="elderly")
    make_event(org, title="青少年编程", category="youth")
    assert titles_on(client, "/events/?kind=youth") == ["青少年编程"]


@pytest.fixture
def twenty_five(make_event, org):
    return [make_event(org, title=f"活动{i:02d}", starts_in=DAY + i * HOUR) for i in range(25)]


def test_the_list_shows_twenty_and_a_load_more_link(client, twenty_five):
    html = text(client.get("/events/"))
    assert listed_titles(html) == [f"活动{i:02d}" for i in range(20)]
    assert re.search(r'<a [^>]*href="/events/\?[^"]*page=2[^"]*"[^>]*>加载更多</a>', html)


def test_load_more_with_htmx_answers_with_list_items_only(client, twenty_five):
    response = client.get("/events/?page=2", headers=HTMX)
    html = text(response)
    assert html.lstrip().startswith("<li") and "<html" not in html
    assert "加载更多" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_load_more_without_htmx_is_a_full_page(client, twenty_five):
    html = text(client.get("/events/?page=2"))
    assert "<html" in html and 'id="event-list"' in html and "活动24" in listed_titles(html)


def test_load_more_shows_every_remaining_event(client, twenty_five):
    assert titles_on(client, "/events/?page=2", **HTMX) == [f"活动{i:02d}" for i in range(20, 25)]


def test_event_page_tells_who_when_where_and_how_many_places_are_left(client, make_event, org):
    day = local_day(2)
    event = make_event(org, title="社区义诊", venue="愚园路 1000 号, 3 楼", capacity=10, signup_enabled=True,
                       starts_at=shanghai(2, 10), ends_at=shanghai(2, 12))
    for n in range(2):
        Signup.create(event=event, name=f"居民{n}", phone=f"1370000000{n}")
    html = text(client.get(f"/events/{event.id}"))
    assert "<h1>社区义诊</h1>" in html
    assert f'<a href="/orgs/{org.id}/">新华路银发合唱团</a>' in html
    assert f"{day.year}年{day.month}月{day.day}日 {WEEKDAYS[day.weekday()]} 10:00–12:00" in html  # Shanghai time
    assert "愚园路 1000 号, 3 楼" in html
    assert f'href="https://uri.amap.com/search?keyword={quote("愚园路 1000 号, 3 楼", safe="/")}' in html
    assert "剩余 8 个" in html
    assert f'href="/events/{event.id}/calendar.ics"' in html and "加入日历" in html


def test_event_page_carries_a_preview_for_wechat(client, make_event, org):
    event = make_event(org, title="社区义诊", venue="愚园路 1000 号")
    html = text(client.get(f"/events/{event.id}"))
    assert '<meta property="og:title" content="社区义诊">' in html
    description = re.search(r'<meta property="og:description" content="([^"]*)">', html).group(1)
    assert "愚园路 1000 号" in description and "新华路银发合唱团" in description


def test_the_read_aloud_button_waits_for_javascript(client, make_event, org):
    html = text(client.get(f"/events/{make_event(org).id}"))
    button = re.search(r"<button[^>]*>朗读</button>", html).group(0)
    assert re.search(r'class="[^"]*\bspeak\b', button) and re.search(r"\shidden[\s>]", button)


@pytest.mark.parametrize("page", ["event", "organization"])
def test_a_signed_in_resident_is_not_offered_a_management_link(client, make_user, make_event, org, page):
    event = make_event(org)
    login(client, make_user(name="普通居民"))
    url, manage_url = {
        "event": (f"/events/{event.id}", f"/events/{event.id}/manage"),
        "organization": (f"/orgs/{org.id}/", f"/orgs/{org.id}/manage"),
    }[page]
    assert client.get(manage_url).status_code == 404
    assert f'href="{manage_url}"' not in text(client.get(url))


def test_an_ended_event_says_so(client, make_event, org):
    event = make_event(org, starts_in=-DAY, signup_enabled=True)
    html = text(client.get(f"/events/{event.id}"))
    assert "活动已结束" in html and 'id="signup"' not in html


# --- 7. 加入日历 ---------------------------------------------------------------------------------------------------


def test_calendar_file_holds_the_event_in_utc(client, make_event, org):
    title = "长宁区新华路街道银发太极拳与八段锦健身活动第一期（欢迎社区老人和家属一同参加）"
    event = make_event(org, title=title, venue="愚园路 1000 号, 3 楼多功能厅")
    response = client.get(f"/events/{event.id}/calendar.ics")
    body = text(response)
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == f'attachment; filename="event-{event.id}.ics"'
    assert body.endswith("\r\n") and "\n" not in body.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    lines = body.replace("\r\n ", "").split("\r\n")  # unfolded
    assert f"DTSTART:{event.starts_at:%Y%m%dT%H%M%S}Z" in lines
    assert f"DTEND:{event.ends_at:%Y%m%dT%H%M%S}Z" in lines
    assert f"SUMMARY:{title}" in lines
    assert "LOCATION:愚园路 1000 号\\, 3 楼多功能厅" in lines
    assert "STATUS:CONFIRMED" in lines


def test_calendar_file_of_a_cancelled_event_cancels_it(client, make_event, org):
    event = make_event(org, status="cancelled", published_at=utcnow(), cancel_reason="下雨")
    assert "STATUS:CANCELLED" in text(client.get(f"/events/{event.id}/calendar.ics")).split("\r\n")


# --- 8. the organization's public page ----------------------------------------------------------------------------


def test_organization_page_lists_its_upcoming_published_events(client, make_event, org):
    make_event(org, title="下周合唱排练", starts_in=7 * DAY)
    make_event(org, title="上周合唱排练", starts_in=-7 * DAY)
    make_event(org, title="草稿中的演出", status="draft")
    assert titles_on(client, f"/orgs/{org.id}/") == ["下周合唱排练"]


def test_a_pending_organizations_page_is_not_found(client, make_org):
    assert client.get(f"/orgs/{make_org('xinhua', status='pending').id}/").status_code == 404


# --- 9. signing up ------------------------------------------------------------------------------------------------


@pytest.fixture
def one_place(make_event, org):
    return make_event(org, title="插花体验课", capacity=1, signup_enabled=True)


def test_a_resident_signs_up_and_the_device_remembers(client, one_place):
    response = client.post(f"/events/{one_place.id}/signup", data=signup_form())
    record = Signup.get()
    assert response.headers["Location"] == f"/signups/{record.token}"
    assert "报名成功，您是第 1 位" in follow(client, response)
    assert client.get(f"/signups/{record.token}").headers["Cache-Control"] == "no-store"  # it names her
    assert (record.name, record.phone, record.status) == ("李阿姨", "13812341234", "confirmed")
    assert "您已报名" in text(client.get(f"/events/{one_place.id}"))


def test_signing_up_needs_consent_and_keeps_what_was_typed(client, one_place):
    response = client.post(f"/events/{one_place.id}/signup", data=signup_form(consent=""))
    html = text(response)
    assert response.status_code == 422
    assert "请先勾选同意个人信息说明" in field_block(html, "consent")
    assert input_value(html, "name") == "李阿姨"
    assert Signup.select().count() == 0


def test_signing_up_with_a_wrong_phone_number_is_explained(client, one_place):
    response = client.post(f"/events/{one_place.id}/signup", data=signup_form(phone="1381234"))
    assert response.status_code == 422
    assert "请输入 11 位手机号码" in field_block(text(response), "phone")
    assert Signup.select().count() == 0


def test_when_places_are_gone_residents_wait_and_move_up_on_cancellation(client, anonymous, app, one_place):
    first = client.post(f"/events/{one_place.id}/signup", data=signup_form())
    assert "剩余 0 个" in text(anonymous.get(f"/events/{one_place.id}"))
    second = anonymous.post(f"/events/{one_place.id}/signup", data=signup_form(name="王伯伯", phone="13900005678"))
    assert "候补名单第 1 位" in follow(anonymous, second)
    assert "您在候补名单第 1 位" in text(anonymous.get(f"/events/{one_place.id}"))

    client.post(first.headers["Location"] + "/cancel")
    assert "您已取消报名" in text(client.get(first.headers["Location"]))
    assert "报名成功" in text(anonymous.get(second.headers["Location"]))


def test_another_device_cannot_take_over_a_sign_up_by_its_phone_number(client, anonymous, one_place):
    mine = client.post(f"/events/{one_place.id}/signup", data=signup_form())
    theirs = anonymous.post(f"/events/{one_place.id}/signup", data=signup_form(name="陌生人"))
    assert theirs.headers.get("Location") != mine.headers["Location"]
    page = text(anonymous.get(theirs.headers["Location"])) if theirs.status_code == 303 else text(theirs)
    assert "李阿姨" not in page


def test_the_organization_sees_sign_ups_with_masked_phones(client, anonymous, org_admin, one_place):
    anonymous.post(f"/events/{one_place.id}/signup", data=signup_form())
    anonymous.post(f"/events/{one_place.id}/signup", data=signup_form(name="王伯伯", phone="13900005678"))
    login(client, org_admin)
    html = text(client.get(f"/events/{one_place.id}/manage"))
    assert "李阿姨" in html and "138****1234" in html
    assert "王伯伯" in html and "139****5678" in html
    assert "13812341234" not in html and "13900005678" not in html


# --- 9. dates and text no one would type ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("0001-01-01", "这个日期已经过去了"),
        (None, "这个日期已经过去了"),  # the day before yesterday
        ("9999-12-31", "活动最多提前两年登记"),
        ("", "活动最多提前两年登记"),  # two years and a month ahead
    ],
)
def test_an_event_date_from_today_to_two_years_ahead_is_asked_for_beside_the_field(
    client, org, org_admin, street, date, message
):
    date = date or (local_day(-2) if message.startswith("这个") else local_day(2 * 366 + 30)).isoformat()
    login(client, org_admin)
    response = client.post(f"/orgs/{org.id}/events/new", data=new_event_form(street("xinhua"), date=date))
    html = text(response)
    assert response.status_code == 422
    assert message in field_block(html, "date")
    assert input_value(html, "title") == "银发太极拳"
    assert Event.select().count() == 0


def test_an_event_may_be_drafted_up_to_two_years_ahead(client, org, org_admin, street):
    login(client, org_admin)
    response = client.post(f"/orgs/{org.id}/events/new", data=new_event_form(street("xinhua"), days=2 * 365 - 1))
    assert response.status_code == 303
    assert Event.select().count() == 1


def test_copying_an_event_at_the_end_of_the_calendar_says_why(client, make_event, org, org_admin):
    last = datetime.datetime(9999, 12, 28, 2, 0)
    event = make_event(org, status="draft", starts_at=last, ends_at=last + 2 * HOUR)
    login(client, org_admin)
    response = client.post(f"/events/{event.id}/copy")
    assert response.status_code == 422
    assert "这个活动的日期无法顺延" in text(response)
    assert Event.select().count() == 1


def test_a_carriage_return_in_a_title_stays_inside_the_calendar_entry(client, make_event, org):
    event = make_event(org, title="太极拳\rX-INJECTED:1", description="第一行\r第二行\x0b第三行")
    body = text(client.get(f"/events/{event.id}/calendar.ics"))
    assert "\r" not in body.replace("\r\n", "") and "\x0b" not in body
    lines = body.replace("\r\n ", "").split("\r\n")
    assert "SUMMARY:太极拳\\nX-INJECTED:1" in lines
    assert not any(line.startswith("X-INJECTED") for line in lines)
    assert any(line.startswith("DESCRIPTION:") and "第一行\\n第二行\\n第三行" in line for line in lines)


# --- WeChat's in-app browser: no downloads, no printing -------------------------------------------------------------

WECHAT_UA = {"User-Agent": "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Mobile MicroMessenger/8.0.47.2560"}


def test_in_wechat_the_calendar_link_says_how_to_open_the_system_browser(client, published):
    assert "点右上角 ··· → 在浏览器打开" in text(client.get(f"/events/{published.id}", headers=WECHAT_UA))
    assert "在浏览器打开" not in text(client.get(f"/events/{published.id}"))


@pytest.mark.parametrize("fonts", ["system", "none"])
def test_the_poster_is_also_an_image_whose_code_scans(client, org_admin, published, monkeypatch, fonts):
    import io

    import zxingcpp
    from PIL import Image

    from blueprints.checkins import qr_views

    if fonts == "none":  # a server without Chinese fonts still makes a poster whose code scans
        monkeypatch.setattr(qr_views, "CJK_FONTS", ("/nonexistent/font.ttc",))
    login(client, org_admin)
    page = text(client.get(f"/events/{published.id}/poster", headers=WECHAT_UA))
    assert "保存海报图片（长按保存）" in page and f'src="/events/{published.id}/poster.png"' in page
    elsewhere = text(client.get(f"/events/{published.id}/poster"))
    assert "保存海报图片（长按保存）" in elsewhere and "<img class=\"code print-hint\"" not in elsewhere
    response = client.get(f"/events/{published.id}/poster.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "private, no-store"
    image = Image.open(io.BytesIO(response.data))
    assert image.size == (1240, 1754)  # A4's proportions
    codes = zxingcpp.read_barcodes(image)
    assert [code.text for code in codes] == [f"http://localhost/c/{published.checkin_token}"]
