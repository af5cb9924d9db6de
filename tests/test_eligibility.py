"""资格审查: the moderator of the applicant's street decides in the console queue, in place — eligible, ineligible
with a reason, or returned for revision with a comment and a date; the organization revises and resubmits."""
import datetime

import pytest

from models import AuditLog, Campaign, District, Proposal, utcnow
from tests.conftest import login
from tests.test_proposals import HTMX, app_config, contest, district_admin, fill_in, org, start, text  # noqa: F401

TOMORROW = lambda: (datetime.date.today() + datetime.timedelta(days=2)).isoformat()  # noqa: E731


@pytest.fixture
def submitted(client, org_admin, org, contest):  # noqa: F811
    login(client, org_admin)
    proposal = start(client, contest)
    fill_in(client, proposal, contest)
    assert client.post(f"/proposals/{proposal.id}/submit").status_code == 303
    return Proposal.get_by_id(proposal.id)


@pytest.fixture
def moderator(make_user):
    return make_user("street_moderator", street="xinhua")


def url(proposal, action):
    return f"/streets/xinhua/proposals/{proposal.id}/{action}"


def test_the_console_lists_submitted_proposals(client, submitted, moderator):
    login(client, moderator)
    html = text(client.get("/streets/xinhua/"))
    assert "待资格审查的申报" in html and f'id="proposal-{submitted.id}"' in html and "睦邻互助会" in html
    assert "合格" in html and "退回修改" in html


def test_eligible_in_place_and_audited(client, submitted, moderator):
    login(client, moderator)
    response = client.post(url(submitted, "eligible"), headers=HTMX)
    assert response.status_code == 200 and "资格审查合格" in text(response)
    proposal = Proposal.get_by_id(submitted.id)
    assert (proposal.status, proposal.checked_by_id) == ("eligible", moderator.id)
    entry = AuditLog.get(AuditLog.action == "proposal.approve")
    assert entry.street.slug == "xinhua" and entry.target_id == submitted.id


def test_ineligible_needs_a_reason(client, submitted, moderator):
    login(client, moderator)
    response = client.post(url(submitted, "ineligible"), data={"reason": ""}, headers=HTMX)
    assert response.status_code == 422 and "请写明理由" in text(response)
    assert Proposal.get_by_id(submitted.id).status == "submitted"
    response = client.post(url(submitted, "ineligible"), data={"reason": "不属于本区"}, headers=HTMX)
    assert response.status_code == 200 and "不属于本区" in text(response)
    assert Proposal.get_by_id(submitted.id).status == "ineligible"
    assert AuditLog.get(AuditLog.action == "proposal.reject").detail == "不属于本区"


def test_return_needs_a_comment_and_a_date(client, submitted, moderator):
    login(client, moderator)
    response = client.post(url(submitted, "return"), data={"reason": "", "revise_by": ""}, headers=HTMX)
    assert response.status_code == 422 and "修改截止日期" in text(response)
    assert Proposal.get_by_id(submitted.id).status == "submitted"
    response = client.post(url(submitted, "return"), data={"reason": "请补充预算", "revise_by": TOMORROW()},
                           headers=HTMX)
    assert response.status_code == 200 and "请补充预算" in text(response)
    proposal = Proposal.get_by_id(submitted.id)
    assert proposal.status == "returned" and proposal.revise_by > utcnow()
    assert AuditLog.get(AuditLog.action == "proposal.return").street.slug == "xinhua"


def test_another_streets_moderator_gets_404(client, submitted, make_user):
    login(client, make_user("street_moderator", street="tianshan"))
    assert client.post(f"/streets/tianshan/proposals/{submitted.id}/eligible").status_code == 404
    assert client.post(url(submitted, "eligible")).status_code == 404
    assert Proposal.get_by_id(submitted.id).status == "submitted"


def test_a_colleague_decided_first(client, submitted, moderator, district_admin):  # noqa: F811
    login(client, district_admin)
    assert client.post(url(submitted, "ineligible"), data={"reason": "材料不全"}, headers=HTMX).status_code == 200
    login(client, moderator)
    response = client.post(url(submitted, "eligible"), headers=HTMX)
    html = text(response)
    assert response.status_code == 200 and f'id="proposal-{submitted.id}"' in html
    assert "这份申报书已经审查过了" in html and 'hx-swap-oob' in html
    assert Proposal.get_by_id(submitted.id).status == "ineligible"


def returned(client, submitted, moderator):
    login(client, moderator)
    client.post(url(submitted, "return"), data={"reason": "请补充预算", "revise_by": TOMORROW()}, headers=HTMX)
    return Proposal.get_by_id(submitted.id)


def test_the_org_revises_and_resubmits_before_revise_by(client, submitted, moderator, org_admin):
    proposal = returned(client, submitted, moderator)
    login(client, org_admin)
    html = text(client.get(f"/proposals/{proposal.id}/"))
    assert "请补充预算" in html and "重新提交申报书" in html
    response = client.post(f"/proposals/{proposal.id}/sections/summary", data={"summary": "修改后的简介"})
    assert response.status_code == 303
    assert client.post(f"/proposals/{proposal.id}/resubmit").status_code == 303
    proposal = Proposal.get_by_id(proposal.id)
    assert (proposal.status, proposal.summary) == ("submitted", "修改后的简介")
    assert AuditLog.get(AuditLog.action == "proposal.resubmit").actor_id == org_admin.id


