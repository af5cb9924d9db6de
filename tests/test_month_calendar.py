"""The partner month as organizations and residents meet it: a confirmed organization tags its events, which show
on the month's calendar on their day and under their street's totals; the totals move after a check-in."""
import datetime
import re

import pytest

from core.timeutil import local_now, to_utc
from models import AuditLog, Campaign, CheckIn, Event, MonthEntry, Need, Response, Street, utcnow
from tests.conftest import csrf_from, login

DAY = datetime.timedelta(days=1)


@pytest.fixture
def app_config():
    return {"MONTH_TOTALS_SECONDS": 1}


def midnight(days):
    """The midnight (Shanghai) ``days`` from today, naive UTC."""
    return to_utc(datetime.datetime.combine(local_now().date() + days * DAY, datetime.time()))


def make_month(admin, **changes):
    """A published partner month of ``admin``'s district: started ten days ago, ending in twenty."""
    values = dict(
        district=admin.district, kind="month", name="第十七届公益伙伴月", theme="携手同行，公益有你",
        description="全区社会组织的公益月", application_opens_at=midnight(-20), application_closes_at=midnight(3),
        starts_at=midnight(-10), ends_at=midnight(20), published=True, published_at=utcnow(), created_by=admin,
    )
    values.update(changes)
    return Campaign.create(**values)


def confirm(campaign, org, status="confirmed"):
    admin = org.memberships.get().user
    return MonthEntry.create(campaign=campaign, organization=org, theme="敬老", planned_events=2,
                             contact_name=admin.name, contact_phone=admin.phone, status=status, created_by=admin)


def at(days, hour=14):
    """``days`` from today at ``hour`` o'clock, Shanghai, naive UTC."""
    return to_utc(datetime.datetime.combine(local_now().date() + days * DAY, datetime.time(hour)))


@pytest.fixture
def month(app, make_user):
    return make_month(make_user("district_admin"))


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin, name="新华银龄服务社")


def event_on(make_event, org, days, title, **extra):
    starts = at(days)
    return make_event(org, title=title, starts_at=starts, ends_at=starts + 2 * datetime.timedelta(hours=1), **extra)


def tag(client, event, campaign):
    page = client.get(f"/events/{event.id}/manage").get_data(as_text=True)
    return client.post(f"/events/{event.id}/month", data={"campaign": str(campaign.id), "csrf_token": csrf_from(page)})


def calendar_day(html, day):
    """The phone list's entry for ``day`` (a date)."""
    pattern = rf'<li class="month-day[^"]*" data-day="{day.isoformat()}">(.*?)</li>\s*(?=<li class="month-day|</ol>)'
    match = re.search(pattern, html, re.S)
    return match.group(1) if match else ""


def street_row(html, slug):
    match = re.search(rf'<tr data-street="{slug}">(.*?)</tr>', html, re.S)
    return [int(n) for n in re.findall(r"<td[^>]*>(\d+)</td>", match.group(1))]


def test_a_confirmed_organization_tags_an_event_and_it_shows_on_its_day(client, month, org, org_admin, make_event):
    confirm(month, org)
    event = event_on(make_event, org, 2, "重阳敬老茶话会")
    login(client, org_admin)
    manage = client.get(f"/events/{event.id}/manage").get_data(as_text=True)
    assert "标记为伙伴月活动" in manage and month.name in manage
    response = tag(client, event, month)
    assert response.status_code == 303
    assert Event.get_by_id(event.id).campaign_id == month.id
    assert AuditLog.get(AuditLog.action == "event.month_tag").target_id == event.id
    assert "取消伙伴月标记" in client.get(f"/events/{event.id}/manage").get_data(as_text=True)

    page = client.get(f"/campaigns/{month.id}/").get_data(as_text=True)
    day = local_now().date() + 2 * DAY
    assert "重阳敬老茶话会" in calendar_day(page, day)
    assert f'data-day="{day.isoformat()}"' in page.split('class="month-grid"')[1]  # and in the grid
    assert street_row(page, "xinhua") == [1, 0, 1, 0, 0]  # one organization, nothing held yet, one to come
    assert street_row(page, "tianshan") == [0, 0, 0, 0, 0]

    detail = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'href="/campaigns/{month.id}/"' in detail and month.name in detail
    listed = client.get("/events/?month=1").get_data(as_text=True)
    assert "重阳敬老茶话会" in listed and "伙伴月" in listed


