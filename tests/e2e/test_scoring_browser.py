"""A reviewer scores in a real browser: the total follows the scores as they are typed, the sheet fits a phone with
large targets, a missing score is named beside its field, and on a PC the rubric stands beside the proposal."""
import os

import pytest

from models import Assignment, District, Proposal
from tests.test_campaigns import make_campaign

if not os.path.exists("/usr/bin/chromium"):
    pytest.skip("browser tests need Debian's Chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright Python package")
expect = sync_api.expect

pytestmark = pytest.mark.browser


@pytest.fixture
def sheet(make_user, make_org):
    admin = make_user("district_admin")
    reviewer = make_user("reviewer", name="陈评审", district=District.get(District.code == "310105"))
    campaign = make_campaign(admin, published=True)
    proposal = Proposal.create(campaign=campaign, organization=make_org("xinhua"), status="eligible",
                               title="银龄互助计划", budget_items="场地租赁 3000", summary="简介")
    return reviewer, Assignment.create(proposal=proposal, reviewer=reviewer)


def test_the_total_follows_the_scores_and_a_missing_one_is_named(open_tab, sheet):
    reviewer, assignment = sheet
    tab = open_tab()
    tab.log_in(reviewer)
    tab.goto("/reviews/")
    tab.assert_fits_and_targets_at_least(48)
    tab.goto(f"/reviews/{assignment.id}/")
    page = tab.page
    total = page.locator("#sheet-total")
    expect(total).to_have_text("0")
    page.locator("input[name=criterion-0-score]").fill("18")
    page.locator("input[name=criterion-1-score]").fill("22.5")
    expect(total).to_have_text("40.5")
    page.locator("input[name=criterion-2-score]").fill("30")  # out of range: not counted
    expect(total).to_have_text("40.5")
    tab.assert_fits_and_targets_at_least(48)
    page.get_by_role("button", name="提交评分").click()
    expect(page.locator(".error-summary")).to_contain_text("请修改以下")
    expect(page.locator("input[name=criterion-2-score]")).to_have_value("30")
    expect(page.locator(".criterion.has-error").first).to_contain_text("请填写 0 到 20 之间的分数")
    expect(total).to_have_text("40.5")  # the server's total of the valid scores
    tab.assert_no_errors()


def test_on_a_pc_the_rubric_stands_beside_the_proposal(open_tab, sheet):
    reviewer, assignment = sheet
    tab = open_tab(viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False)
    tab.log_in(reviewer)
    tab.goto(f"/reviews/{assignment.id}/")
    proposal = tab.page.locator(".sheet-proposal").bounding_box()
    rubric = tab.page.locator(".sheet-rubric").bounding_box()
    assert rubric["x"] >= proposal["x"] + proposal["width"] and abs(rubric["y"] - proposal["y"]) < 100
    assert tab.scroll_width() <= 1280
    tab.assert_no_errors()
