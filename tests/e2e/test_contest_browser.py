"""The 公益创投 contest end to end, as new users would play it in real Chromium: the district admin opens a contest;
two organizations write and submit proposals on their phones, with attachments (a disguised and a too-large file
refused, the proposal kept); a third misses the deadline, is refused, gets an extension and submits; the street
moderator returns one for revision and it comes back; reviewers are assigned three per proposal automatically, the
one who belongs to an applicant never meeting that proposal; reviewers score; the ranking follows the trimmed mean
worked out by hand here; the grants stop at the budget; the public page and the Excel export agree.

Between the acts the campaign's phase dates move in the database: that is time passing, not a shortcut.
"""
import datetime
import io
import os
import re
from decimal import Decimal

import pytest

from core.timeutil import local_now
from models import Assignment, Campaign, District, Membership, Proposal, ProposalFile, utcnow

if not os.path.exists("/usr/bin/chromium"):
    pytest.skip("browser tests need Debian's Chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright Python package")
openpyxl = pytest.importorskip("openpyxl")
Image = pytest.importorskip("PIL.Image")
expect = sync_api.expect

pytestmark = pytest.mark.browser

MB = 1024 * 1024
PC = dict(viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False, locale="zh-CN")
#: The service worker has its own tests (test_browser.py); here it would only precache in every context.
NO_WORKER = dict(service_workers="block")
#: The default rubric's maxima, in order (需求分析 … 可持续性与社会效益): they add up to 100.
MAXIMA = (20, 25, 20, 15, 10, 10)
BUDGET = 250_000
#: Each organization's proposal: what its admin types, and the totals its three reviewers give (by reviewer id).
PROPOSALS = {
    "A": {"title": "银龄互助食堂", "ask": 90_000, "totals": (95, 80, 78)},
    "B": {"title": "困境儿童四点半课堂", "ask": 100_000, "totals": (82, 83, 81)},
    "C": {"title": "楼组自治议事会", "ask": 80_000, "totals": (60, 75.5, 90)},
}

#: The proposal's text sections, as an applicant writes them.
TEXTS = {
    "summary": "为社区居民提供持续的公益服务。", "needs": "走访 120 户，需求集中在助餐和陪伴。",
    "plan": "3 月招募志愿者，4 月起每周开展服务。", "outcomes": "服务 200 人，满意度 90% 以上。",
    "team": "社工 2 名，志愿者 20 名。",
}


@pytest.fixture
def app_config(app_config, tmp_path):
    """The browser tests' configuration, uploads in a temporary folder and at most 1 MB each."""
    return {**app_config, "UPLOAD_DIR": str(tmp_path / "uploads"), "UPLOAD_MAX_BYTES": MB}


def real_pdf():
    """A small real PDF (Pillow writes a one-page document)."""
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(buffer, "PDF")
    assert buffer.getvalue().startswith(b"%PDF-")
    return buffer.getvalue()


@pytest.fixture
def files(tmp_path):
    """Real files on disk, as a phone would pick them: a PDF, a PNG renamed .pdf, and a PDF over 1 MB."""
    folder = tmp_path / "picked"
    folder.mkdir()
    pdf = folder / "项目计划书.pdf"
    pdf.write_bytes(real_pdf())
    png = io.BytesIO()
    Image.new("RGB", (30, 30), "red").save(png, "PNG")
    disguised = folder / "预算表.pdf"
    disguised.write_bytes(png.getvalue())
    large = folder / "活动照片合集.pdf"
    large.write_bytes(real_pdf() + b"%" + b"0" * (MB + 1000) + b"\n%%EOF\n")
    return {"pdf": pdf, "disguised": disguised, "large": large}


@pytest.fixture
def people(make_user, make_org):
    """Who plays: the district admin, the 新华路 moderator, three organizations with their admins, four reviewers
    (the last a volunteer of organization A)."""
    district = District.get(District.code == "310105")
    admins = {key: make_user(name=f"{key}组织管理员") for key in PROPOSALS}
    orgs = {key: make_org("xinhua", admin=admins[key], name=f"新华路{key}公益服务社") for key in PROPOSALS}
    names = ("赵专家", "钱专家", "孙专家", "李专家")
    reviewers = [make_user("reviewer", name=name, district=district) for name in names]
    Membership.create(user=reviewers[3], organization=orgs["A"], role="volunteer")
    return {
        "admin": make_user("district_admin", name="区管理员"),
        "moderator": make_user("street_moderator", street="xinhua", name="新华路审核员"),
        "org_admins": admins, "orgs": orgs, "reviewers": reviewers,
    }


