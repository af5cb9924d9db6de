"""Reviewers score their assigned proposals: save a partial sheet, submit it, change it until scoring closes; blind
review hides the applicant; the district admin follows the progress and sees the outliers; the home page's 待办."""
import datetime
import re
import urllib.parse

import pytest

from core.uploads import write
from models import Assignment, AuditLog, Campaign, District, Membership, Proposal, ProposalFile, Score, utcnow
from tests.conftest import login
from tests.test_campaigns import make_campaign

DAY = datetime.timedelta(days=1)
#: The default rubric: 需求分析 20, 项目设计 25, 执行能力 20, 预算合理性 15, 创新性 10, 可持续性与社会效益 10.
FULL = ["18", "22.5", "17", "12", "8", "9"]  # 86.5
ORG_NAME = "阳光长者服务社"


def text(response):
    return response.get_data(as_text=True)


def sheet_data(scores, action="submit", comment="总体不错", notes=None):
    data = {"action": action, "comment": comment}
    for n, value in enumerate(scores):
        data[f"criterion-{n}-score"] = value
        data[f"criterion-{n}-comment"] = (notes or {}).get(n, "")
    return data


def field_block(html, name):
    """The field ``name`` with the messages beside it."""
    at = html.index(f'name="{name}"')
    start = html.rindex('<div class="field', 0, at)
    end = html.find("</div>", at)
    return html[start:end]


@pytest.fixture
def contest(app, make_user, make_org, tmp_path):
    """A published contest in its review phase; one eligible proposal with an attachment; three reviewers assigned
    to it, a fourth of the district not assigned, one of another district; the organization's admin."""
    admin = make_user("district_admin")
    changning = District.get(District.code == "310105")
    reviewers = [make_user("reviewer", name=f"专家{i}", district=changning) for i in range(4)]
    campaign = make_campaign(admin, published=True)
    org_admin = make_user(name="申报人张三")
    org = make_org("xinhua", admin=org_admin, name=ORG_NAME)
    proposal = Proposal.create(campaign=campaign, organization=org, status="eligible", title="银龄互助计划",
                               created_by=org_admin, budget_items="场地租赁 3000\n志愿者餐补 2000", summary="简介",
                               needs="需求", plan="计划", outcomes="成效", team="团队", amount_requested=5000)
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    with app.app_context():
        stored = write(b"%PDF-1.4 test", "pdf", f"{ORG_NAME}预算.pdf")
    attachment = ProposalFile.create(proposal=proposal, key=stored.key, kind="pdf", size=stored.size,
                                     original_name=f"{ORG_NAME}预算.pdf", sha256=stored.sha256)
    assignments = [Assignment.create(proposal=proposal, reviewer=r, assigned_by=admin) for r in reviewers[:3]]
    xuhui = District.create(code="310104", name="徐汇区")
    stranger = make_user("reviewer", name="徐汇专家", district=xuhui)
    return {"admin": admin, "reviewers": reviewers, "campaign": campaign, "org": org, "org_admin": org_admin,
            "proposal": proposal, "file": attachment, "assignments": assignments, "stranger": stranger}


def sheet_url(assignment):
    return f"/reviews/{assignment.id}/"


def test_a_reviewer_scores_and_submits_and_the_total_is_right(client, contest):
    assignment = contest["assignments"][0]
    login(client, contest["reviewers"][0])
    page = text(client.get(sheet_url(assignment)))
    assert "银龄互助计划" in page and "需求分析" in page and 'step="0.5"' in page and 'inputmode="decimal"' in page
    assert "场地租赁" in page and "5,000" in page  # the budget table and its sum
    response = client.post(sheet_url(assignment), data=sheet_data(FULL, notes={0: "需求清楚"}))
    assert response.status_code == 303
    assignment = Assignment.get_by_id(assignment.id)
    assert assignment.submitted and assignment.comment == "总体不错"
    scores = {s.criterion.name: s.score for s in Score.select().where(Score.assignment == assignment)}
    assert sum(scores.values()) == 86.5 and str(scores["项目设计"]) == "22.5"
    assert Score.get(Score.assignment == assignment, Score.score == 18).comment == "需求清楚"
    assert AuditLog.get(AuditLog.action == "review.submit").target_id == assignment.id
    page = text(client.get(sheet_url(assignment)))
    assert "已提交" in page and "86.5" in page
    listing = text(client.get("/reviews/"))
    assert "已提交 1 / 1" in listing and "86.5" in listing and "评分截止" in listing