def test_the_month_filter_of_the_event_list(client, month, org, make_event):
    confirm(month, org)
    event_on(make_event, org, 2, "伙伴月的活动", campaign=month)
    event_on(make_event, org, 2, "平常的活动")
    everything = client.get("/events/").get_data(as_text=True)
    assert "伙伴月的活动" in everything and "平常的活动" in everything
    for query in ("?month=1", f"?month={month.id}"):
        only = client.get("/events/" + query).get_data(as_text=True)
        assert "伙伴月的活动" in only and "平常的活动" not in only


def test_untagging_takes_the_event_off_the_calendar(client, month, org, org_admin, make_event):
    confirm(month, org)
    event = event_on(make_event, org, 2, "退出的活动", campaign=month)
    login(client, org_admin)
    page = client.get(f"/events/{event.id}/manage").get_data(as_text=True)
    response = client.post(f"/events/{event.id}/month/remove", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 303 and Event.get_by_id(event.id).campaign_id is None
    assert "退出的活动" not in client.get(f"/campaigns/{month.id}/").get_data(as_text=True)


def test_an_unconfirmed_organization_is_refused(client, month, org, org_admin, make_event):
    confirm(month, org, status="pending")
    event = event_on(make_event, org, 2, "待确认组织的活动")
    login(client, org_admin)
    response = tag(client, event, month)
    assert response.status_code == 422
    assert "还没有被街镇确认" in response.get_data(as_text=True)
    assert Event.get_by_id(event.id).campaign_id is None


def test_an_event_outside_the_month_is_refused(client, month, org, org_admin, make_event):
    confirm(month, org)
    event = event_on(make_event, org, 25, "月后的活动")
    login(client, org_admin)
    response = tag(client, event, month)
    assert response.status_code == 422
    assert "不在伙伴月期间" in response.get_data(as_text=True)
    assert Event.get_by_id(event.id).campaign_id is None


def test_only_the_organizations_admins_tag(client, month, org, make_user, make_event):
    confirm(month, org)
    event = event_on(make_event, org, 2, "志愿者不能标记")
    volunteer = make_user(name="志愿者")
    org.memberships.model.create(user=volunteer, organization=org, role="volunteer")
    login(client, volunteer)
    assert tag(client, event, month).status_code == 403
    assert Event.get_by_id(event.id).campaign_id is None


def test_the_event_form_offers_the_month_and_refuses_a_date_outside_it(client, month, org, org_admin):
    confirm(month, org)
    login(client, org_admin)
    form = client.get(f"/orgs/{org.id}/events/new").get_data(as_text=True)
    assert 'name="campaign"' in form and month.name in form
    data = {
        "csrf_token": csrf_from(form), "title": "伙伴月健康讲座", "category": "elderly", "start_time": "14:00",
        "end_time": "16:00", "venue": "愚园路 1000 号", "street": str(org.street_id), "checkin_mode": "static",
        "checkin_lead_minutes": "30", "campaign": str(month.id),
    }
    late = client.post(f"/orgs/{org.id}/events/new", data={**data, "date": (local_now().date() + 25 * DAY).isoformat()})
    assert late.status_code == 422 and "不在伙伴月期间" in late.get_data(as_text=True)
    ok = client.post(f"/orgs/{org.id}/events/new", data={**data, "date": (local_now().date() + 3 * DAY).isoformat()})
    assert ok.status_code == 303
    assert Event.get(Event.title == "伙伴月健康讲座").campaign_id == month.id


def test_the_calendar_filters_by_street_and_kind(client, month, org, make_org, make_event):
    other = make_org("tianshan", name="天山环保社")
    for o in (org, other):
        confirm(month, o)
    event_on(make_event, org, 1, "新华的敬老活动", campaign=month, category="elderly")
    event_on(make_event, other, 1, "天山的环保活动", campaign=month, category="environment",
             street=Street.get(Street.slug == "tianshan"))
    url = f"/campaigns/{month.id}/"
    tianshan = client.get(url + "?street=tianshan").get_data(as_text=True)
    assert "天山的环保活动" in tianshan and "新华的敬老活动" not in tianshan
    elderly = client.get(url + "?kind=elderly").get_data(as_text=True)
    assert "新华的敬老活动" in elderly and "天山的环保活动" not in elderly
    assert client.get(url + "?street=nowhere&kind=nothing").status_code == 200  # unknown filters show everything


def test_a_check_in_moves_the_totals_fragment(client, month, org, make_event):
    confirm(month, org)
    event = event_on(make_event, org, 0, "今天的活动", campaign=month)
    before = client.get(f"/campaigns/{month.id}/totals", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in before and "<html" not in before
    assert street_row(before, "xinhua")[3] == 0
    CheckIn.create(event=event, name="居民", phone="13600000001", number=1)
    after = client.get(f"/campaigns/{month.id}/totals").get_data(as_text=True)
    assert street_row(after, "xinhua")[3] == 1
    assert 'data-total="checkins">1<' in after


def test_matches_made_count_under_the_street_of_the_need(client, month, org, make_user):
    confirm(month, org)
    posted = Need.create(campaign=month, organization=org, kind="need", category="volunteers", title="需要志愿者",
                         street=org.street, deadline=local_now().date() + 10 * DAY, contact_name="联系人",
                         contact_phone="13500000000", status="matched")
    for matched in (True, False):
        Response.create(need=posted, responder=make_user("partner"), message="我们可以", contact_name="回应人",
                        contact_phone="13500000001", matched_at=utcnow() if matched else None)
    totals = client.get(f"/campaigns/{month.id}/totals").get_data(as_text=True)
    assert street_row(totals, "xinhua")[4] == 1 and 'data-total="matches">1<' in totals


def test_the_phone_list_puts_today_first_then_the_days_to_come(client, month, org, make_event):
    confirm(month, org)
    for days, title in ((-2, "前天的活动"), (3, "三天后的活动"), (0, "今天的活动"), (1, "明天的活动")):
        event_on(make_event, org, days, title, campaign=month, status="ended" if days < 0 else "published")
    page = client.get(f"/campaigns/{month.id}/").get_data(as_text=True)
    listed = page.split('class="month-list')[1].split("</ol>")[0]
    order = [listed.index(title) for title in ("今天的活动", "明天的活动", "三天后的活动", "前天的活动")]
    assert order == sorted(order)
    assert re.search(r'class="month-day is-today"[^>]*>\s*<h3>今天', listed)


def test_the_page_is_complete_without_javascript(client, month, org, make_event):
    confirm(month, org)
    event_on(make_event, org, 1, "明天的活动", campaign=month)
    page = client.get(f"/campaigns/{month.id}/").get_data(as_text=True)
    for text in (month.name, month.theme, month.description, "明天的活动", "实时统计", "新华路街道", "活动日历"):
        assert text in page
    assert '<form method="get"' in page and 'name="street"' in page and 'name="kind"' in page
    assert f'property="og:title" content="{month.name}"' in page and 'property="og:image"' in page
    poster = client.get(f"/campaigns/{month.id}/poster")
    assert poster.status_code == 200 and "<svg" in poster.get_data(as_text=True)


def test_a_draft_month_is_hidden_and_a_contest_has_no_totals(client, make_user):
    admin = make_user("district_admin")
    draft = make_month(admin, published=False)
    for url in (f"/campaigns/{draft.id}/", f"/campaigns/{draft.id}/totals", f"/campaigns/{draft.id}/poster"):
        assert client.get(url).status_code == 404
    login(client, admin)
    assert client.get(f"/campaigns/{draft.id}/").status_code == 200


@pytest.mark.parametrize("value", ["", "abc", str(2**70), "١٢٣", "-1"])
def test_a_campaign_that_is_no_id_is_refused_beside_the_field(client, month, org, org_admin, make_event, value):
    confirm(month, org)
    event = event_on(make_event, org, 2, "乱填的伙伴月")
    login(client, org_admin)
    page = client.get(f"/events/{event.id}/manage").get_data(as_text=True)
    response = client.post(f"/events/{event.id}/month", data={"campaign": value, "csrf_token": csrf_from(page)})
    assert response.status_code == 422 and "请选择一个公益伙伴月" in response.get_data(as_text=True)
