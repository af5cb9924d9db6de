"""Assigning reviewers to eligible proposals: by hand or N per proposal spread evenly, never a member of the
applicant nor a reviewer who declared 回避; only the admin of the campaign's district."""
import pytest

from blueprints.reviews import operations
from core.errors import PermissionDenied, ValidationError
from models import Assignment, AuditLog, Conflict, District, Membership, Proposal
from tests.conftest import login
from tests.test_campaigns import make_campaign


@pytest.fixture
def setup(app, make_user, make_org):
    admin = make_user("district_admin")
    changning = District.get(District.code == "310105")
    reviewers = [make_user("reviewer", name=f"专家{i}", district=changning) for i in range(6)]
    campaign = make_campaign(admin, published=True)
    orgs = [make_org("xinhua") for _ in range(4)]
    proposals = [Proposal.create(campaign=campaign, organization=org, status="eligible", title=f"项目{i}")
                 for i, org in enumerate(orgs)]
    Proposal.create(campaign=campaign, organization=orgs[0], status="submitted", title="未审")
    Membership.create(user=reviewers[0], organization=orgs[0], role="volunteer")
    Conflict.create(reviewer=reviewers[1], organization=orgs[1], note="曾任理事")
    return admin, reviewers, campaign, orgs, proposals


def test_auto_assign_spreads_evenly_and_skips_members_and_conflicts(app, setup):
    admin, reviewers, campaign, orgs, proposals = setup
    with app.test_request_context():
        added, short = operations.auto_assign(campaign, 3, admin)
    assert (added, short) == (12, 0)
    for proposal in proposals:
        assert Assignment.select().where(Assignment.proposal == proposal).count() == 3
    assert not Assignment.select().where(Assignment.proposal == proposals[0],
                                         Assignment.reviewer == reviewers[0]).exists()
    assert not Assignment.select().where(Assignment.proposal == proposals[1],
                                         Assignment.reviewer == reviewers[1]).exists()
    loads = [Assignment.select().where(Assignment.reviewer == r).count() for r in reviewers]
    assert max(loads) - min(loads) <= 1
    assert AuditLog.select().where(AuditLog.action == "review.auto_assign").count() == 1
    with app.test_request_context():  # run again: already full, nothing added
        assert operations.auto_assign(campaign, 3, admin) == (0, 0)


def test_not_enough_reviewers_is_said(app, client, setup):
    admin, reviewers, campaign, orgs, proposals = setup
    with app.test_request_context():
        added, short = operations.auto_assign(campaign, 6, admin)
    assert short == 2  # the member and the conflicted reviewer leave 5 for proposals 0 and 1
    login(client, admin)
    response = client.post(f"/campaigns/{campaign.id}/assignments/auto", data={"per_proposal": "6"},
                           follow_redirects=True)
    assert "2 份申报书可分配的评审专家不足 6 位" in response.get_data(as_text=True)


def test_by_hand_refuses_a_member_and_a_conflicted_reviewer(app, client, setup):
    admin, reviewers, campaign, orgs, proposals = setup
    with app.test_request_context():
        with pytest.raises(ValidationError, match="是申报组织的成员"):
            operations.assign(proposals[0], reviewers[0], admin)
        with pytest.raises(ValidationError, match="已声明回避"):
            operations.assign(proposals[1], reviewers[1], admin)
    login(client, admin)
    response = client.post(f"/proposals/{proposals[1].id}/reviewers", data={"reviewer": str(reviewers[1].id)})
    assert response.status_code == 422
    assert "已声明回避申报组织" in response.get_data(as_text=True)
    response = client.post(f"/proposals/{proposals[1].id}/reviewers", data={"reviewer": str(reviewers[2].id)})
    assert response.status_code == 303
    assert Assignment.select().where(Assignment.proposal == proposals[1]).count() == 1
    assert AuditLog.select().where(AuditLog.action == "review.assign").count() == 1
    page = client.get(f"/campaigns/{campaign.id}/assignments").get_data(as_text=True)
    assert "专家2" in page and "项目1" in page and "未审" not in page
    response = client.post(f"/proposals/{proposals[1].id}/reviewers/{reviewers[2].id}/remove")
    assert response.status_code == 303
    assert not Assignment.select().where(Assignment.proposal == proposals[1]).exists()


def test_only_the_district_admin_of_that_district(app, client, make_user, setup):
    admin, reviewers, campaign, orgs, proposals = setup
    xuhui = District.create(code="310104", name="徐汇区")
    other_admin = make_user("district_admin", district=xuhui)
    with app.test_request_context():
        with pytest.raises(PermissionDenied):
            operations.auto_assign(campaign, 3, other_admin)
        with pytest.raises(PermissionDenied):
            operations.assign(proposals[2], reviewers[2], reviewers[3])
    for user in (other_admin, reviewers[2]):
        login(client, user)
        assert client.get(f"/campaigns/{campaign.id}/assignments").status_code == 403
        assert client.post(f"/proposals/{proposals[2].id}/reviewers",
                           data={"reviewer": str(reviewers[2].id)}).status_code == 403
    draft = make_campaign(admin)
    login(client, other_admin)
    assert client.get(f"/campaigns/{draft.id}/assignments").status_code == 404
    assert not Assignment.select().exists()


def test_declaring_a_conflict_removes_an_existing_assignment(app, client, setup):
    admin, reviewers, campaign, orgs, proposals = setup
    with app.test_request_context():
        operations.assign(proposals[2], reviewers[4], admin)
    login(client, reviewers[4])
    assert client.get("/reviews/conflicts").status_code == 200
    response = client.post("/reviews/conflicts", data={"organization": str(orgs[2].id), "note": "亲属任职"},
                           follow_redirects=True)
    assert "已声明回避" in response.get_data(as_text=True)
    assert not Assignment.select().where(Assignment.reviewer == reviewers[4]).exists()
    assert Conflict.get(Conflict.reviewer == reviewers[4]).note == "亲属任职"
    assert AuditLog.select().where(AuditLog.action == "review.conflict").count() == 1
    with app.test_request_context():
        with pytest.raises(ValidationError, match="已声明回避"):
            operations.assign(proposals[2], reviewers[4], admin)
