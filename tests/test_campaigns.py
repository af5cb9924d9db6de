"""Campaigns: the district admin sets up a contest (phases, categories, budget, rubric); the public reads it."""
import datetime

import pytest

from blueprints.campaigns import operations
from core.errors import PermissionDenied, ValidationError
from core.timeutil import local_now, to_utc
from models import Assignment, AuditLog, Campaign, Category, Criterion, District, Proposal, Score, utcnow
from tests.conftest import login

DAY = datetime.timedelta(days=1)


def phase_dates(start=None):
    """Naive-UTC phase boundaries: application for 30 days from ``start`` (default: yesterday), then the rest."""
    start = start or utcnow() - DAY
    return {
        "application_opens_at": start, "application_closes_at": start + 30 * DAY,
        "eligibility_ends_at": start + 37 * DAY, "review_ends_at": start + 51 * DAY,
        "notice_starts_at": start + 51 * DAY, "notice_ends_at": start + 58 * DAY, "results_at": start + 58 * DAY,
    }


def campaign_data(**changes):
    return {
        "name": "第十届长宁区公益创投项目大赛", "description": "面向全区社会组织", "budget": 3000000,
        "scoring": "trimmed", "blind_review": True, "show_others": False, "max_proposals_per_org": 1,
        "categories": None, "criteria": None, **phase_dates(), **changes,
    }


def make_campaign(admin, published=False, **changes):
    """A contest of ``admin``'s district in its application window, with the usual categories and rubric."""
    campaign = operations.create_campaign(admin.district, admin, campaign_data(**changes))
    if published:
        operations.publish(campaign, admin)
    return campaign


def campaign_form(**changes):
    """What the district admin's browser sends for a new contest that opens tomorrow."""
    today = local_now().date()
    day = lambda n: (today + n * DAY).isoformat()  # noqa: E731
    return {
        "name": "第十届长宁区公益创投项目大赛", "description": "面向全区社会组织",
        "application_opens": day(1), "application_closes": day(30), "eligibility_ends": day(37),
        "review_ends": day(51), "notice_starts": day(52), "notice_ends": day(58), "results_on": day(59),
        "budget": "3000000", "categories": "", "criteria": "", "scoring": "trimmed", "blind_review": "y",
        "max_proposals_per_org": "1", **changes,
    }


@pytest.fixture
def admin(make_user):
    return make_user("district_admin")


def test_defaults_fill_the_categories_and_the_rubric(app, admin):
    campaign = make_campaign(admin)
    assert [(c.name, c.max_grant) for c in campaign.ordered_categories()] == [
        ("民生服务类", 200000), ("社区治理类", 200000), ("公益慈善类", 200000)
    ]
    rubric = [(c.name, c.weight, c.max_score) for c in campaign.ordered_criteria()]
    assert rubric[0] == ("需求分析", 20, 20) and rubric[1] == ("项目设计", 25, 25)
    assert [name for name, *_ in rubric][-1] == "可持续性与社会效益"
    assert sum(weight for _, weight, _ in rubric) == 100
    assert all(c.guide for c in campaign.ordered_criteria())
    assert not campaign.published
    assert AuditLog.get(AuditLog.action == "campaign.create").target_id == campaign.id


def test_a_default_cap_never_exceeds_a_small_budget(app, admin):
    campaign = make_campaign(admin, budget=50000)
    assert {c.max_grant for c in campaign.ordered_categories()} == {50000}


def test_weights_must_add_up_to_100(app, admin):
    with pytest.raises(ValidationError) as error:
        make_campaign(admin, criteria=[("需求分析", 20, ""), ("项目设计", 25, "")])
    assert "各项权重之和应为 100，现在是 45" in error.value.errors["criteria"]


def test_a_cap_above_the_budget_is_refused(app, admin):
    with pytest.raises(ValidationError) as error:
        make_campaign(admin, budget=100000, categories=[("民生服务类", 200000)])
    assert "民生服务类" in error.value.errors["categories"]


def test_the_phases_must_come_in_order(app, admin):
    dates = phase_dates()
    with pytest.raises(ValidationError) as error:
        make_campaign(admin, review_ends_at=dates["eligibility_ends_at"] - DAY)
    assert "review_ends" in error.value.errors


@pytest.mark.parametrize(
    ("offset", "phase"),
    [(-1, "upcoming"), (0, "application"), (31, "eligibility"), (40, "review"), (53, "notice"), (60, "results")],
)
def test_the_phase_follows_the_dates(app, admin, offset, phase):
    campaign = make_campaign(admin)
    start = campaign.application_opens_at
    assert campaign.phase(start + offset * DAY) == phase


def test_only_a_district_admin_of_that_district_may_create_or_edit(app, admin, make_user):
    xuhui = District.create(code="310104", name="徐汇区")
    stranger = make_user("district_admin", district=xuhui)
    campaign = make_campaign(admin)
    with pytest.raises(PermissionDenied):
        operations.update_campaign(campaign, stranger, campaign_data())
    with pytest.raises(PermissionDenied):
        operations.create_campaign(admin.district, make_user("street_moderator", street="xinhua"), campaign_data())


def test_the_form_creates_a_draft_with_the_defaults(app, client, admin):
    login(client, admin)
    response = client.post("/campaigns/new", data=campaign_form())
    assert response.status_code == 303
    campaign = Campaign.get()
    assert Category.select().where(Category.campaign == campaign).count() == 3
    assert Criterion.select().where(Criterion.campaign == campaign).count() == 6
    # The first day of the application window, midnight in Shanghai.
    opens = datetime.datetime.combine(local_now().date() + DAY, datetime.time())
    assert campaign.application_opens_at == to_utc(opens)


