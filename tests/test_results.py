"""Results of the 公益创投 contest: the ranking matches the rubric arithmetic done by hand, 立项 grants stay within
the ask, the category's cap and the budget, publishing waits for every decision and then locks them, the public page
and the Excel export agree, and objections are taken during 公示 only and reach the district admin."""
import datetime
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from blueprints.results import operations, queries
from core.errors import LifecycleError, ValidationError
from models import Assignment, AuditLog, Campaign, Category, District, Objection, Proposal, Score, utcnow
from tests.conftest import login
from tests.test_campaigns import make_campaign, phase_dates

DAY = datetime.timedelta(days=1)
HX = {"HX-Request": "true"}

#: A reviewer's total → their scores on the usual rubric (需求分析 20, 项目设计 25, 执行能力 20, 预算合理性 15,
#: 创新性 10, 可持续性与社会效益 10), which add up to it.
SHEETS = {
    50: ["10", "12", "10", "8", "5", "5"],
    60: ["12", "15", "12", "9", "6", "6"],
    70: ["14", "18", "14", "10", "7", "7"],
    80: ["16", "20", "16", "12", "8", "8"],
    82: ["16", "21", "16", "13", "8", "8"],
    83: ["17", "21", "16", "13", "8", "8"],
    85: ["17", "21", "17", "13", "8.5", "8.5"],
    88: ["18", "22", "17", "13", "9", "9"],
    90: ["18", "23", "18", "13", "9", "9"],
    95: ["19", "24", "19", "14", "9.5", "9.5"],
    99: ["20", "25", "20", "14", "10", "10"],
}
REVIEWERS = ("张专家", "李专家", "王专家", "赵专家", "钱专家")


def score(proposal, reviewer, total, submitted=True):
    """``reviewer``'s sheet of ``proposal`` adding up to ``total``, submitted (or only saved)."""
    assignment = Assignment.create(proposal=proposal, reviewer=reviewer,
                                   saved_at=utcnow(), submitted_at=utcnow() if submitted else None)
    for criterion, value in zip(proposal.campaign.ordered_criteria(), SHEETS[total], strict=True):
        Score.create(assignment=assignment, criterion=criterion, score=Decimal(value))
    assert sum(Decimal(v) for v in SHEETS[total]) == total


def notice_now(**changes):
    """Phases in which the review ended yesterday and 公示 runs from yesterday for a week."""
    return phase_dates(utcnow() - 52 * DAY) | changes


@pytest.fixture
def contest(app, make_user, make_org):
    """A contest past its review: five reviewers, four eligible proposals scored, one not eligible.

    By hand, trimmed mean (去掉一个最高分和一个最低分):
      B  60 95 88     → 88                 first; 60 lies 28 from the median 88: an outlier
      A  80 90 70 85  → (80 + 85) / 2 = 82.5   second, tied
      C  70 82 83 99  → (82 + 83) / 2 = 82.5   second, tied; 99 lies 16.5 from the median 82.5
      D  50 60        → (50 + 60) / 2 = 55     (two reviewers: nothing to trim) fourth; a third assigned, not in
    """
    admin = make_user("district_admin", name="区管理员")
    changning = District.get(District.code == "310105")
    reviewers = [make_user("reviewer", name=name, district=changning) for name in REVIEWERS]
    campaign = make_campaign(admin, published=True, budget=300000, objection_contact="电话 021-12345678",
                             categories=[("民生服务类", 150000), ("社区治理类", 200000)], **notice_now())
    people, community = campaign.ordered_categories()
    orgs = {key: make_org("xinhua", name=f"{key}组织") for key in "ABCDE"}
    asks = {"A": (people, 150000), "B": (community, 120000), "C": (community, 100000), "D": (people, 90000)}
    proposals = {key: Proposal.create(campaign=campaign, organization=orgs[key], status="eligible", title=f"项目{key}",
                                      category=category, amount_requested=ask)
                 for key, (category, ask) in asks.items()}
    Proposal.create(campaign=campaign, organization=orgs["E"], status="submitted", title="未审项目",
                    category=people, amount_requested=10000)
    for key, totals in {"A": (80, 90, 70, 85), "B": (60, 95, 88), "C": (70, 82, 83, 99), "D": (50, 60)}.items():
        for reviewer, total in zip(reviewers, totals, strict=False):
            score(proposals[key], reviewer, total)
    score(proposals["D"], reviewers[2], 99, submitted=False)  # saved, not submitted: does not count
    return admin, reviewers, campaign, proposals


