"""延期申报: after the deadline a proposal is locked, unless the district admin grants its organization an
extension to a date; only that organization writes on, until that date ends."""
import datetime
import re

import pytest

from blueprints.campaigns import operations
from core.errors import PermissionDenied, ValidationError
from core.timeutil import local_now
from models import AuditLog, Campaign, District, Extension, Proposal, utcnow
from tests.conftest import login
from tests.test_campaigns import make_campaign
from tests.test_proposals import FILLED, fill_in, text

DAY = datetime.timedelta(days=1)


@pytest.fixture
def app_config(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


@pytest.fixture
def district_admin(make_user):
    return make_user("district_admin")


@pytest.fixture
def contest(app, district_admin):
    """A published contest whose deadline has just passed."""
    with app.app_context():
        campaign = make_campaign(district_admin, published=True)
    Campaign.update(application_closes_at=utcnow() - datetime.timedelta(minutes=1)).where(
        Campaign.id == campaign.id
    ).execute()
    return Campaign.get_by_id(campaign.id)


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin, name="睦邻互助会")


def in_days(n):
    return (local_now().date() + n * DAY).isoformat()


def grant(client, contest, org, until):
    return client.post(f"/campaigns/{contest.id}/extensions", data={"organization": str(org.id), "until": until})


def test_an_extension_lets_that_organization_alone_write_after_the_deadline(
    client, make_user, make_org, district_admin, org_admin, org, contest
):
    login(client, org_admin)
    response = client.post(f"/campaigns/{contest.id}/proposals/new")
    assert response.status_code == 409 and "申报已截止" in text(response)

    login(client, district_admin)
    assert "延期申报" in text(client.get(f"/campaigns/{contest.id}/"))
    assert grant(client, contest, org, in_days(3)).status_code == 303
    extension = Extension.get(Extension.campaign == contest, Extension.organization == org)
    assert extension.until > utcnow() + 3 * DAY - DAY and extension.granted_by_id == district_admin.id
    assert "睦邻互助会" in text(client.get(f"/campaigns/{contest.id}/"))

    login(client, org_admin)
    assert client.post(f"/campaigns/{contest.id}/proposals/new").status_code == 303
    proposal = Proposal.get(Proposal.campaign == contest, Proposal.organization == org)
    fill_in(client, proposal, contest)
    client.post(f"/proposals/{proposal.id}/submit")
    assert Proposal.get_by_id(proposal.id).status == "submitted"

    other_admin = make_user(name="另一个组织管理员")
    make_org("xinhua", admin=other_admin, name="邻里守望社")
    login(client, other_admin)
    response = client.post(f"/campaigns/{contest.id}/proposals/new")
    assert response.status_code == 409 and "申报已截止" in text(response)


def test_when_the_extension_ends_the_proposal_is_locked_again(client, district_admin, org_admin, org, contest):
    login(client, district_admin)
    grant(client, contest, org, in_days(2))
    login(client, org_admin)
    client.post(f"/campaigns/{contest.id}/proposals/new")
    proposal = Proposal.get(Proposal.campaign == contest)
    assert client.post(f"/proposals/{proposal.id}/sections/summary", data=FILLED["summary"]).status_code == 303

    Extension.update(until=utcnow() - datetime.timedelta(minutes=1)).execute()
    response = client.post(f"/proposals/{proposal.id}/sections/needs", data=FILLED["needs"])
    assert response.status_code == 409 and "申报已截止" in text(response)
    assert Proposal.get_by_id(proposal.id).needs in (None, "")


def test_granting_again_moves_the_date_and_each_grant_is_audited(client, district_admin, org, contest):
    login(client, district_admin)
    grant(client, contest, org, in_days(2))
    grant(client, contest, org, in_days(5))
    assert Extension.select().count() == 1
    day = local_now().date() + 5 * DAY
    assert contest.deadline_for(org) == Extension.get().until
    entries = list(AuditLog.select().where(AuditLog.action == "campaign.extend").order_by(AuditLog.id))
    assert len(entries) == 2 and entries[-1].target_id == contest.id and entries[-1].actor_id == district_admin.id
    assert f"organization={org.id}" in entries[-1].detail and "睦邻互助会" in entries[-1].detail
    assert day.isoformat() in entries[-1].detail


