"""The home page of a member of an organization: their role named, today's and the next events one tap from 签到管理."""
import datetime

import pytest

from models import Membership
from tests.conftest import login

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def org(make_org, make_user):
    return make_org("xinhua", admin=make_user(name="组织管理员"), name="睦邻互助会")


@pytest.fixture
def volunteer(make_user, org):
    user = make_user(name="志愿者小红")
    Membership.create(user=user, organization=org, role="volunteer")
    return user


def test_a_volunteer_is_named_a_volunteer_not_a_resident(client, volunteer):
    login(client, volunteer)
    html = client.get("/").get_data(as_text=True)
    assert '<p class="small">志愿者' in html and "居民</p>" not in html


def test_an_org_admin_is_named_an_org_admin(client, org):
    login(client, Membership.get(Membership.organization == org).user)
    assert '<p class="small">组织管理员' in client.get("/").get_data(as_text=True)


def test_todays_and_the_next_events_come_first_each_one_tap_from_check_in(client, volunteer, org, make_org,
                                                                         make_event):
    now_on = make_event(org, title="正在进行的合唱排练", starts_in=-HOUR)
    later = make_event(org, title="下周的健康讲座", starts_in=datetime.timedelta(days=7))
    make_event(org, title="已经结束的活动", starts_in=-5 * HOUR)
    make_event(org, title="还没发布的草稿", status="draft")
    make_event(make_org("xinhua"), title="别的组织的活动")
    login(client, volunteer)
    html = client.get("/").get_data(as_text=True)
    events = html[html.index('id="my-events"'):]
    assert html.index('id="my-events"') < html.index("查找身边的社区活动")
    assert events.index("正在进行的合唱排练") < events.index("下周的健康讲座")
    assert f'href="/events/{now_on.id}/checkins"' in events and f'href="/events/{later.id}/checkins"' in events
    assert "今天" in events[:events.index("正在进行的合唱排练")]
    for hidden in ("已经结束的活动", "还没发布的草稿", "别的组织的活动"):
        assert hidden not in html


def test_someone_without_an_organization_sees_no_event_list(client, make_user):
    login(client, make_user(name="普通用户"))
    assert 'id="my-events"' not in client.get("/").get_data(as_text=True)


def test_a_reviewer_finds_the_contests_and_where_to_declare_a_conflict(client, make_user):
    login(client, make_user("reviewer"))
    page = client.get("/").get_data(as_text=True)
    assert 'href="/campaigns/"' in page and 'href="/reviews/conflicts"' in page and "声明回避" in page