def day(days=0):
    """A Shanghai date ``days`` from today, as a date input takes it."""
    return (local_now().date() + datetime.timedelta(days=days)).isoformat()


def move(campaign_id, **boundaries):
    """Time passes: the named phase boundaries are now (a second ago)."""
    now = utcnow() - datetime.timedelta(seconds=1)
    Campaign.update({getattr(Campaign, name): now for name in boundaries}).where(Campaign.id == campaign_id).execute()


def message(page):
    return page.locator("#messages")


# --- the acts ----------------------------------------------------------------------------------------------------


def open_contest(admin_tab):
    """The district admin sets up a contest taking applications from today, with a 25万 budget, and publishes it."""
    page = admin_tab.page
    admin_tab.goto("/campaigns/new")
    page.fill("#name", "第十届长宁区公益创投项目大赛")
    page.fill("#description", "面向全区社会组织，资助民生服务、社区治理和公益慈善项目")
    page.fill("#application_opens", day())
    page.fill("#budget", str(BUDGET))
    page.fill("#objection_contact", "区社会组织管理局 021-12345678")
    page.get_by_role("button", name="保存草稿").click()
    expect(message(page)).to_contain_text("大赛已保存为草稿")
    page.get_by_role("button", name="发布大赛").click()
    expect(message(page)).to_contain_text("大赛已发布")
    campaign_id = int(re.search(r"/campaigns/(\d+)/", page.url)[1])
    campaign = Campaign.get_by_id(campaign_id)
    assert campaign.published and campaign.budget == BUDGET and campaign.scoring == "trimmed"
    return campaign_id


def start_proposal(tab, campaign_id):
    """From the contest's page, 我要申报: the draft's id."""
    page = tab.page
    tab.goto(f"/campaigns/{campaign_id}/")
    page.get_by_role("link", name="我要申报").click()
    page.get_by_role("button", name="开始填写申报书").click()
    expect(message(page)).to_contain_text("申报书草稿已建立")
    return int(re.search(r"/proposals/(\d+)/", page.url)[1])


def save(page, section):
    page.locator(f"#section-{section} button[type=submit]").click()
    expect(page.locator(f"#section-{section} .status")).to_have_text("已保存")


def write_basics(page, title):
    page.fill("#section-basics input[name=title]", title)
    page.select_option("#section-basics select[name=category]", label="民生服务类")
    page.select_option("#section-basics select[name=service_field]", value="elderly")
    page.fill("#section-basics input[name=beneficiaries]", "社区独居老人和困境家庭")
    page.select_option("#section-basics select[name=street]", label="新华路街道")
    page.fill("#section-basics input[name=starts_on]", "2027-03-01")
    page.fill("#section-basics input[name=ends_on]", "2027-12-31")
    page.fill("#section-basics input[name=beneficiary_count]", "200")
    save(page, "basics")


def write_the_rest(page, ask):
    """The budget (its table adding up to the total) and the five text sections, each saved in place."""
    page.fill("#section-budget input[name=total_budget]", str(ask + 20_000))
    page.fill("#section-budget input[name=amount_requested]", str(ask))
    page.fill("#section-budget textarea[name=budget_items]", f"场地租赁 20000\n活动物资 {ask}")
    expect(page.locator("#budget-sum")).to_contain_text(f"{ask + 20_000:,}")
    save(page, "budget")
    for section, text in TEXTS.items():
        page.fill(f"#section-{section} textarea", text)
        save(page, section)


def upload(page, path):
    page.set_input_files("#file", str(path))
    page.locator("#files button[type=submit]", has_text="上传").click()


def submit(page):
    page.get_by_role("button", name="提交申报书").click()
    expect(message(page)).to_contain_text("申报书已提交")
    expect(page.locator("h1 + p .status")).to_have_text("已提交")


def applies_with_a_pdf(tab, campaign_id, key, files):
    """Organization A: the whole proposal, a real PDF attached, submitted."""
    page = tab.page
    proposal_id = start_proposal(tab, campaign_id)
    write_basics(page, PROPOSALS[key]["title"])
    write_the_rest(page, PROPOSALS[key]["ask"])
    upload(page, files["pdf"])
    expect(message(page)).to_contain_text("已上传：项目计划书.pdf")
    tab.assert_fits_the_phone()
    submit(page)
    return proposal_id


