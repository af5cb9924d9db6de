"""Funded projects: a published 立项 proposal has a public page; its organization's admins link their events to it,
and the page shows what it has done so far."""
import datetime

import pytest

from models import AuditLog, CheckIn, Event, Proposal, utcnow
from tests.conftest import login
from tests.test_campaigns import make_campaign

DAY = datetime.timedelta(days=1)


def text(response):
    return response.get_data(as_text=True)


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin, name="新华路街道睦邻互助会")


@pytest.fixture
def campaign(make_user):
    """A contest whose results are published."""
    campaign = make_campaign(make_user("district_admin"), published=True)
    campaign.results_published_at = utcnow()
    campaign.save()
    return campaign


def make_proposal(campaign, organization, **changes):
    values = dict(
        campaign=campaign, organization=organization, title="银龄守护计划", status="eligible",
        category=campaign.ordered_categories()[0], service_field="elderly", street=organization.street,
        starts_on=datetime.date(2027, 3, 1), ends_on=datetime.date(2027, 12, 31),
        summary="为独居老人提供探访服务", outcomes="服务 200 名独居老人", decision="funded", amount_granted=150000,
    )
    values.update(changes)
    return Proposal.create(**values)


@pytest.fixture
def project(campaign, org):
    return make_proposal(campaign, org)


def test_a_published_funded_proposal_has_a_public_page(client, project, org):
    html = text(response := client.get(f"/projects/{project.id}/"))
    assert response.status_code == 200
    assert "银龄守护计划" in html and "150,000 元" in html
    assert f'href="/orgs/{org.id}/"' in html and "新华路街道睦邻互助会" in html
    assert f'href="/campaigns/{project.campaign_id}/"' in html
    assert "为独居老人提供探访服务" in html and "服务 200 名独居老人" in html
    assert "2027年3月1日" in html and "新华路街道" in html
    assert "关联活动" not in html  # the link form is for its organization's admins


@pytest.mark.parametrize("changes", [{"decision": "unfunded"}, {"decision": None}, {"unpublished": True}])
def test_an_unfunded_or_unpublished_proposal_has_no_project_page(client, make_user, org, org_admin, changes):
    admin = make_user("district_admin")
    campaign = make_campaign(admin, published=True)
    changes = dict(changes)  # the parameter is shared by the runs on each database
    if not changes.pop("unpublished", False):
        campaign.results_published_at = utcnow()
        campaign.save()
    proposal = make_proposal(campaign, org, **changes)
    assert client.get(f"/projects/{proposal.id}/").status_code == 404
    for user in (org_admin, admin):  # whoever asks
        login(client, user)
        assert client.get(f"/projects/{proposal.id}/").status_code == 404
        assert client.post(f"/projects/{proposal.id}/events", data={"event": ""}).status_code == 404


def test_the_org_admin_links_an_event_and_the_page_shows_it_with_its_checkins(
    client, project, org, org_admin, make_event
):
    past = make_event(org, status="ended", starts_in=-3 * DAY, title="探访培训")
    for number, phone in enumerate(("13600000001", "13600000002", "13600000003"), 1):
        CheckIn.create(event=past, name="居民", phone=phone, number=number)
    coming = make_event(org, status="published", starts_in=2 * DAY, title="上门探访")
    login(client, org_admin)
    page = text(client.get(f"/projects/{project.id}/"))
    assert "关联活动" in page and "探访培训" in page  # offered in the select
    for event in (past, coming):
        response = client.post(f"/projects/{project.id}/events", data={"event": str(event.id)})
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/projects/{project.id}/#project-events")
    assert Event.get_by_id(past.id).project_id == project.id
    assert AuditLog.select().where(AuditLog.action == "event.link_project").count() == 2
    client.get("/logout")
    html = text(anonymous := client.get(f"/projects/{project.id}/"))
    assert anonymous.status_code == 200
    assert html.index("上门探访") < html.index("探访培训")  # coming ones first
    assert "签到 3 人" in html and "签到 0 人" in html
    assert '<strong>1</strong> 已开展活动' in html and '<strong>3</strong> 累计签到人次' in html
    # The event's page names its project.
    event_page = text(client.get(f"/events/{past.id}"))
    assert "所属公益创投项目" in event_page and f'href="/projects/{project.id}/"' in event_page


def test_htmx_links_in_place(client, project, org, org_admin, make_event):
    event = make_event(org, status="published", title="上门探访")
    login(client, org_admin)
    response = client.post(f"/projects/{project.id}/events", data={"event": str(event.id)},
                           headers={"HX-Request": "true"})
    html = text(response)
    assert response.status_code == 200
    assert 'id="project-events"' in html
    assert "<html" not in html and "已关联活动：上门探访" in html and "上门探访" in html


def test_drafts_are_not_shown_to_the_public_but_to_the_admins(client, project, org, org_admin, make_event):
    draft = make_event(org, status="draft", title="筹备中的活动", project=project)
    assert "筹备中的活动" not in text(client.get(f"/projects/{project.id}/"))
    login(client, org_admin)
    assert "筹备中的活动" in text(client.get(f"/projects/{project.id}/"))
    assert client.post(f"/projects/{project.id}/events/{draft.id}/unlink").status_code == 303
    assert Event.get_by_id(draft.id).project_id is None


