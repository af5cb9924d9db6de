"""Changing a proposal once it is written: a submitted one is edited until the deadline (or its extension) and stays
submitted, each change audited; the budget table's sum is shown and checked against 项目总预算; an attachment is
deleted while the proposal may be changed."""
import datetime
import io
import re

import pytest

from core.uploads import open_stored
from models import AuditLog, Campaign, Membership, Proposal, ProposalFile, utcnow
from tests.conftest import login
from tests.test_proposals import (  # noqa: F401
    FILLED,
    HTMX,
    PDF,
    app_config,
    basics,
    contest,
    district_admin,
    fill_in,
    org,
    start,
    text,
)


@pytest.fixture
def submitted(client, org_admin, org, contest):  # noqa: F811
    login(client, org_admin)
    proposal = start(client, contest)
    fill_in(client, proposal, contest)
    assert client.post(f"/proposals/{proposal.id}/submit").status_code == 303
    return Proposal.get_by_id(proposal.id)


def close_applications(contest):  # noqa: F811
    Campaign.update(application_closes_at=utcnow() - datetime.timedelta(minutes=1)).where(
        Campaign.id == contest.id
    ).execute()


def test_a_submitted_proposal_says_until_when_it_may_be_edited(client, submitted, contest):  # noqa: F811
    html = text(client.get(f"/proposals/{submitted.id}/"))
    assert "申报书已提交。" in html and "之前仍可修改" in html
    assert re.search(r"在 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d 之前仍可修改", html)
    assert f'hx-post="/proposals/{submitted.id}/sections/summary"' in html  # the sections are still forms


def test_editing_a_submitted_proposal_keeps_it_submitted_and_is_audited(client, submitted):
    response = client.post(f"/proposals/{submitted.id}/sections/summary", data={"summary": "改进后的简介"},
                           headers=HTMX)
    assert response.status_code == 200 and "已保存" in text(response)
    proposal = Proposal.get_by_id(submitted.id)
    assert (proposal.status, proposal.summary) == ("submitted", "改进后的简介")
    entry = AuditLog.get(AuditLog.action == "proposal.amend")
    assert entry.target_id == submitted.id and entry.detail == "summary: summary"


def test_a_submitted_proposal_cannot_lose_a_field(client, submitted):
    response = client.post(f"/proposals/{submitted.id}/sections/summary", data={"summary": " "}, headers=HTMX)
    assert response.status_code == 200 and "申报书已提交，这一项不能为空" in text(response)
    response = client.post(f"/proposals/{submitted.id}/sections/summary", data={"summary": ""})
    assert response.status_code == 422 and "申报书已提交，这一项不能为空" in text(response)
    assert Proposal.get_by_id(submitted.id).summary == FILLED["summary"]["summary"]
    assert not AuditLog.select().where(AuditLog.action == "proposal.amend").exists()


def test_after_the_deadline_a_submitted_proposal_is_locked(client, submitted, contest):  # noqa: F811
    close_applications(contest)
    response = client.post(f"/proposals/{submitted.id}/sections/summary", data={"summary": "太晚了"})
    assert response.status_code == 409 and "申报已截止，申报书已锁定" in text(response)
    html = text(client.get(f"/proposals/{submitted.id}/"))
    assert "申报已截止，申报书已锁定" in html and "之前仍可修改" not in html
    assert "/sections/summary" not in html and "budget.js" not in html
    assert Proposal.get_by_id(submitted.id).summary != "太晚了"


def test_once_the_street_decided_the_proposal_is_no_longer_editable(client, make_user, submitted, org_admin):
    login(client, make_user("street_moderator", street="xinhua"))
    assert client.post(f"/streets/xinhua/proposals/{submitted.id}/eligible", headers=HTMX).status_code == 200
    login(client, org_admin)
    response = client.post(f"/proposals/{submitted.id}/sections/summary", data={"summary": "审查后再改"})
    assert response.status_code == 409 and "街镇已完成资格审查" in text(response)
    assert "街镇已完成资格审查" in text(client.get(f"/proposals/{submitted.id}/"))
    assert Proposal.get_by_id(submitted.id).status == "eligible"