def applies_past_refused_uploads(tab, campaign_id, key, files):
    """Organization B: a PNG named .pdf and a file over 1 MB are refused with the reason, the proposal kept; then a
    real PDF goes in and the proposal is submitted."""
    page = tab.page
    proposal_id = start_proposal(tab, campaign_id)
    write_basics(page, PROPOSALS[key]["title"])
    write_the_rest(page, PROPOSALS[key]["ask"])
    upload(page, files["disguised"])
    expect(message(page)).to_have_text("附件没有上传：文件已损坏或不是它声称的类型")
    expect(page.locator("#files")).to_contain_text("还没有附件")
    expect(page.locator("#section-basics input[name=title]")).to_have_value(PROPOSALS[key]["title"])
    upload(page, files["large"])
    expect(message(page)).to_have_text("附件没有上传：文件太大了（最大 1 MB）")
    expect(page.locator("#files")).to_contain_text("还没有附件")
    expect(page.locator("#section-budget input[name=amount_requested]")).to_have_value(str(PROPOSALS[key]["ask"]))
    expect(page.locator("#section-plan textarea")).to_have_value(TEXTS["plan"])
    upload(page, files["pdf"])
    expect(message(page)).to_contain_text("已上传：项目计划书.pdf")
    expect(page.locator("#files .file-list li")).to_have_count(1)
    submit(page)
    assert [f.original_name for f in ProposalFile.select().where(ProposalFile.proposal == proposal_id)] == [
        "项目计划书.pdf"]
    return proposal_id


def misses_the_deadline(tab, campaign_id, key):
    """Organization C has only begun when the deadline passes: its stale page's 提交 is refused, and the page says
    the proposal is locked."""
    page = tab.page
    proposal_id = start_proposal(tab, campaign_id)
    write_basics(page, PROPOSALS[key]["title"])
    move(campaign_id, application_closes_at=True)
    tab.expected_statuses.add(409)
    page.get_by_role("button", name="提交申报书").click()
    expect(page.locator("main")).to_contain_text("申报已截止，申报书已锁定，不能再修改或提交")
    tab.goto(f"/proposals/{proposal_id}/")
    expect(page.locator("#locked")).to_contain_text("申报已截止")
    expect(page.get_by_role("button", name="提交申报书")).to_have_count(0)
    expect(page.locator("#section-budget form")).to_have_count(0)
    assert Proposal.get_by_id(proposal_id).status == "draft"
    return proposal_id


def grants_an_extension(admin_tab, campaign_id, org):
    page = admin_tab.page
    admin_tab.goto(f"/campaigns/{campaign_id}/")
    page.select_option("#extensions select[name=organization]", label=org.name)
    page.fill("#extensions input[name=until]", day(3))
    page.locator("#extensions button[type=submit]").click()
    expect(message(page)).to_contain_text(f"已为{org.name}延期申报")
    expect(page.locator("#extensions")).to_contain_text(org.name)


def finishes_after_the_extension(tab, campaign_id, key, proposal_id, org, files):
    page = tab.page
    tab.goto(f"/campaigns/{campaign_id}/")
    page.locator(f"#extended-{org.id}").get_by_role("link", name="继续填写").click()
    page.wait_for_url(re.compile(rf"/proposals/{proposal_id}/$"))
    write_the_rest(page, PROPOSALS[key]["ask"])
    upload(page, files["pdf"])
    expect(message(page)).to_contain_text("已上传：项目计划书.pdf")
    submit(page)


def queue_row(page, proposal_id):
    return page.locator(f"#proposal-queue #proposal-{proposal_id}")


def approve(page, proposal_id):
    row = queue_row(page, proposal_id)
    row.locator(".actions > form button").click()
    expect(row.locator(".status")).to_have_text("资格审查合格")


def moderator_returns_one(tab, ids):
    """The street moderator approves A and C and sends B back with what to revise and a date."""
    page = tab.page
    tab.goto("/streets/xinhua/")
    for key in ("A", "B", "C"):
        expect(queue_row(page, ids[key])).to_be_visible()
    row = queue_row(page, ids["B"])
    row.locator("summary", has_text="退回修改").click()
    row.locator("textarea[name=reason]").last.fill("预算明细请按月列出，并补充志愿者保险费用。")
    row.locator("input[name=revise_by]").fill(day(2))
    row.get_by_role("button", name="确认退回修改").click()
    expect(queue_row(page, ids["B"]).locator(".status")).to_have_text("退回修改")
    approve(page, ids["A"])
    approve(page, ids["C"])
    tab.assert_fits_the_phone()