def page(response):
    return response.get_data(as_text=True)


def row_html(html, proposal):
    start = html.index(f'id="proposal-{proposal.id}"')
    return html[start:html.index("</section>", start)]


def test_the_ranking_matches_the_arithmetic_by_hand(app, client, contest):
    admin, reviewers, campaign, p = contest
    rows = queries.ranking(campaign)
    assert [(r.proposal.title, r.place, r.combined) for r in rows] == [
        ("项目B", 1, Decimal(88)), ("项目A", 2, Decimal("82.5")), ("项目C", 2, Decimal("82.5")),
        ("项目D", 4, Decimal(55)),
    ]
    outliers = {r.proposal.title: [s.reviewer.name for s in r.sheets if s.outlier] for r in rows}
    assert outliers == {"项目B": ["张专家"], "项目A": [], "项目C": ["赵专家"], "项目D": []}

    login(client, admin)
    html = page(client.get(f"/campaigns/{campaign.id}/ranking"))
    assert [html.index(f"项目{key}") for key in "BACD"] == sorted(html.index(f"项目{key}") for key in "BACD")
    assert "未审项目" not in html
    b, a, c, d = (row_html(html, p[key]) for key in "BACD")
    assert "第 1 名" in b and "88.00" in b and "偏离较大" in b
    assert "第 2 名" in a and "82.50" in a and "第 2 名" in c and "82.50" in c
    assert "第 4 名" in d and "55.00" in d and "2 / 3 位专家已提交" in d
    assert "<details>" in a and "张专家" in a and "85.0 分" in a and "8.5 / 10" in a  # 李专家… per criterion
    assert "A组织" in a and "民生服务类" in a and "150,000 元" in a


def test_the_median_rule_and_the_mean_follow_the_campaign(app, contest):
    admin, reviewers, campaign, p = contest
    Campaign.update(scoring="median").where(Campaign.id == campaign.id).execute()
    rows = queries.ranking(Campaign.get_by_id(campaign.id))
    assert {r.proposal.title: r.combined for r in rows} == {
        "项目A": Decimal("82.5"), "项目B": Decimal(88), "项目C": Decimal("82.5"), "项目D": Decimal(55)}
    Campaign.update(scoring="mean").where(Campaign.id == campaign.id).execute()
    rows = queries.ranking(Campaign.get_by_id(campaign.id))
    assert [(r.proposal.title, r.place, r.combined) for r in rows][:2] == [
        ("项目C", 1, Decimal("83.5")), ("项目A", 2, Decimal("81.25"))]


def test_grants_stay_within_the_ask_the_cap_and_the_budget(app, client, contest, make_org):
    admin, reviewers, campaign, p = contest
    people = campaign.ordered_categories()[0]
    # An ask above the cap (the cap was lowered after it was written): a grant within the ask still meets the cap.
    e = Proposal.create(campaign=campaign, organization=make_org("xinhua"), status="eligible", title="项目E",
                        category=people, amount_requested=180000)
    login(client, admin)
    url = "/proposals/{}/decision"
    response = client.post(url.format(p["A"].id), data={"decision": "funded", "amount": "160000"})
    assert response.status_code == 422
    assert "资助金额不能超过申请金额 150,000 元" in row_html(page(response), p["A"])
    assert 'value="160000"' in row_html(page(response), p["A"])
    response = client.post(url.format(e.id), data={"decision": "funded", "amount": "160000"}, headers=HX)
    assert response.status_code == 422
    assert "不能超过民生服务类的资助上限 150,000 元" in page(response)

    assert client.post(url.format(p["A"].id), data={"decision": "funded", "amount": ""}).status_code == 303
    assert Proposal.get_by_id(p["A"].id).amount_granted == 150000  # the ask, by default
    response = client.post(url.format(p["B"].id), data={"decision": "funded", "amount": "120000"}, headers=HX)
    assert response.status_code == 200
    assert 'id="funding-total"' in page(response) and 'hx-swap-oob="true"' in page(response)
    assert "合计 270,000 元" in page(response) and "还可分配 30,000 元" in page(response)
    assert page(response).lstrip().startswith(f'<section class="card rank-row" id="proposal-{p["B"].id}"')

    response = client.post(url.format(p["C"].id), data={"decision": "funded", "amount": "100000"}, headers=HX)
    assert response.status_code == 422
    assert "超出资金池：还可分配 30,000 元" in row_html(page(response), p["C"])
    assert Proposal.get_by_id(p["C"].id).decision is None
    assert client.post(url.format(p["C"].id), data={"decision": "funded", "amount": "30000"}).status_code == 303
    response = client.post(url.format(p["D"].id), data={"decision": "funded"}, headers=HX)
    assert response.status_code == 422 and "还可分配 0 元" in page(response)
    assert client.post(url.format(p["D"].id), data={"decision": "unfunded"}).status_code == 303

    funded = Proposal.select().where(Proposal.campaign == campaign, Proposal.decision == "funded")
    assert sum(x.amount_granted for x in funded) == 300000 <= campaign.budget
    assert queries.funding(campaign).total == 300000
    # Lowering a grant frees the budget for the next one; clearing takes the decision back.
    assert client.post(url.format(p["B"].id), data={"decision": "funded", "amount": "100000"}).status_code == 303
    with app.test_request_context():
        operations.decide(p["D"], admin, "funded", 20000)
        with pytest.raises(ValidationError):
            operations.decide(e, admin, "funded", 1)
    assert queries.funding(campaign).total == 300000
    assert client.post(url.format(p["D"].id), data={"decision": "clear"}).status_code == 303
    assert Proposal.get_by_id(p["D"].id).decision is None and Proposal.get_by_id(p["D"].id).amount_granted is None
    assert AuditLog.select().where(AuditLog.action == "results.decide").count() >= 6