def test_out_of_range_and_missing_scores_are_refused_beside_the_field_with_the_input_kept(client, contest):
    assignment = contest["assignments"][0]
    login(client, contest["reviewers"][0])
    scores = ["21", "abc", "17.3", "", "-1", "9"]
    response = client.post(sheet_url(assignment), data=sheet_data(scores))
    html = text(response)
    assert response.status_code == 422
    assert "请填写 0 到 20 之间的分数" in field_block(html, "criterion-0-score")
    assert 'value="21"' in field_block(html, "criterion-0-score")
    assert "请填写数字" in field_block(html, "criterion-1-score")
    assert "0.5 分为单位" in field_block(html, "criterion-2-score")
    assert "请为这一项打分" in field_block(html, "criterion-3-score")
    assert "请填写 0 到 10 之间的分数" in field_block(html, "criterion-4-score")
    assert "总体不错" in html
    assert Score.select().where(Score.assignment == assignment).count() == 0
    assert not Assignment.get_by_id(assignment.id).submitted
    # 保存 takes a partial sheet but still refuses a score out of range.
    response = client.post(sheet_url(assignment), data=sheet_data(["25", "", "", "", "", ""], action="save"))
    assert response.status_code == 422 and "请填写 0 到 20 之间的分数" in text(response)
    assert Assignment.get_by_id(assignment.id).saved_at is None


def test_save_a_partial_sheet_then_submit(client, contest):
    assignment = contest["assignments"][0]
    login(client, contest["reviewers"][0])
    response = client.post(sheet_url(assignment), data=sheet_data(["18", "２０", "", "", "", ""], action="save"))
    assert response.status_code == 303
    assignment = Assignment.get_by_id(assignment.id)
    assert assignment.saved_at is not None and not assignment.submitted
    page = text(client.get(sheet_url(assignment)))
    assert 'value="20"' in page and "已保存" in page and '<strong id="sheet-total">38</strong>' in page
    assert "已保存" in text(client.get("/reviews/")) and "38" in text(client.get("/reviews/"))
    assert AuditLog.select().where(AuditLog.action == "review.save").count() == 1
    response = client.post(sheet_url(assignment), data=sheet_data(FULL))
    assert response.status_code == 303 and Assignment.get_by_id(assignment.id).submitted


def test_a_submitted_sheet_changes_until_scoring_closes_and_not_after(client, contest):
    assignment, campaign = contest["assignments"][0], contest["campaign"]
    login(client, contest["reviewers"][0])
    client.post(sheet_url(assignment), data=sheet_data(FULL))
    changed = ["10", *FULL[1:]]
    assert client.post(sheet_url(assignment), data=sheet_data(changed)).status_code == 303
    assert Score.get(Score.assignment == assignment, Score.score == 10)
    assert AuditLog.select().where(AuditLog.action == "review.resubmit").count() == 1
    # A submitted sheet cannot lose a score: it stays complete.
    response = client.post(sheet_url(assignment), data=sheet_data(["", *FULL[1:]]))
    assert response.status_code == 422 and "请为这一项打分" in text(response)
    Campaign.update(review_ends_at=utcnow() - DAY, notice_starts_at=utcnow()).where(
        Campaign.id == campaign.id).execute()
    page = text(client.get(sheet_url(assignment)))
    assert "专家评审已截止" in page and 'name="criterion-0-score"' not in page and "78.5" in page
    response = client.post(sheet_url(assignment), data=sheet_data(FULL))
    assert response.status_code == 409 and "评分没有保存" in text(response) and "专家评审已截止" in text(response)
    assert Score.get(Score.assignment == assignment, Score.criterion == Score.select().first().criterion).score == 10


@pytest.mark.parametrize("who", ["unassigned", "stranger", "org_admin", "member_reviewer", "admin"])
def test_only_the_assigned_reviewer_sees_the_sheet_and_the_file(client, contest, who):
    assignment, attachment = contest["assignments"][0], contest["file"]
    user = {"unassigned": contest["reviewers"][3], "stranger": contest["stranger"], "org_admin": contest["org_admin"],
            "admin": contest["admin"], "member_reviewer": contest["reviewers"][1]}[who]
    if who == "member_reviewer":  # another assigned reviewer, who is also a member of the applicant
        Membership.create(user=user, organization=contest["org"], role="volunteer")
    login(client, user)
    assert client.get(sheet_url(assignment)).status_code == 404
    assert client.post(sheet_url(assignment), data=sheet_data(FULL)).status_code == 404
    response = client.get(f"/reviews/{assignment.id}/files/{attachment.id}")
    response.close()
    assert response.status_code == 404
    assert Score.select().count() == 0


def test_a_file_of_another_proposal_is_not_found(client, contest, make_org):
    other = Proposal.create(campaign=contest["campaign"], organization=make_org("xinhua"), status="eligible")
    row = ProposalFile.create(proposal=other, key="k" * 32, kind="pdf", size=1, original_name="x.pdf", sha256="0")
    login(client, contest["reviewers"][0])
    assert client.get(f"/reviews/{contest['assignments'][0].id}/files/{row.id}").status_code == 404


def test_blind_review_hides_the_applicant_in_the_page_and_the_download(client, contest):
    assignment = contest["assignments"][0]
    login(client, contest["reviewers"][0])
    for url in (sheet_url(assignment), "/reviews/"):
        html = text(client.get(url))
        assert ORG_NAME not in html and "申报人张三" not in html
    assert "申报单位：匿名评审" in text(client.get(sheet_url(assignment)))
    response = client.get(f"/reviews/{assignment.id}/files/{contest['file'].id}")
    disposition = urllib.parse.unquote(response.headers["Content-Disposition"])
    response.close()
    assert response.status_code == 200 and "附件1.pdf" in disposition and ORG_NAME not in disposition