def revises_and_resubmits(tab, proposal_id):
    page = tab.page
    tab.goto(f"/proposals/{proposal_id}/")
    expect(page.locator("#check-note")).to_contain_text("预算明细请按月列出")
    page.fill("#section-budget textarea[name=budget_items]", "场地租赁 20000\n活动物资 90000\n志愿者保险 10000")
    save(page, "budget")
    page.get_by_role("button", name="重新提交申报书").click()
    expect(message(page)).to_contain_text("申报书已重新提交")
    expect(page.locator("h1 + p .status")).to_have_text("已提交")


def moderator_approves_the_revision(tab, proposal_id):
    tab.goto("/streets/xinhua/")
    approve(tab.page, proposal_id)


def assigns_three_each(admin_tab, campaign_id, ids, outsider):
    page = admin_tab.page
    admin_tab.goto(f"/campaigns/{campaign_id}/assignments")
    page.fill("input[name=per_proposal]", "3")
    page.get_by_role("button", name="自动分配").click()
    expect(message(page)).to_contain_text("已分配 9 人次")
    for proposal_id in ids.values():
        expect(page.locator(f"#proposal-{proposal_id} .my-list li")).to_have_count(3)
    expect(page.locator(f"#proposal-{ids['A']} .my-list")).not_to_contain_text(outsider.name)


def sheet_scores(total):
    """A sheet adding up to ``total``: what is missing from full marks, spread over the criteria by their weight in
    half points (the remainder on 项目设计)."""
    missing = Decimal(100) - Decimal(str(total))
    scores = [Decimal(m) - (missing * m / 100 * 2).quantize(Decimal(1)) / 2 for m in MAXIMA]
    scores[1] += Decimal(str(total)) - sum(scores)
    assert sum(scores) == Decimal(str(total)) and all(0 <= s <= m for s, m in zip(scores, MAXIMA, strict=True))
    return [f"{s:f}".removesuffix(".0") for s in scores]


def scores_its_sheets(tab, reviewer, totals_by_title):
    """A reviewer on a PC: from 我的评审, each assigned proposal's sheet filled in and submitted."""
    page = tab.page
    tab.log_in(reviewer)
    for title, total in totals_by_title.items():
        tab.goto("/reviews/")
        page.locator("a.row-link", has_text=title).click()
        for position, score in enumerate(sheet_scores(total)):
            page.fill(f"input[name=criterion-{position}-score]", score)
        expect(page.locator("#sheet-total")).to_have_text(f"{Decimal(str(total)):g}")
        page.get_by_role("button", name="提交评分").click()
        expect(message(page)).to_contain_text("评分已提交")
    tab.goto("/reviews/")
    count = len(totals_by_title)
    expect(page.locator(".review-progress strong")).to_have_text(f"已提交 {count} / {count}")


def member_never_meets_its_own(tab, outsider, ids):
    """The reviewer who volunteers for A: A is not among their sheets; A's sheet and file answer 404, also through
    their own sheet of another proposal."""
    page = tab.page
    tab.goto("/reviews/")
    expect(page.locator(".review-list li")).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text(PROPOSALS["A"]["title"])
    sheet_of_a = Assignment.select().where(Assignment.proposal == ids["A"]).first()
    file_of_a = ProposalFile.get(ProposalFile.proposal == ids["A"])
    own = Assignment.get(Assignment.reviewer == outsider, Assignment.proposal == ids["B"])
    tab.goto(f"/reviews/{sheet_of_a.id}/", status=404)
    tab.goto(f"/reviews/{sheet_of_a.id}/files/{file_of_a.id}", status=404)
    tab.goto(f"/reviews/{own.id}/files/{file_of_a.id}", status=404)
    file_of_b = ProposalFile.get(ProposalFile.proposal == ids["B"])
    answer = page.request.get(f"{tab.base_url}/reviews/{own.id}/files/{file_of_b.id}")
    assert answer.status == 200 and answer.body().startswith(b"%PDF-")  # their own sheet's file, as 附件1.pdf
    assert "filename*=UTF-8''%E9%99%84%E4%BB%B61.pdf" in answer.headers["content-disposition"]