def test_a_date_not_after_the_deadline_is_refused_beside_the_field(client, app, district_admin, org):
    with app.app_context():
        campaign = make_campaign(district_admin, published=True)  # its deadline is about 29 days away
    login(client, district_admin)
    response = grant(client, campaign, org, in_days(3))
    assert response.status_code == 422 and "延期日期要晚于申报截止日期" in text(response)
    assert not Extension.select().exists()


def test_only_the_district_admin_of_that_district_may_grant(client, make_user, make_org, org_admin, org, contest):
    xuhui = District.create(code="310104", name="徐汇区")
    moderator = make_user("street_moderator", street="xinhua")
    for user in (make_user("district_admin", district=xuhui), org_admin, moderator):
        login(client, user)
        assert grant(client, contest, org, in_days(3)).status_code in (403, 404)
        with pytest.raises(PermissionDenied):
            operations.grant_extension(contest, org, utcnow() + 3 * DAY, user)
    assert not Extension.select().exists()


def test_only_an_admitted_organization_of_the_district_is_extended(make_org, district_admin, contest):
    pending = make_org("xinhua", status="pending")
    with pytest.raises(ValidationError) as error:
        operations.grant_extension(contest, pending, utcnow() + 3 * DAY, district_admin)
    assert "organization" in error.value.errors
    assert not Extension.select().exists()


def apply_links(html):
    """The 我要申报 / 继续填写 buttons of a page."""
    return re.findall(r'<a class="button" href="([^"]+)">(我要申报|继续填写)</a>', html)


def test_after_the_deadline_only_an_extended_organization_sees_where_to_apply(
    client, make_user, make_org, district_admin, org_admin, org, contest
):
    login(client, org_admin)
    assert apply_links(text(client.get(f"/campaigns/{contest.id}/"))) == []
    assert 'id="todo"' not in text(client.get("/"))

    login(client, district_admin)
    grant(client, contest, org, in_days(3))
    day = local_now().date() + 3 * DAY
    until = f"睦邻互助会：延期至 {day.year}年{day.month}月{day.day}日"
    login(client, org_admin)
    page = text(client.get(f"/campaigns/{contest.id}/"))
    assert apply_links(page) == [(f"/campaigns/{contest.id}/proposals/new", "我要申报")] and until in page
    home = text(client.get("/"))
    assert f"我要申报：{contest.name}" in home and until in home

    assert client.post(f"/campaigns/{contest.id}/proposals/new").status_code == 303
    draft = Proposal.get(Proposal.campaign == contest)
    page = text(client.get(f"/campaigns/{contest.id}/"))
    assert apply_links(page) == [(f"/proposals/{draft.id}/", "继续填写")] and until in page
    assert f"继续填写：{contest.name}" in text(client.get("/"))

    fill_in(client, draft, contest)
    client.post(f"/proposals/{draft.id}/submit")
    assert apply_links(text(client.get(f"/campaigns/{contest.id}/"))) == []  # sent: nothing left to apply for
    assert f"/proposals/{draft.id}/" in text(client.get(f"/campaigns/{contest.id}/"))  # still listed as its own

    other_admin = make_user(name="另一个组织管理员")
    make_org("xinhua", admin=other_admin, name="邻里守望社")
    login(client, other_admin)
    assert apply_links(text(client.get(f"/campaigns/{contest.id}/"))) == []
    assert 'id="todo"' not in text(client.get("/"))


def test_an_admin_of_two_organizations_is_offered_only_the_extended_one(
    client, make_org, district_admin, org_admin, org, contest
):
    make_org("xinhua", admin=org_admin, name="邻里守望社")
    login(client, district_admin)
    grant(client, contest, org, in_days(3))
    login(client, org_admin)
    page = text(client.get(f"/campaigns/{contest.id}/proposals/new"))
    assert "睦邻互助会" in page and "邻里守望社" not in page
    assert client.post(f"/campaigns/{contest.id}/proposals/new").status_code == 303  # the one offered is chosen
    assert Proposal.get(Proposal.campaign == contest).organization_id == org.id