def test_without_blind_review_the_applicant_is_named(client, contest):
    Campaign.update(blind_review=False).where(Campaign.id == contest["campaign"].id).execute()
    assignment = contest["assignments"][0]
    login(client, contest["reviewers"][0])
    assert ORG_NAME in text(client.get(sheet_url(assignment)))
    assert ORG_NAME in text(client.get("/reviews/"))
    response = client.get(f"/reviews/{assignment.id}/files/{contest['file'].id}")
    disposition = urllib.parse.unquote(response.headers["Content-Disposition"])
    response.close()
    assert f"{ORG_NAME}预算.pdf" in disposition


def test_others_scores_show_only_after_submitting_and_anonymously(client, contest):
    Campaign.update(show_others=True).where(Campaign.id == contest["campaign"].id).execute()
    first, second = contest["assignments"][:2]
    login(client, contest["reviewers"][1])
    client.post(sheet_url(second), data=sheet_data(["5", "5", "5", "5", "5", "5"]))
    login(client, contest["reviewers"][0])
    client.post(sheet_url(first), data=sheet_data(FULL, action="save"))
    page = text(client.get(sheet_url(first)))
    assert "其他评审专家的评分" not in page and "评审专家 A" not in page
    client.post(sheet_url(first), data=sheet_data(FULL))
    page = text(client.get(sheet_url(first)))
    assert "其他评审专家的评分" in page and "评审专家 A" in page and "评审专家 B" not in page
    assert "专家1" not in page
    others = page[page.index('id="others"'):]
    assert ">30<" in others and "86.5" in others


def test_others_are_never_shown_when_the_campaign_does_not_allow_it(client, contest):
    first, second = contest["assignments"][:2]
    login(client, contest["reviewers"][1])
    client.post(sheet_url(second), data=sheet_data(FULL))
    login(client, contest["reviewers"][0])
    client.post(sheet_url(first), data=sheet_data(FULL))
    assert "其他评审专家的评分" not in text(client.get(sheet_url(first)))


def test_the_district_admin_sees_the_progress_and_the_outlier(client, contest):
    for assignment, reviewer, scores in zip(
        contest["assignments"], contest["reviewers"][:3],
        (["18", "22", "20", "14", "8", "8"], ["18", "22", "18", "14", "8", "8"], ["10", "10", "10", "5", "3", "2"]),
        strict=True,
    ):  # 90, 88, 40
        login(client, reviewer)
        assert client.post(sheet_url(assignment), data=sheet_data(scores)).status_code == 303
    login(client, contest["admin"])
    html = text(client.get(f"/campaigns/{contest['campaign'].id}/progress"))
    assert ORG_NAME in html and "专家0" in html
    assert "88.00" in html  # trimmed mean of 90, 88, 40: the middle one
    assert html.count("偏离") == 2  # the explanation, and the one flag
    assert re.search(r"专家2.*?40.*?偏离 -48 分", html, re.S)
    assert "3 / 3" in html
    assert "/progress" in text(client.get(f"/campaigns/{contest['campaign'].id}/assignments"))


def test_progress_counts_each_reviewer(client, contest):
    login(client, contest["reviewers"][0])
    client.post(sheet_url(contest["assignments"][0]), data=sheet_data(FULL))
    login(client, contest["admin"])
    html = text(client.get(f"/campaigns/{contest['campaign'].id}/progress"))
    assert "1 / 3" in html and "86.50" in html  # a single total: combined as the mean of one
    by_reviewer = html[html.index('id="by-reviewer"'):]
    assert re.search(r"专家0.*?1 / 1", by_reviewer, re.S) and re.search(r"专家1.*?0 / 1", by_reviewer, re.S)
    login(client, contest["reviewers"][0])
    assert client.get(f"/campaigns/{contest['campaign'].id}/progress").status_code == 403


def test_home_counts_what_waits_for_scoring(client, contest, make_org):
    reviewer = contest["reviewers"][0]
    other = Proposal.create(campaign=contest["campaign"], organization=make_org("xinhua"), status="eligible")
    Assignment.create(proposal=other, reviewer=reviewer)
    login(client, reviewer)
    html = text(client.get("/"))
    assert "2 份申报书待评分" in html and "/reviews/" in html and "我的评审" in html
    assert "2 proposals to score" in text(client.get("/lang/en", follow_redirects=True))
    client.post(sheet_url(contest["assignments"][0]), data=sheet_data(FULL))
    assert "1 proposal to score" in text(client.get("/"))  # English chosen above; one is singular
    client.get("/lang/zh_CN")
    assert "1 份申报书待评分" in text(client.get("/"))
    Campaign.update(review_ends_at=utcnow() - DAY, notice_starts_at=utcnow()).where(
        Campaign.id == contest["campaign"].id).execute()
    assert "待评分" not in text(client.get("/"))