def by_hand():
    """The ranking worked out by hand: 去掉一个最高分和一个最低分 of three totals leaves the middle one."""
    trimmed = {key: sorted(Decimal(str(t)) for t in p["totals"])[1] for key, p in PROPOSALS.items()}
    mean = {key: sum(Decimal(str(t)) for t in p["totals"]) / 3 for key, p in PROPOSALS.items()}
    assert trimmed == {"A": Decimal(80), "B": Decimal(82), "C": Decimal("75.5")}
    assert round(mean["A"], 2) == Decimal("84.33") and mean["B"] == 82 and round(mean["C"], 2) == Decimal("75.17")
    order = sorted(PROPOSALS, key=lambda key: -trimmed[key])
    assert order == ["B", "A", "C"] and sorted(PROPOSALS, key=lambda key: -mean[key]) == ["A", "B", "C"]
    return order, {key: f"{value:.2f}" for key, value in trimmed.items()}


def ranking_matches(admin_tab, campaign_id, ids):
    page = admin_tab.page
    order, shown = by_hand()
    admin_tab.goto(f"/campaigns/{campaign_id}/ranking")
    rows = page.locator(".rank-row")
    expect(rows).to_have_count(3)
    assert [rows.nth(n).locator("h2").inner_text().strip() for n in range(3)] == [PROPOSALS[k]["title"] for k in order]
    assert [rows.nth(n).locator(".score").inner_text().strip() for n in range(3)] == [shown[k] for k in order]
    assert [rows.nth(n).locator(".place").inner_text().split()[0:3] for n in range(3)] == [
        ["第", "1", "名"], ["第", "2", "名"], ["第", "3", "名"]]
    # C's 60 lies 15.5 from its median (75.5): marked; A's 95 lies exactly 15 from 80: not.
    expect(page.locator(f"#proposal-{ids['C']} .status-flagged")).to_have_count(1)
    expect(page.locator(f"#proposal-{ids['A']} .status-flagged")).to_have_count(0)
    return order


def grants_stop_at_the_budget(admin_tab, ids, order):
    """立项 in ranking order at the asks: the third would pass the 25万 budget and is refused in place; it gets what
    is left instead."""
    page = admin_tab.page
    total = page.locator("#funding-total")
    granted = 0
    for key in order[:2]:
        row = page.locator(f"#proposal-{ids[key]}")
        row.get_by_role("button", name="立项", exact=True).click()
        granted += PROPOSALS[key]["ask"]
        expect(row.locator(".place .status")).to_have_text(f"立项 {PROPOSALS[key]['ask']:,} 元")
        expect(total).to_contain_text(f"合计 {granted:,} 元")
    last = order[2]
    row = page.locator(f"#proposal-{ids[last]}")
    expect(row.locator("input[name=amount]")).to_have_value(str(PROPOSALS[last]["ask"]))
    row.get_by_role("button", name="立项", exact=True).click()
    left = BUDGET - granted
    expect(row.locator(".decision .error")).to_have_text(f"超出资金池：还可分配 {left:,} 元")
    expect(row.locator(".place .status")).to_have_text("待定")
    expect(total).to_contain_text(f"已立项 2 个，合计 {granted:,} 元")
    expect(total).to_contain_text(f"还可分配 {left:,} 元")
    assert Proposal.get_by_id(ids[last]).decision is None
    row.locator("input[name=amount]").fill(str(left))
    row.get_by_role("button", name="立项", exact=True).click()
    expect(row.locator(".place .status")).to_have_text(f"立项 {left:,} 元")
    expect(total).to_contain_text(f"已立项 3 个，合计 {BUDGET:,} 元")
    expect(total).to_contain_text("还可分配 0 元")
    return {key: (PROPOSALS[key]["ask"] if key != last else left) for key in order}


def publishes(admin_tab, campaign_id):
    page = admin_tab.page
    page.get_by_role("button", name="公布评审结果").click()
    expect(message(page)).to_contain_text("评审结果已公布")
    page.wait_for_url(re.compile(rf"/campaigns/{campaign_id}/results$"))


def public_rows(tab, campaign_id):
    """The public results page as an anonymous visitor reads it: (organization, project, amount) per funded row."""
    page = tab.page
    tab.goto(f"/campaigns/{campaign_id}/results")
    expect(page.locator("#notice form")).to_be_visible()  # 公示: objections are taken
    tab.assert_fits_the_phone()
    cells = page.locator("table.funded tbody tr").evaluate_all(
        "rows => rows.map(row => Array.from(row.cells, cell => cell.innerText.trim()))")
    footer = page.locator("table.funded tfoot td").inner_text().strip()
    return [(org, title, int(amount.replace(",", ""))) for org, title, _category, amount in cells], footer