def test_a_volunteer_cannot_link_and_another_org_admin_does_not_find_it(
    client, project, org, make_user, make_org, make_event
):
    event = make_event(org, status="published")
    volunteer = make_user(name="志愿者")
    org.memberships.model.create(user=volunteer, organization=org, role="volunteer")
    login(client, volunteer)
    assert "关联活动" not in text(client.get(f"/projects/{project.id}/"))
    assert client.post(f"/projects/{project.id}/events", data={"event": str(event.id)}).status_code == 403
    other = make_org("tianshan")
    login(client, other.memberships.get().user)
    assert client.post(f"/projects/{project.id}/events", data={"event": str(event.id)}).status_code == 404
    assert Event.get_by_id(event.id).project_id is None


@pytest.mark.parametrize("value", ["other", "99999", "abc", "²", "99999999999999999999", ""])
def test_another_orgs_event_is_refused_beside_the_field(client, project, org_admin, make_org, make_event, value):
    other_event = make_event(make_org("tianshan"), status="published", title="别人的活动")
    login(client, org_admin)
    wanted = str(other_event.id) if value == "other" else value
    response = client.post(f"/projects/{project.id}/events", data={"event": wanted})
    assert response.status_code == 422
    html = text(response)
    assert ("只能关联本组织的活动" if value != "" else "请选择活动") in html
    assert Event.get_by_id(other_event.id).project_id is None


def test_a_cancelled_event_is_not_offered_nor_linked(client, project, org, org_admin, make_event):
    cancelled = make_event(org, status="cancelled", title="已取消的讲座")
    login(client, org_admin)
    assert "已取消的讲座" not in text(client.get(f"/projects/{project.id}/"))
    response = client.post(f"/projects/{project.id}/events", data={"event": str(cancelled.id)})
    assert response.status_code == 422 and "已取消的活动不能关联" in text(response)


def test_unlink(client, project, org, org_admin, make_event):
    event = make_event(org, status="published", title="上门探访", project=project)
    login(client, org_admin)
    assert "取消关联" in text(client.get(f"/projects/{project.id}/"))
    response = client.post(f"/projects/{project.id}/events/{event.id}/unlink")
    assert response.status_code == 303
    assert Event.get_by_id(event.id).project_id is None
    assert AuditLog.get(AuditLog.action == "event.unlink_project").target_id == event.id
    assert "上门探访" not in text(client.get(f"/projects/{project.id}/")).split('id="project-events"')[1].split(
        "<form")[0]
    # An event that is not the project's is not found there.
    assert client.post(f"/projects/{project.id}/events/{event.id}/unlink").status_code == 404


def event_form(org, **changes):
    tomorrow = (datetime.date.today() + 2 * DAY).isoformat()
    return {
        "title": "银发太极拳", "category": "elderly", "date": tomorrow, "start_time": "14:00", "end_time": "16:00",
        "venue": "愚园路 1000 号", "street": str(org.street_id), "description": "", "capacity": "",
        "checkin_mode": "static", "checkin_lead_minutes": "30", **changes,
    }


def test_the_event_form_offers_only_the_orgs_own_projects(client, project, campaign, org, org_admin, make_org):
    foreign = make_proposal(campaign, make_org("tianshan"), title="别人的项目")
    login(client, org_admin)
    html = text(client.get(f"/orgs/{org.id}/events/new"))
    assert "所属项目" in html and "银龄守护计划" in html and "别人的项目" not in html
    response = client.post(f"/orgs/{org.id}/events/new", data=event_form(org, project=str(foreign.id)))
    assert response.status_code == 422 and "请从本组织的公益创投项目中选择" in text(response)
    assert not Event.select().where(Event.title == "银发太极拳").exists()
    response = client.post(f"/orgs/{org.id}/events/new", data=event_form(org, project=str(project.id)))
    assert response.status_code == 303
    event = Event.get(Event.title == "银发太极拳")
    assert event.project_id == project.id
    edit = text(client.get(f"/events/{event.id}/edit"))
    assert f'<option selected value="{project.id}">' in edit
    response = client.post(f"/events/{event.id}/edit", data=event_form(org, project=""))
    assert response.status_code == 303 and Event.get_by_id(event.id).project_id is None


def test_the_event_form_has_no_project_select_without_projects(client, make_org, make_user):
    admin = make_user()
    other = make_org("tianshan", admin=admin)
    login(client, admin)
    assert "所属项目" not in text(client.get(f"/orgs/{other.id}/events/new"))


def test_the_org_page_lists_its_projects(client, project, org, make_org):
    html = text(client.get(f"/orgs/{org.id}/"))
    assert "公益创投项目" in html and f'href="/projects/{project.id}/"' in html and "资助 150,000 元" in html
    assert project.campaign.name in html
    assert "公益创投项目" not in text(client.get(f"/orgs/{make_org('tianshan').id}/"))