def test_publish_waits_for_every_decision_then_locks_them(app, client, contest):
    admin, reviewers, campaign, p = contest
    login(client, admin)
    for key, decision in (("A", "funded"), ("B", "funded"), ("C", "unfunded")):
        client.post(f"/proposals/{p[key].id}/decision", data={"decision": decision})
    response = client.post(f"/campaigns/{campaign.id}/results/publish", follow_redirects=True)
    assert "还有 1 份申报书没有确定是否立项" in page(response)
    assert Campaign.get_by_id(campaign.id).results_published_at is None
    assert client.get(f"/campaigns/{campaign.id}/results").status_code == 200  # the admin's preview
    assert "未发布" in page(client.get(f"/campaigns/{campaign.id}/results"))
    anonymous = app.test_client()
    assert anonymous.get(f"/campaigns/{campaign.id}/results").status_code == 404

    client.post(f"/proposals/{p['D'].id}/decision", data={"decision": "unfunded"})
    response = client.post(f"/campaigns/{campaign.id}/results/publish")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/campaigns/{campaign.id}/results")
    assert Campaign.get_by_id(campaign.id).results_published_at is not None
    assert AuditLog.get(AuditLog.action == "results.publish").target_id == campaign.id

    response = client.post(f"/proposals/{p['C'].id}/decision", data={"decision": "funded"}, headers=HX)
    assert "评审结果已公布，立项决定不能再修改" in page(response)
    assert Proposal.get_by_id(p["C"].id).decision == "unfunded"
    html = page(client.get(f"/campaigns/{campaign.id}/ranking"))
    assert "立项决定已锁定" in html and 'name="decision"' not in html
    with app.test_request_context(), pytest.raises(LifecycleError):
        operations.publish(Campaign.get_by_id(campaign.id), admin)

    public = page(anonymous.get(f"/campaigns/{campaign.id}/results"))
    assert "A组织" in public and "项目B" in public and "项目C" not in public and "未发布" not in public
    assert "270,000" in public
    assert "查看评审结果" in page(anonymous.get(f"/campaigns/{campaign.id}/"))


def test_decisions_wait_for_the_review_and_publishing_for_its_end(app, client, contest, make_org):
    admin, *_ = contest
    early = make_campaign(admin, published=True, name="申报中的大赛")
    proposal = Proposal.create(campaign=early, organization=make_org("xinhua"), status="eligible", title="早",
                               amount_requested=1000)
    login(client, admin)
    response = client.post(f"/proposals/{proposal.id}/decision", data={"decision": "unfunded"}, follow_redirects=True)
    assert "专家评审开始后才能确定立项" in page(response)
    reviewing = make_campaign(admin, published=True, name="评审中的大赛", **phase_dates(utcnow() - 45 * DAY))
    client.post(f"/proposals/{Proposal.create(campaign=reviewing, organization=proposal.organization, status='eligible', title='中', amount_requested=1000).id}/decision",  # noqa: E501
                data={"decision": "unfunded"})
    response = client.post(f"/campaigns/{reviewing.id}/results/publish", follow_redirects=True)
    assert "专家评审结束后才能公布结果" in page(response)
    assert Campaign.get_by_id(reviewing.id).results_published_at is None


