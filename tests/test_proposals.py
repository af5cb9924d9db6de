"""Proposals (申报书): drafted by an org admin in sections that save as they go, checked against the category's cap,
submitted when complete, locked after the deadline, with attachments only their readers can download."""
import datetime
import io

import pytest

from models import AuditLog, Campaign, Membership, Proposal, ProposalFile, Street, utcnow
from tests.conftest import login
from tests.test_campaigns import make_campaign

HTMX = {"HX-Request": "true"}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def app_config(tmp_path):
    return {"UPLOAD_DIR": str(tmp_path / "uploads")}


@pytest.fixture
def district_admin(make_user):
    return make_user("district_admin")


@pytest.fixture
def contest(app, district_admin):
    with app.app_context():
        return make_campaign(district_admin, published=True)


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin, name="睦邻互助会")


def text(response):
    return response.get_data(as_text=True)


def start(client, contest):
    response = client.post(f"/campaigns/{contest.id}/proposals/new")
    assert response.status_code == 303, text(response)
    return Proposal.get(Proposal.campaign == contest)


def basics(contest, **changes):
    category = contest.ordered_categories()[0]
    return {
        "title": "独居老人助餐关爱计划", "category": str(category.id), "service_field": "elderly",
        "beneficiaries": "独居老人", "street": str(Street.get(Street.slug == "xinhua").id),
        "starts_on": "2027-03-01", "ends_on": "2027-12-31", "beneficiary_count": "120", **changes,
    }


FILLED = {
    "budget": {
        "total_budget": "150000", "amount_requested": "100000", "budget_items": "场地租赁 50000\n餐费补贴 100000",
    },
    "summary": {"summary": "为新华路街道的独居老人提供助餐和探访服务。"},
    "needs": {"needs": "街道有独居老人 300 余名，其中 120 人有助餐需求。"},
    "plan": {"plan": "3 月招募志愿者，4 月起每周送餐五次。"},
    "outcomes": {"outcomes": "服务 120 人，满意度 90% 以上。"},
    "team": {"team": "社工 2 名，志愿者 20 名。"},
}


def fill_in(client, proposal, contest):
    assert client.post(f"/proposals/{proposal.id}/sections/basics", data=basics(contest)).status_code == 303
    for section, data in FILLED.items():
        assert client.post(f"/proposals/{proposal.id}/sections/{section}", data=data).status_code == 303


def test_an_org_admin_starts_a_proposal_and_saves_a_section_in_place(client, org_admin, org, contest):
    login(client, org_admin)
    assert "我要申报" in text(client.get(f"/campaigns/{contest.id}/"))
    proposal = start(client, contest)
    assert (proposal.organization_id, proposal.status) == (org.id, "draft")

    response = client.post(f"/proposals/{proposal.id}/sections/basics", data=basics(contest), headers=HTMX)
    assert response.status_code == 200 and "<html" not in text(response) and "已保存" in text(response)
    saved = Proposal.get_by_id(proposal.id)
    assert (saved.title, saved.beneficiary_count) == ("独居老人助餐关爱计划", 120)
    assert saved.starts_on == datetime.date(2027, 3, 1)


def test_the_amount_asked_stays_within_the_categorys_cap_and_the_total(client, org_admin, org, contest):
    login(client, org_admin)
    proposal = start(client, contest)
    client.post(f"/proposals/{proposal.id}/sections/basics", data=basics(contest))
    over_cap = {"total_budget": "500000", "amount_requested": "300000", "budget_items": "场地租赁 500000"}
    response = client.post(f"/proposals/{proposal.id}/sections/budget", data=over_cap, headers=HTMX)
    assert "申请金额不能超过民生服务类的资助上限 200,000 元" in text(response)
    assert 'value="300000"' in text(response)  # what was typed stays
    over_total = {"total_budget": "50000", "amount_requested": "80000", "budget_items": "场地租赁 50000"}
    response = client.post(f"/proposals/{proposal.id}/sections/budget", data=over_total, headers=HTMX)
    assert "申请金额不能超过项目总预算" in text(response)
    assert Proposal.get_by_id(proposal.id).amount_requested is None  # nothing refused was stored


