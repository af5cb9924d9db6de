"""Funded projects' mid-term and final reports: the organization writes them on the project's page, the district
admin accepts or returns them from a queue and the home page's 待办."""
import datetime

import pytest

from core.timeutil import local_now
from models import AuditLog, CheckIn, ProjectReport, Proposal, Report, utcnow
from tests.conftest import login
from tests.test_campaigns import make_campaign
from tests.test_projects import make_proposal

COMPLETE = {"progress": "开展探访 40 次，服务独居老人 52 名", "spending": "探访物资 20000 元，志愿者交通 8000 元",
            "spent": "28000.50", "beneficiaries": "52", "next_steps": "下半年增加助餐服务"}


def text(response):
    return response.get_data(as_text=True)


def section(html):
    """The 项目报告 part of the project's page ('' when it is not shown)."""
    if 'id="project-reports"' not in html:
        return ""
    return html.split('id="project-reports"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def district_admin(make_user):
    return make_user("district_admin", name="区社会组织管理局")


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin, name="新华路街道睦邻互助会")


@pytest.fixture
def project(district_admin, org):
    campaign = make_campaign(district_admin, published=True)
    campaign.results_published_at = utcnow()
    campaign.save()
    return make_proposal(campaign, org, amount_granted=150000)


def url(project, kind="midterm", action=""):
    return f"/projects/{project.id}/reports/{kind}" + (f"/{action}" if action else "")