def publish(app, contest):
    admin, reviewers, campaign, p = contest
    with app.test_request_context():
        operations.decide(p["B"], admin, "funded", 120000)
        operations.decide(p["A"], admin, "funded", 100000)
        operations.decide(p["C"], admin, "funded", 80000)
        operations.decide(p["D"], admin, "unfunded")
        operations.publish(campaign, admin)
    return Campaign.get_by_id(campaign.id)


def test_the_public_page_and_the_excel_export_agree(app, client, contest):
    admin, reviewers, campaign, p = contest
    Proposal.update(title='=HYPERLINK("//x.cn","点")').where(Proposal.id == p["C"].id).execute()
    publish(app, contest)
    html = page(app.test_client().get(f"/campaigns/{campaign.id}/results"))
    shown = re.findall(r'<td class="org">(.*?)</td>\s*<td data-label="项目">(?:<a [^>]*>)?(.*?)(?:</a>)?</td>'
                       r'.*?<td data-label="资助金额（元）" class="num">([\d,]+)</td>', html, re.S)
    shown = [(org, title.replace("&#34;", '"'), int(amount.replace(",", ""))) for org, title, amount in shown]
    assert shown == [("B组织", "项目B", 120000), ("A组织", "项目A", 100000),
                     ("C组织", '=HYPERLINK("//x.cn","点")', 80000)]
    assert "资助总额 300,000 元" in html

    login(client, admin)
    response = client.get(f"/campaigns/{campaign.id}/results.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.freeze_panes == "A2"
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[:5] == ["名次", "申报组织", "项目名称", "项目类别", "申请金额（元）"]
    assert "张专家·需求分析" in header and "钱专家·可持续性与社会效益" not in header  # 钱专家 scored nothing
    assert "张专家·总分" in header and header[-3:] == ["综合得分", "评审结果", "资助金额（元）"]
    funded = [(r[1], r[2], r[-1]) for r in rows[1:] if r[-2] == "立项"]
    assert [(o, t.lstrip("'"), a) for o, t, a in funded] == shown
    assert funded[2][1].startswith("'=")  # inert text, never a formula
    body = {r[2]: r for r in rows[1:]}
    assert body["项目B"][0] == 1 and body["项目A"][0] == 2 and body["项目D"][0] == 4
    assert body["项目B"][-3] == 88 and isinstance(body["项目A"][-3], float) and body["项目A"][-3] == 82.5
    assert body["项目A"][header.index("赵专家·创新性")] == 8.5 and body["项目D"][-2] == "未立项"
    assert body["项目D"][header.index("王专家·总分")] is None  # saved, not submitted


def test_objections_during_the_notice_reach_the_admin(app, client, contest):
    admin, reviewers, campaign, p = contest
    publish(app, contest)
    visitor = app.test_client()
    html = page(visitor.get(f"/campaigns/{campaign.id}/results"))
    assert "公示期：" in html and "个工作日" in html and "电话 021-12345678" in html and 'name="text"' in html

    hostile = {"name": "", "phone": "123", "project": "", "text": "<script>alert(1)</script>" + "长" * 500}
    response = visitor.post(f"/campaigns/{campaign.id}/objections", data=hostile)
    assert response.status_code == 422
    html = page(response)
    assert "请填写这一项" in html and "请输入 11 位手机号码" in html and "异议内容不超过 500 个字" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert 'value="123"' in html
    assert not Objection.select().exists()

    data = {"name": "李秀英", "phone": "13812345678", "project": str(p["A"].id), "text": "该组织去年的项目没有结项"}
    response = visitor.post(f"/campaigns/{campaign.id}/objections", data=data)
    assert response.status_code == 303
    objection = Objection.get()
    assert (objection.name, objection.phone, objection.proposal_id) == ("李秀英", "13812345678", p["A"].id)
    response = visitor.post(f"/campaigns/{campaign.id}/objections", data={**data, "project": str(p["D"].id)})
    assert response.status_code == 422  # 未立项: not on the list

    login(client, admin)
    assert "1 条公示期异议待处理" in page(client.get("/"))
    html = page(client.get(f"/campaigns/{campaign.id}/objections"))
    assert "13812345678" in html and "该组织去年的项目没有结项" in html and "项目A" in html
    response = client.post(f"/objections/{objection.id}/handle", data={"reply": ""})
    assert response.status_code == 422 and "请写明处理结果" in page(response)
    response = client.post(f"/objections/{objection.id}/handle", data={"reply": "已电话回复，项目已结项"})
    assert response.status_code == 303
    objection = Objection.get_by_id(objection.id)
    assert objection.handled_at is not None and objection.handled_by_id == admin.id
    assert AuditLog.get(AuditLog.action == "results.objection_handled").target_id == objection.id
    assert "公示期异议待处理" not in page(client.get("/"))
    assert client.post(f"/objections/{objection.id}/handle", data={"reply": "again"}).status_code == 422

    other = reviewers[0]
    login(client, other)
    assert client.get(f"/campaigns/{campaign.id}/objections").status_code == 403
    assert client.post(f"/objections/{objection.id}/handle", data={"reply": "x"}).status_code == 403


def test_objections_outside_the_notice_are_refused(app, client, contest):
    admin, reviewers, campaign, p = contest
    campaign = publish(app, contest)
    Campaign.update(notice_ends_at=utcnow() - DAY / 2).where(Campaign.id == campaign.id).execute()
    visitor = app.test_client()
    html = page(visitor.get(f"/campaigns/{campaign.id}/results"))
    assert 'name="text"' not in html and "公示期已结束" in html
    data = {"name": "李秀英", "phone": "13812345678", "project": "", "text": "有异议"}
    response = visitor.post(f"/campaigns/{campaign.id}/objections", data=data)
    assert response.status_code == 409 and "不受理异议" in page(response)
    assert not Objection.select().exists()


def test_objections_are_rate_limited_per_address(app, contest):
    campaign = publish(app, contest)
    visitor = app.test_client()
    statuses = [visitor.post(f"/campaigns/{campaign.id}/objections", data={"name": "李"}).status_code
                for _ in range(11)]
    assert statuses[:10] == [422] * 10 and statuses[10] == 429


def test_the_campaign_form_takes_the_objection_contact(app, client, contest):
    from tests.test_campaigns import campaign_form

    admin, *_ = contest
    login(client, admin)
    response = client.post("/campaigns/new", data=campaign_form(objection_contact="区社会组织管理局 021-87654321"))
    assert response.status_code == 303
    created = Campaign.select().order_by(Campaign.id.desc()).get()
    assert created.objection_contact == "区社会组织管理局 021-87654321"
    assert "021-87654321" in page(client.get(f"/campaigns/{created.id}/edit"))


def test_only_the_district_admin_ranks_and_exports(app, client, contest, make_user):
    admin, reviewers, campaign, p = contest
    for user in (reviewers[0], make_user("street_moderator", street="xinhua")):
        login(client, user)
        for url in (f"/campaigns/{campaign.id}/ranking", f"/campaigns/{campaign.id}/results.xlsx"):
            assert client.get(url).status_code == 403
        assert client.post(f"/proposals/{p['A'].id}/decision", data={"decision": "unfunded"}).status_code == 403
    assert Proposal.get_by_id(p["A"].id).decision is None
    assert Category.select().count() >= 2
    login(client, admin)
    unchecked = Proposal.get(Proposal.title == "未审项目")
    response = client.post(f"/proposals/{unchecked.id}/decision", data={"decision": "funded"}, headers=HX)
    assert response.status_code == 404 and Proposal.get_by_id(unchecked.id).decision is None


def results_world(admin, org, reviewer):
    """For the access and hostile sweeps: a contest in 公示 whose results are published, with one proposal of ``org``
    scored by ``reviewer`` and funded, and one objection; and a contest under review with an eligible proposal to
    stage a decision on."""
    campaign = make_campaign(admin, published=True, name="公示中的大赛", objection_contact="021-12345678",
                             **notice_now())
    funded = Proposal.create(campaign=campaign, organization=org, status="eligible", title="立项项目",
                             category=campaign.ordered_categories()[0], amount_requested=1000, decision="funded",
                             amount_granted=1000, decided_by=admin, decided_at=utcnow())
    score(funded, reviewer, 80)
    Campaign.update(results_published_at=utcnow(), results_published_by=admin).where(
        Campaign.id == campaign.id).execute()
    objection = Objection.create(campaign=campaign, proposal=funded, name="李秀英", phone="13812345678", text="有异议")
    reviewing = make_campaign(admin, published=True, name="评审中的大赛", **phase_dates(utcnow() - 45 * DAY))
    staged = Proposal.create(campaign=reviewing, organization=org, status="eligible", title="待定项目",
                             category=reviewing.ordered_categories()[0], amount_requested=1000)
    return {"campaign": campaign, "funded": funded, "objection": objection, "staged": staged}