def test_submitting_needs_every_section_then_it_is_audited(client, org_admin, org, contest):
    login(client, org_admin)
    proposal = start(client, contest)
    client.post(f"/proposals/{proposal.id}/sections/basics", data=basics(contest))
    page = text(client.post(f"/proposals/{proposal.id}/submit", follow_redirects=True))
    assert "还不能提交，请先填写" in page and Proposal.get_by_id(proposal.id).status == "draft"

    fill_in(client, proposal, contest)
    client.post(f"/proposals/{proposal.id}/submit")
    assert Proposal.get_by_id(proposal.id).status == "submitted"
    assert AuditLog.select().where(AuditLog.action.startswith("proposal."), AuditLog.target_id == proposal.id).exists()


def test_an_organization_applies_at_most_as_often_as_the_contest_allows(client, org_admin, org, contest):
    login(client, org_admin)
    first = start(client, contest)
    page = text(client.post(f"/campaigns/{contest.id}/proposals/new", follow_redirects=True))
    assert "每个组织最多申报 1 个项目" in page and Proposal.select().count() == 1
    client.post(f"/proposals/{first.id}/withdraw")
    assert Proposal.get_by_id(first.id).status == "withdrawn"
    assert client.post(f"/campaigns/{contest.id}/proposals/new").status_code == 303  # a withdrawn one does not count
    assert Proposal.select().count() == 2


def test_after_the_deadline_the_proposal_is_locked(client, org_admin, org, contest):
    login(client, org_admin)
    proposal = start(client, contest)
    Campaign.update(application_closes_at=utcnow() - datetime.timedelta(minutes=1)).where(
        Campaign.id == contest.id
    ).execute()
    response = client.post(f"/proposals/{proposal.id}/sections/summary", data=FILLED["summary"])
    assert response.status_code == 409 and "申报已截止" in text(response)
    assert Proposal.get_by_id(proposal.id).summary in (None, "")


def test_only_its_organization_and_overseers_see_a_proposal(client, app, make_user, make_org, org_admin, org, contest):
    login(client, org_admin)
    proposal = start(client, contest)
    volunteer = make_user(name="志愿者")
    Membership.create(user=volunteer, organization=org, role="volunteer")
    cases = {
        make_org("tianshan").memberships.get().user: 404,  # another organization's admin
        make_user("street_moderator", street="tianshan"): 404,
        make_user("reviewer"): 404,
        make_user("street_moderator", street="xinhua"): 200,
        volunteer: 200,
    }
    for user, status in cases.items():
        login(client, user)
        assert client.get(f"/proposals/{proposal.id}/").status_code == status, user.name
    login(client, volunteer)
    assert client.post(f"/proposals/{proposal.id}/sections/summary", data=FILLED["summary"]).status_code == 403


def test_an_attachment_is_checked_by_content_and_downloaded_only_by_readers(client, make_user, org_admin, org, contest):
    login(client, org_admin)
    proposal = start(client, contest)
    client.post(f"/proposals/{proposal.id}/sections/basics", data=basics(contest))
    upload = {"file": (io.BytesIO(PDF), "项目预算表.pdf")}
    page = text(client.post(f"/proposals/{proposal.id}/files", data=upload, follow_redirects=True))
    assert "已上传：项目预算表.pdf" in page
    stored = ProposalFile.get(ProposalFile.proposal == proposal)
    download = client.get(f"/proposals/{proposal.id}/files/{stored.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    download.close()

    lying = {"file": (io.BytesIO(PNG), "章程.pdf")}
    page = text(client.post(f"/proposals/{proposal.id}/files", data=lying, follow_redirects=True))
    assert "附件没有上传" in page and ProposalFile.select().count() == 1
    assert Proposal.get_by_id(proposal.id).title == "独居老人助餐关爱计划"  # the rest is kept

    login(client, make_user("street_moderator", street="tianshan"))
    assert client.get(f"/proposals/{proposal.id}/files/{stored.id}").status_code == 404