def test_the_full_cycle_from_draft_to_accepted(client, project, org_admin, district_admin):
    login(client, org_admin)
    page = section(text(client.get(f"/projects/{project.id}/")))
    assert "中期报告" in page and "结项报告" in page and "尚未填写" in page
    assert "填写中期报告" in page and "填写结项报告" not in page  # the final one waits for the mid-term

    # A draft saves half-written; submitting it says what is missing, beside each field.
    response = client.post(url(project), data={"progress": "已开展探访 20 次"})
    assert response.status_code == 303 and response.headers["Location"].endswith(url(project))
    report = ProjectReport.get(ProjectReport.project == project.id, ProjectReport.kind == "midterm")
    assert report.status == "draft" and report.progress == "已开展探访 20 次"
    response = client.post(url(project, action="submit"), data={"progress": "已开展探访 20 次"})
    html = text(response)
    assert response.status_code == 422
    assert "请填写资金使用情况" in html and "请填写已使用资助金额" in html and "请填写受益人数" in html
    assert ProjectReport.get_by_id(report.id).status == "draft"

    response = client.post(url(project, action="submit"), data=COMPLETE)
    assert response.status_code == 303
    report = ProjectReport.get_by_id(report.id)
    assert report.status == "submitted" and report.spent == pytest.approx(28000.5) and report.beneficiaries == 52
    html = text(client.get(url(project)))
    assert "已提交，待区管理员审核" in html and "提交给区管理员审核" not in html and "28,000.50 元" in html

    # The district admin finds it in 待办 and in the queue, and returns it in place with a comment.
    login(client, district_admin)
    home = text(client.get("/"))
    assert "1 份项目报告待审核" in home and 'href="/projects/reports/"' in home
    queue = text(client.get("/projects/reports/"))
    assert "中期报告：银龄守护计划" in queue and "新华路街道睦邻互助会" in queue
    response = client.post(f"/projects/reports/{report.id}/return", data={"reason": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and "请写明理由" in text(response)
    response = client.post(f"/projects/reports/{report.id}/return", data={"reason": "请补充资金使用明细"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and f'id="project-report-{report.id}"' in text(response)
    assert "已退回修改" in text(response)
    assert ProjectReport.get_by_id(report.id).status == "returned"
    assert "项目报告待审核" not in text(client.get("/"))

    # The organization's admin sees the comment at home and on the report, corrects it and submits again.
    login(client, org_admin)
    home = text(client.get("/"))
    assert "项目报告被退回：银龄守护计划" in home and "请补充资金使用明细" in home
    assert f'href="{url(project)}"' in home
    assert "请补充资金使用明细" in text(client.get(url(project)))
    response = client.post(url(project, action="submit"), data={**COMPLETE, "spending": "物资 20000 元（附明细）"})
    assert response.status_code == 303 and ProjectReport.get_by_id(report.id).status == "submitted"

    login(client, district_admin)
    response = client.post(f"/projects/reports/{report.id}/accept")
    assert response.status_code == 303 and response.headers["Location"].endswith("/projects/reports/#queue")
    report = ProjectReport.get_by_id(report.id)
    assert report.status == "accepted" and report.decided_by_id == district_admin.id
    assert "没有待审核的项目报告" in text(client.get("/projects/reports/"))
    actions = [a.action for a in AuditLog.select().where(AuditLog.target_type == "projectreport",
                                                          AuditLog.target_id == report.id).order_by(AuditLog.id)]
    # (a submission that lacked something still saved what it held)
    assert actions == ["project_report.create", "project_report.save", "project_report.save", "project_report.submit",
                       "project_report.return", "project_report.save", "project_report.submit",
                       "project_report.accept"]

    # Accepted: no longer editable, and the final report opens.
    login(client, org_admin)
    page = section(text(client.get(f"/projects/{project.id}/")))
    assert "已通过" in page and "填写中期报告" not in page and "填写结项报告" in page
    assert client.post(url(project), data=COMPLETE).status_code == 409
    assert client.post(url(project, "final", "submit"), data=COMPLETE).status_code == 303
    assert ProjectReport.get(ProjectReport.project == project.id, ProjectReport.kind == "final").status == "submitted"


def test_spending_beyond_the_grant_is_refused_beside_the_field(client, project, org_admin):
    login(client, org_admin)
    response = client.post(url(project, action="submit"), data={**COMPLETE, "spent": "150000.01"})
    html = text(response)
    assert response.status_code == 422
    field = html.split('name="spent"', 1)[1].split('<div class="field', 1)[0]
    assert "已使用金额不能超过资助金额 150,000 元" in field
    assert 'value="150000.01"' in html  # the input is kept
    assert not ProjectReport.select().exists()
    # Exactly the grant is fine.
    assert client.post(url(project, action="submit"), data={**COMPLETE, "spent": "150000"}).status_code == 303


@pytest.mark.parametrize("spent", ["abc", "-1", "1e400", "NaN", "-Infinity", "sNaN", "1.5e-3000", "12.345"])
def test_a_bad_amount_comes_back_with_a_message(client, project, org_admin, spent):
    login(client, org_admin)
    response = client.post(url(project), data={**COMPLETE, "spent": spent})
    assert response.status_code == 422
    assert '<p class="error" role="alert">' in text(response).split('name="spent"', 1)[1].split('<div class="field')[0]
    assert not ProjectReport.select().exists()


def test_another_orgs_admin_and_the_public_do_not_find_it(app, client, project, org_admin, make_org, make_user):
    login(client, org_admin)
    client.post(url(project, action="submit"), data=COMPLETE)
    report = ProjectReport.get()

    public = app.test_client()
    assert section(text(public.get(f"/projects/{project.id}/"))) == ""  # the public sees no reports
    assert public.get(url(project)).status_code == 302  # to the login page

    stranger = make_org("xinhua").memberships.get().user
    login(client, stranger)
    assert section(text(client.get(f"/projects/{project.id}/"))) == ""
    for kind in ("midterm", "final"):
        assert client.get(url(project, kind)).status_code == 404
        assert client.post(url(project, kind), data=COMPLETE).status_code == 404
        assert client.post(url(project, kind, "submit"), data=COMPLETE).status_code == 404
    assert client.post(f"/projects/reports/{report.id}/accept").status_code == 403
    assert client.get(url(project, "interim")).status_code == 404

    other_moderator = make_user("street_moderator", street="tianshan")
    login(client, other_moderator)
    assert client.get(url(project)).status_code == 404
    assert ProjectReport.get_by_id(report.id).status == "submitted"


def test_members_and_the_street_read_it_but_only_the_admins_write(client, project, org, org_admin, make_user,
                                                                  district_admin):
    login(client, org_admin)
    client.post(url(project), data=COMPLETE)
    volunteer = make_user(name="志愿者")
    org.memberships.model.create(user=volunteer, organization=org, role="volunteer")
    for reader in (volunteer, make_user("street_moderator", street="xinhua"), district_admin):
        login(client, reader)
        html = text(response := client.get(url(project)))
        assert response.status_code == 200
        assert "开展探访 40 次" in html and 'name="progress"' not in html
        assert "填写中期报告" not in section(text(client.get(f"/projects/{project.id}/")))
        assert client.post(url(project), data=COMPLETE).status_code == 403
    # The moderator decides on events' reports, not on projects'.
    client.post(url(project, action="submit"))
    login(client, make_user("street_moderator", street="xinhua"))
    assert client.post(f"/projects/reports/{ProjectReport.get().id}/accept").status_code == 403


def test_another_districts_admin_cannot_decide(client, project, org_admin, make_user):
    from models import District, Street

    login(client, org_admin)
    client.post(url(project, action="submit"), data=COMPLETE)
    xuhui = District.create(code="310104", name="徐汇区")
    Street.create(district=xuhui, code="310104003", slug="tianping", name="天平路街道")
    login(client, make_user("district_admin", district=xuhui))
    assert "银龄守护计划" not in text(client.get("/projects/reports/"))
    assert "项目报告待审核" not in text(client.get("/"))
    assert client.post(f"/projects/reports/{ProjectReport.get().id}/accept").status_code == 404
    assert client.get(url(project)).status_code == 404
    assert ProjectReport.get().status == "submitted"


def test_the_final_report_opens_after_the_projects_period(client, project, org_admin):
    login(client, org_admin)
    assert client.post(url(project, "final"), data=COMPLETE).status_code == 409
    assert "中期报告通过后（或项目周期结束后）才能填写结项报告" in text(client.get(url(project, "final")))
    Proposal.update(ends_on=local_now().date() - datetime.timedelta(days=2)).where(
        Proposal.id == project.id).execute()
    assert "填写结项报告" in section(text(client.get(f"/projects/{project.id}/")))
    assert client.post(url(project, "final"), data=COMPLETE).status_code == 303


def test_the_project_page_lists_its_events_reports_linked_for_those_who_may_read_them(
    client, project, org, org_admin, make_event, make_user
):
    here = make_event(org, status="ended", starts_in=-datetime.timedelta(days=3), title="邻里探访", project=project)
    for n in range(3):
        CheckIn.create(event=here, name="居民", phone=f"1360000000{n}", number=n + 1)
    Report.create(event=here, status="submitted")
    from models import Street

    away = make_event(org, status="ended", starts_in=-datetime.timedelta(days=2), title="跨街健康讲座",
                      project=project, street=Street.get(Street.slug == "tianshan"))
    make_event(org, status="cancelled", title="取消的活动", project=project)

    login(client, org_admin)
    page = section(text(client.get(f"/projects/{project.id}/")))
    assert "邻里探访" in page and "签到 3 人" in page and "已提交，待街镇审核" in page
    assert "跨街健康讲座" in page and "未填写报告" in page and "取消的活动" not in page
    assert f'href="/events/{here.id}/report"' in page

    # Xinhua's moderator reads the report of the event held in Xinhua, not the one held in Tianshan.
    login(client, make_user("street_moderator", street="xinhua"))
    Report.create(event=away, status="submitted")
    page = section(text(client.get(f"/projects/{project.id}/")))
    assert f'href="/events/{here.id}/report"' in page
    assert "跨街健康讲座" in page and f'href="/events/{away.id}/report"' not in page


def project_report_routes(org, district_admin):
    """For tests/test_access.py and tests/test_hostile.py: a project of ``org`` funded by ``district_admin``'s
    district, with a draft mid-term report (to read, save, submit) and two submitted final reports of two more
    projects (one to accept, one to return); {(endpoint, argument): value}."""
    campaign = make_campaign(district_admin, published=True)
    campaign.results_published_at = utcnow()
    campaign.save()
    project, accepting, returning = (
        Proposal.create(campaign=campaign, organization=org, title=f"项目{n}", decision="funded", amount_granted=1000)
        for n in range(3)
    )
    ProjectReport.create(project=project, kind="midterm")
    submitted = [ProjectReport.create(project=p, kind="midterm", status="submitted", progress="p", spending="s",
                                      spent=10, beneficiaries=1) for p in (accepting, returning)]
    own = ("project_reports.edit", "project_reports.save", "project_reports.submit")
    return {
        **{(endpoint, "proposal_id"): project.id for endpoint in own},
        **{(endpoint, "kind"): "midterm" for endpoint in own},
        ("project_reports.accept", "report_id"): submitted[0].id,
        ("project_reports.return_", "report_id"): submitted[1].id,
    }


def project_report_paths(org, district_admin):
    """For tests/test_hostile.py: project_report_routes as {endpoint: {argument: value}}."""
    paths = {}
    for (endpoint, name), value in project_report_routes(org, district_admin).items():
        paths.setdefault(endpoint, {})[name] = value
    return paths