def test_the_budget_tables_sum_is_shown_and_a_mismatch_pointed_out(client, org_admin, org, contest):  # noqa: F811
    login(client, org_admin)
    proposal = start(client, contest)
    html = text(client.get(f"/proposals/{proposal.id}/"))
    assert "js/budget.js" in html and "预算明细合计：0 元" in html
    assert "js/budget.js" not in text(client.get(f"/campaigns/{contest.id}/"))  # only the proposal page loads it

    budget = {"total_budget": "200000", "amount_requested": "100000", "budget_items": "场地租赁 50000\n餐费补贴 100000"}
    response = client.post(f"/proposals/{proposal.id}/sections/budget", data=budget, headers=HTMX)
    html = text(response)
    assert response.status_code == 200 and "已保存" in html and "预算明细合计：150,000 元" in html
    warning = re.search(r'<p class="warning" id="budget-mismatch"[^>]*>([^<]*)</p>', html)
    assert warning and warning.group(1) == "预算明细合计 150,000 元，与项目总预算 200,000 元不一致"
    assert Proposal.get_by_id(proposal.id).total_budget == 200000  # a draft saves anyway

    client.post(f"/proposals/{proposal.id}/sections/basics", data=basics(contest))
    for section, data in FILLED.items():
        if section != "budget":
            client.post(f"/proposals/{proposal.id}/sections/{section}", data=data)
    page = text(client.post(f"/proposals/{proposal.id}/submit", follow_redirects=True))
    assert "还不能提交：预算明细合计 150,000 元，与项目总预算 200,000 元不一致" in page
    assert Proposal.get_by_id(proposal.id).status == "draft"

    response = client.post(f"/proposals/{proposal.id}/sections/budget", data=FILLED["budget"], headers=HTMX)
    assert re.search(r'id="budget-mismatch"[^>]*hidden', text(response))
    client.post(f"/proposals/{proposal.id}/submit")
    assert Proposal.get_by_id(proposal.id).status == "submitted"


def test_a_submitted_proposals_budget_must_still_add_up(client, submitted):
    budget = {**FILLED["budget"], "total_budget": "160000"}
    response = client.post(f"/proposals/{submitted.id}/sections/budget", data=budget)
    assert response.status_code == 422
    assert "预算明细合计 150,000 元，与项目总预算 160,000 元不一致" in text(response)
    assert 'value="160000"' in text(response)  # what was typed stays
    assert Proposal.get_by_id(submitted.id).total_budget == 150000


def upload(client, proposal, name="项目预算表.pdf"):
    client.post(f"/proposals/{proposal.id}/files", data={"file": (io.BytesIO(PDF), name)})
    return ProposalFile.select().where(ProposalFile.proposal == proposal).order_by(ProposalFile.id.desc()).get()


def test_an_attachment_is_deleted_in_place_with_its_stored_file(client, app, submitted):
    keep, gone = upload(client, submitted, "章程.pdf"), upload(client, submitted)
    with app.app_context():
        path = open_stored(gone.key)
    html = text(client.get(f"/proposals/{submitted.id}/"))
    assert f'action="/proposals/{submitted.id}/files/{gone.id}/delete"' in html

    response = client.post(f"/proposals/{submitted.id}/files/{gone.id}/delete", headers=HTMX)
    html = text(response)
    assert response.status_code == 200 and "<html" not in html and 'id="files"' in html
    assert "已删除附件：项目预算表.pdf" in html and "hx-swap-oob" in html
    assert "章程.pdf" in html and f"/files/{gone.id}/delete" not in html
    assert not path.exists() and [f.id for f in ProposalFile.select()] == [keep.id]
    assert AuditLog.get(AuditLog.action == "proposal.detach").detail == "项目预算表.pdf"

    response = client.post(f"/proposals/{submitted.id}/files/{keep.id}/delete")  # without JS
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/proposals/{submitted.id}/#files")
    assert not ProposalFile.select().exists()


def test_only_its_admins_delete_an_attachment_while_it_may_be_changed(  # noqa: F811
    client, make_user, submitted, org, contest, org_admin  # noqa: F811
):
    row = upload(client, submitted)
    volunteer = make_user(name="志愿者")
    Membership.create(user=volunteer, organization=org, role="volunteer")
    for user, status in ((volunteer, 403), (make_user("street_moderator", street="xinhua"), 403),
                         (make_user("street_moderator", street="tianshan"), 404)):
        login(client, user)
        assert client.post(f"/proposals/{submitted.id}/files/{row.id}/delete").status_code == status
    login(client, org_admin)
    assert client.post(f"/proposals/{submitted.id}/files/{row.id + 1000}/delete").status_code == 404
    close_applications(contest)
    response = client.post(f"/proposals/{submitted.id}/files/{row.id}/delete")
    assert response.status_code == 409 and "申报已截止" in text(response)
    assert ProposalFile.select().count() == 1


def test_the_upload_control_is_one_large_labelled_target(client, org_admin, org, contest):  # noqa: F811
    login(client, org_admin)
    proposal = start(client, contest)
    html = text(client.get(f"/proposals/{proposal.id}/"))
    label = r'<label class="file-pick" for="file">\s*<span class="file-pick-title">选择要上传的附件</span>'
    assert re.search(label, html)


def test_a_draft_after_the_deadline_says_it_is_locked(client, org_admin, org, contest):  # noqa: F811
    login(client, org_admin)
    proposal = start(client, contest)
    close_applications(contest)
    html = text(client.get(f"/proposals/{proposal.id}/"))
    assert '<p class="notice" id="locked">申报已截止，申报书已锁定，不能再修改或提交</p>' in html
    assert "/sections/" not in html and "提交申报书" not in html