def exported_rows(admin_tab, campaign_id):
    """The Excel export as the admin downloads it from the ranking: (organization, project, amount) of each 立项
    row, with the places and combined scores of all."""
    page = admin_tab.page
    admin_tab.goto(f"/campaigns/{campaign_id}/ranking")
    with page.expect_download() as info:
        page.get_by_role("link", name="导出 Excel").click()
    download = info.value
    assert download.suggested_filename == f"results-{campaign_id}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes())).active
    header, *body = [list(row) for row in sheet.iter_rows(values_only=True)]
    names = ("名次", "申报组织", "项目名称", "综合得分", "评审结果", "资助金额（元）")
    column = {name: header.index(name) for name in names}
    funded = [(row[column["申报组织"]], row[column["项目名称"]], row[column["资助金额（元）"]])
              for row in body if row[column["评审结果"]] == "立项"]
    places = [(row[column["名次"]], row[column["综合得分"]]) for row in body]
    return funded, places, header


def test_the_contest_from_call_to_results(open_tab, people, files):
    admin, orgs, org_admins = people["admin"], people["orgs"], people["org_admins"]
    reviewers, outsider = people["reviewers"], people["reviewers"][3]
    office = open_tab(**PC, **NO_WORKER)
    office.log_in(admin)
    campaign_id = open_contest(office)

    phones = {key: open_tab(**NO_WORKER) for key in PROPOSALS}
    for key, tab in phones.items():
        tab.log_in(org_admins[key])
    ids = {"A": applies_with_a_pdf(phones["A"], campaign_id, "A", files),
           "B": applies_past_refused_uploads(phones["B"], campaign_id, "B", files)}
    ids["C"] = misses_the_deadline(phones["C"], campaign_id, "C")
    grants_an_extension(office, campaign_id, orgs["C"])
    finishes_after_the_extension(phones["C"], campaign_id, "C", ids["C"], orgs["C"], files)
    assert {key: Proposal.get_by_id(pid).status for key, pid in ids.items()} == dict.fromkeys(ids, "submitted")

    street = open_tab(**NO_WORKER)
    street.log_in(people["moderator"])
    moderator_returns_one(street, ids)
    revises_and_resubmits(phones["B"], ids["B"])
    moderator_approves_the_revision(street, ids["B"])
    assert {key: Proposal.get_by_id(pid).status for key, pid in ids.items()} == dict.fromkeys(ids, "eligible")

    move(campaign_id, eligibility_ends_at=True)  # 专家评审 begins
    assigns_three_each(office, campaign_id, ids, outsider)
    assert not Assignment.select().where(Assignment.reviewer == outsider, Assignment.proposal == ids["A"]).exists()
    sheets = {}  # reviewer → {title: total}, each proposal's totals given out in the order of its reviewers' ids
    for key, proposal_id in ids.items():
        assigned = Assignment.select().where(Assignment.proposal == proposal_id).order_by(Assignment.reviewer)
        for assignment, total in zip(assigned, PROPOSALS[key]["totals"], strict=True):
            sheets.setdefault(assignment.reviewer_id, {})[PROPOSALS[key]["title"]] = total
    scoring = {reviewer.id: open_tab(**PC, **NO_WORKER) for reviewer in reviewers}
    for reviewer in reviewers:
        scores_its_sheets(scoring[reviewer.id], reviewer, sheets[reviewer.id])
    member_never_meets_its_own(scoring[outsider.id], outsider, ids)

    move(campaign_id, review_ends_at=True)  # scoring closes
    order = ranking_matches(office, campaign_id, ids)
    grants = grants_stop_at_the_budget(office, ids, order)
    move(campaign_id, notice_starts_at=True)  # 公示 begins
    publishes(office, campaign_id)

    visitor = open_tab(**NO_WORKER)
    shown, footer = public_rows(visitor, campaign_id)
    expected = [(orgs[key].name, PROPOSALS[key]["title"], grants[key]) for key in order]
    assert shown == expected
    assert footer == f"{BUDGET:,}"
    funded, places, header = exported_rows(office, campaign_id)
    assert funded == shown
    assert places == [(1, 82.0), (2, 80.0), (3, 75.5)]
    assert "赵专家·需求分析" in header and "李专家·总分" in header

    for tab in (office, *phones.values(), street, *scoring.values(), visitor):
        tab.assert_no_errors()