def test_not_after_revise_by(client, submitted, moderator, org_admin):
    proposal = returned(client, submitted, moderator)
    Proposal.update(revise_by=utcnow() - datetime.timedelta(minutes=1)).where(Proposal.id == proposal.id).execute()
    login(client, org_admin)
    assert "重新提交申报书" not in text(client.get(f"/proposals/{proposal.id}/"))
    response = client.post(f"/proposals/{proposal.id}/sections/summary", data={"summary": "太晚了"})
    assert response.status_code in (403, 409)
    client.post(f"/proposals/{proposal.id}/resubmit")
    assert Proposal.get_by_id(proposal.id).status == "returned"
    assert Proposal.get_by_id(proposal.id).summary != "太晚了"


def end_check_phase(contest):  # noqa: F811
    Campaign.update(application_closes_at=utcnow() - datetime.timedelta(days=7),
                    eligibility_ends_at=utcnow() - datetime.timedelta(minutes=1)).where(
        Campaign.id == contest.id).execute()


def test_after_its_phase_the_street_no_longer_decides_and_says_so_beside_the_row(client, submitted, moderator,
                                                                                  contest):  # noqa: F811
    end_check_phase(contest)
    login(client, moderator)
    html = text(client.get("/streets/xinhua/"))
    row = html[html.index(f'id="proposal-{submitted.id}"'):]
    row = row[:row.index("</article>")]
    assert "资格审查阶段已于" in row and "请区管理员审查" in row and url(submitted, "eligible") not in row
    assert "份申报待资格审查" not in text(client.get("/"))  # nothing the moderator can still do

    response = client.post(url(submitted, "eligible"), headers=HTMX)
    html = text(response)
    assert response.status_code == 200 and f'id="proposal-{submitted.id}"' in html
    assert "请区管理员审查" in html and "hx-swap-oob" in html
    response = client.post(url(submitted, "return"), data={"reason": "请补充", "revise_by": TOMORROW()})
    assert response.status_code == 303 and "请区管理员审查" in text(client.get(response.headers["Location"]))
    assert Proposal.get_by_id(submitted.id).status == "submitted"


def test_after_its_phase_the_district_admin_still_decides(client, submitted, district_admin, contest):  # noqa: F811
    end_check_phase(contest)
    login(client, district_admin)
    response = client.post(url(submitted, "ineligible"), data={"reason": "延期后仍缺材料"}, headers=HTMX)
    assert response.status_code == 200 and "延期后仍缺材料" in text(response)
    assert Proposal.get_by_id(submitted.id).status == "ineligible"


def waiting(contest, make_org, street, name):  # noqa: F811
    return Proposal.create(campaign=contest, organization=make_org(street, name=name), title=f"{name}的项目",
                           status="submitted", submitted_at=utcnow())


def test_the_district_admin_checks_every_streets_proposals_in_one_list(  # noqa: F811
    client, make_org, district_admin, contest  # noqa: F811
):
    xinhua = waiting(contest, make_org, "xinhua", "新华互助社")
    tianshan = waiting(contest, make_org, "tianshan", "天山邻里会")
    Proposal.create(campaign=contest, organization=make_org("tianshan", name="已审查的组织"), status="eligible")
    login(client, district_admin)
    assert f'href="/campaigns/{contest.id}/checks"' in text(client.get(f"/campaigns/{contest.id}/"))
    html = text(client.get(f"/campaigns/{contest.id}/checks"))
    assert "新华路街道（1 份）" in html and "天山路街道（1 份）" in html and "全部街镇（2 份）" in html
    assert "新华互助社" in html and "天山邻里会" in html and "已审查的组织" not in html

    html = text(client.get(f"/campaigns/{contest.id}/checks?street=tianshan"))
    assert "天山邻里会" in html and "新华互助社" not in html

    back = f"/campaigns/{contest.id}/checks"
    decide = f"/streets/tianshan/proposals/{tianshan.id}/eligible?next=/campaigns/{contest.id}/checks%23checks"
    assert f'action="{decide}"' in text(client.get(back))
    response = client.post(decide, headers=HTMX)
    assert response.status_code == 200 and "资格审查合格" in text(response)
    assert f'action="{decide}"' not in text(response)
    assert Proposal.get_by_id(tianshan.id).status == "eligible"
    response = client.post(f"/streets/xinhua/proposals/{xinhua.id}/ineligible?next={back}", data={"reason": "不符合"})
    assert response.status_code == 303 and response.headers["Location"].endswith(back)
    assert "没有待资格审查的申报" in text(client.get(back))


def test_only_the_contests_district_admin_opens_its_checks(client, make_user, org_admin, org, contest):  # noqa: F811
    xuhui = make_user("district_admin", district=District.create(code="310104", name="徐汇区"))
    for user in (xuhui, make_user("street_moderator", street="xinhua"), org_admin, make_user("reviewer")):
        login(client, user)
        assert client.get(f"/campaigns/{contest.id}/checks").status_code == 403
        assert f"/campaigns/{contest.id}/checks" not in text(client.get(f"/campaigns/{contest.id}/"))