def test_weights_that_do_not_add_up_are_explained_beside_the_field(app, client, admin):
    login(client, admin)
    response = client.post("/campaigns/new", data=campaign_form(criteria="需求分析 20 需求真实\n项目设计 30"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    block = html[html.index('name="criteria"'):]
    assert "各项权重之和应为 100，现在是 50" in block[:block.index('<div class="field')]
    assert Campaign.select().count() == 0


def test_a_line_that_cannot_be_read_is_named(app, client, admin):
    login(client, admin)
    response = client.post("/campaigns/new", data=campaign_form(categories="民生服务类 20万\n社区治理类"))
    assert response.status_code == 422
    assert "第 2 行看不懂" in response.get_data(as_text=True)


def test_dates_out_of_order_are_refused_beside_the_field(app, client, admin):
    login(client, admin)
    today = local_now().date()
    response = client.post("/campaigns/new", data=campaign_form(results_on=today.isoformat()))
    assert response.status_code == 422
    assert "结果公布日期要晚于公示结束日期" in response.get_data(as_text=True)


def test_a_draft_is_404_to_the_public_and_visible_to_its_admin(app, client, admin):
    campaign = make_campaign(admin)
    assert client.get(f"/campaigns/{campaign.id}/").status_code == 404
    assert campaign.name not in client.get("/campaigns/").get_data(as_text=True)
    login(client, admin)
    assert client.get(f"/campaigns/{campaign.id}/").status_code == 200
    assert campaign.name in client.get("/campaigns/").get_data(as_text=True)


def test_the_public_page_shows_the_phases_categories_and_rubric(app, client, admin):
    campaign = make_campaign(admin, published=True)
    html = client.get(f"/campaigns/{campaign.id}/").get_data(as_text=True)
    for text in ("民生服务类", "200,000", "3,000,000", "需求分析", "服务需求真实", "去掉一个最高分和一个最低分",
                 "资格审查", "公示"):
        assert text in html
    assert 'aria-current="step"' in html
    assert campaign.name in client.get("/campaigns/").get_data(as_text=True)


def test_the_edit_form_comes_back_with_the_stored_values(app, client, admin):
    campaign = make_campaign(admin, published=True)
    login(client, admin)
    html = client.get(f"/campaigns/{campaign.id}/edit").get_data(as_text=True)
    assert "民生服务类 200000" in html and "需求分析 20 " in html
    form = campaign_form(categories="民生服务类 10万", name="改名后的大赛")
    assert client.post(f"/campaigns/{campaign.id}/edit", data=form).status_code == 303
    assert [c.max_grant for c in campaign.ordered_categories()] == [100000]
    assert Campaign.get_by_id(campaign.id).name == "改名后的大赛"


def rubric_lines(campaign, **weights):
    return "\n".join(f"{c.name} {weights.get(c.name, c.weight)} {c.guide}" for c in campaign.ordered_criteria())


def test_editing_keeps_the_proposals_category_and_the_reviewers_scores(app, client, admin, make_org, make_user):
    campaign = make_campaign(admin, published=True)
    category, criterion = campaign.ordered_categories()[0], campaign.ordered_criteria()[0]
    org = make_org("xinhua")
    proposal = Proposal.create(campaign=campaign, organization=org, category=category, status="eligible")
    assignment = Assignment.create(proposal=proposal, reviewer=make_user("reviewer"))
    Score.create(assignment=assignment, criterion=criterion, score=18)
    login(client, admin)
    lines = rubric_lines(campaign).replace(criterion.guide, "调研扎实有数据")
    form = campaign_form(categories="民生服务类 15万\n社区治理类 20万\n公益慈善类 20万", criteria=lines, name="改名")
    assert client.post(f"/campaigns/{campaign.id}/edit", data=form).status_code == 303
    assert Proposal.get_by_id(proposal.id).category_id == category.id
    assert Category.get_by_id(category.id).max_grant == 150000
    assert Score.get(Score.assignment == assignment).criterion_id == criterion.id
    assert Criterion.get_by_id(criterion.id).guide == "调研扎实有数据"


def test_once_scored_the_rubric_weights_stay_and_a_used_category_stays(app, client, admin, make_org, make_user):
    campaign = make_campaign(admin, published=True)
    category, criterion = campaign.ordered_categories()[0], campaign.ordered_criteria()[0]
    proposal = Proposal.create(campaign=campaign, organization=make_org("xinhua"), category=category,
                               status="eligible")
    Score.create(assignment=Assignment.create(proposal=proposal, reviewer=make_user("reviewer")),
                 criterion=criterion, score=18)
    login(client, admin)
    lines = rubric_lines(campaign, **{criterion.name: 25, "项目设计": 20})
    response = client.post(f"/campaigns/{campaign.id}/edit", data=campaign_form(criteria=lines, name="改名"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "已有评审专家评分，评分项和权重不能再修改" in html
    assert Criterion.get_by_id(criterion.id).weight == 20 and Campaign.get_by_id(campaign.id).name != "改名"
    response = client.post(f"/campaigns/{campaign.id}/edit", data=campaign_form(
        categories="社区治理类 20万\n公益慈善类 20万", criteria=rubric_lines(campaign)))
    # Positions shift: the first row takes the second's name, and the third (unused) row goes.
    assert response.status_code == 303
    assert Proposal.get_by_id(proposal.id).category_id == category.id
    response = client.post(f"/campaigns/{campaign.id}/edit", data=campaign_form(
        categories="", criteria=rubric_lines(campaign)))
    assert response.status_code == 303  # empty brings the usual three back, in place
    assert Proposal.get_by_id(proposal.id).category_id == category.id
