"""The street office's organizations: the filtered list, each one's profile and timeline, and the record it keeps
(status, grade, 年报, remarks), each change on the timeline and in the audit log."""
import datetime
import re

import pytest

from core.timeutil import local_now
from models import AuditLog, CheckIn, MonthEntry, Organization, OrgNote, Proposal, Report, Signal, db
from tests.conftest import csrf_from, login
from tests.test_campaigns import make_campaign
from tests.test_recap import make_month

DAY = datetime.timedelta(days=1)


def text(response):
    return response.get_data(as_text=True)


@pytest.fixture
def moderator(make_user):
    return make_user("street_moderator", street="xinhua", name="新华管理员")


def names_in(html, *names):
    return [name for name in names if name in html]


def post(client, url, data, page):
    return client.post(url, data={**data, "csrf_token": csrf_from(text(page))})


# --- the list --------------------------------------------------------------------------------------------------------


def test_filters_narrow_the_list(client, moderator, make_org):
    make_org(name="长者之家", kind="social_service", credit_code="52310105MJ0000001X",
             service_fields="elderly,culture_sports", grade="3A", grade_year=2024)
    make_org(name="青苗课堂", kind="community", service_fields="youth")
    make_org(name="睦邻议事会", kind="community", service_fields="governance", status="flagged")
    noisy = make_org(name="热心环保社", kind="community", service_fields="environment")
    make_org("tianshan", name="别的街镇的组织")
    Signal.create(kind="zombie", organization=noisy, street=noisy.street, subject="org", reason="已 210 天没有活动",
                  fingerprint="a")
    login(client, moderator)
    everything = text(client.get("/streets/xinhua/orgs"))
    assert names_in(everything, "长者之家", "青苗课堂", "睦邻议事会", "热心环保社") == [
        "长者之家", "青苗课堂", "睦邻议事会", "热心环保社"]
    assert "别的街镇的组织" not in everything
    assert "共 4 个组织" in everything
    cases = {
        "kind=social_service": ["长者之家"],
        "field=culture_sports": ["长者之家"],
        "field=youth": ["青苗课堂"],
        "grade=3A": ["长者之家"],
        "grade=none": ["青苗课堂", "睦邻议事会", "热心环保社"],
        "grade=5A": [],
        "status=flagged": ["睦邻议事会"],
        "signal=open": ["热心环保社"],
        "q=52310105mj0000001x": ["长者之家"],
        "q=课堂&kind=community": ["青苗课堂"],
        "kind=nonsense": ["长者之家", "青苗课堂", "睦邻议事会", "热心环保社"],
    }
    for query, expected in cases.items():
        html = text(client.get(f"/streets/xinhua/orgs?{query}"))
        assert names_in(html, "长者之家", "青苗课堂", "睦邻议事会", "热心环保社") == expected, query
        assert f"共 {len(expected)} 个组织" in html, query
    flagged = text(client.get("/streets/xinhua/orgs?signal=open"))
    assert "1 条风险提示" in flagged
    # An htmx swap gets the list alone; the console offers the same filters.
    part = text(client.get("/streets/xinhua/orgs?grade=3A", headers={"HX-Request": "true"}))
    assert part.lstrip().startswith('<div id="org-list">') or 'id="org-list"' in part.split("\n", 3)[2]
    assert "<html" not in part
    console = text(client.get("/streets/xinhua/"))
    for name in ("kind", "field", "grade", "status", "signal"):
        assert f'name="{name}"' in console
    assert "/streets/xinhua/orgs/" in console  # names link to the profiles
    assert "1 条风险提示" in console


def test_the_list_is_paged(client, moderator, make_org, monkeypatch):
    from blueprints.orgs import profile_views

    monkeypatch.setattr(profile_views, "PER_PAGE", 2)
    for n in range(3):
        make_org(name=f"组织{n}号")
    login(client, moderator)
    first = text(client.get("/streets/xinhua/orgs?kind=community"))
    assert "共 3 个组织" in first and "组织0号" in first and "组织2号" not in first
    following = re.search(r'href="([^"]*page=2[^"]*)"', first).group(1)
    assert "kind=community" in following
    second = text(client.get("/streets/xinhua/orgs?kind=community&page=2"))
    assert "组织2号" in second and "组织0号" not in second


# --- the profile -----------------------------------------------------------------------------------------------------


def test_the_profile_shows_details_members_and_timeline(client, moderator, make_user, make_org, make_event):
    admin = make_user(name="张会长", phone="13912345678")
    org = make_org(name="长者之家", admin=admin, grade="2A", grade_year=2023,
                   annual_report_year=local_now().year - 1)
    ended = make_event(org, status="ended", starts_in=-3 * DAY, title="重阳登高")
    for number in range(3):
        CheckIn.create(event=ended, name=f"居民{number}", phone=f"1390000000{number}", number=number + 1)
    CheckIn.create(event=ended, name="撤销的", phone="13900000009", number=9, undone_at=ended.ends_at)
    make_event(org, status="published", title="太极晨练")
    make_event(org, status="draft", title="还在起草")
    Report.create(event=ended, status="submitted", submitted_at=ended.ends_at + DAY)
    contest = make_campaign(moderator_district_admin(make_user), published=True)
    Proposal.create(campaign=contest, organization=org, title="银龄互助", status="submitted",
                    submitted_at=ended.ends_at)
    month = make_month(moderator_district_admin(make_user))
    MonthEntry.create(campaign=month, organization=org, theme="长者健康月", planned_events=2, contact_name="张",
                      contact_phone="13812345678")
    Signal.create(kind="zero_checkin", organization=org, street=org.street, subject="event:1",
                  reason="活动结束后没有人签到", fingerprint="x")
    login(client, moderator)
    html = text(client.get(f"/streets/xinhua/orgs/{org.id}"))
    assert "长者之家" in html
    assert "2A（2023 年评定）" in html
    assert f"{local_now().year - 1} 年度年报已报送" in html
    assert "张会长" in html and "139****5678" in html and "13912345678" not in html
    assert "零签到" in html and "活动结束后没有人签到" in html
    assert "重阳登高" in html and "签到 3 人" in html
    assert "太极晨练" in html and "还在起草" not in html
    assert "《重阳登高》的活动报告" in html
    assert "银龄互助" in html and "长者健康月" in html
    # Newest first: the upcoming event, then the report, then the ended event.
    assert html.index("太极晨练") < html.index("《重阳登高》的活动报告") < html.index("签到 3 人")
    # The organization's own page leads its street's watchers here.
    assert f"/streets/xinhua/orgs/{org.id}" in text(client.get(f"/orgs/{org.id}/manage"))
    login(client, admin)
    assert "/streets/xinhua/orgs/" not in text(client.get(f"/orgs/{org.id}/manage"))


def moderator_district_admin(make_user):
    return make_user("district_admin", name="区管理员")


def test_annual_report_not_filed_says_so(client, moderator, make_org):
    org = make_org(annual_report_year=local_now().year - 3)
    login(client, moderator)
    html = text(client.get(f"/streets/xinhua/orgs/{org.id}"))
    assert f"{local_now().year - 1} 年度年报未报送" in html
    assert f"最近报送：{local_now().year - 3} 年度" in html


def test_other_streets_and_strangers_meet_a_404(client, make_user, make_org):
    org = make_org("xinhua")
    for user in (make_user("street_moderator", street="tianshan"), make_user()):
        login(client, user)
        assert client.get(f"/streets/xinhua/orgs/{org.id}").status_code == 404
        assert client.get("/streets/xinhua/orgs").status_code == 404
    mine = make_user("street_moderator", street="tianshan")
    login(client, mine)
    # Its own street's address does not reach another street's organization either.
    assert client.get(f"/streets/tianshan/orgs/{org.id}").status_code == 404
    page = client.get("/streets/tianshan/orgs")
    response = client.post(f"/streets/tianshan/orgs/{org.id}/notes",
                           data={"text": "x", "csrf_token": csrf_from(text(page))})
    assert response.status_code == 404
    assert not OrgNote.select().exists()


# --- the record ------------------------------------------------------------------------------------------------------


def change(client, org, path, data):
    page = client.get(f"/streets/xinhua/orgs/{org.id}")
    response = post(client, f"/streets/xinhua/orgs/{org.id}/{path}", data, page)
    assert response.status_code == 303, text(response)
    return text(client.get(response.headers["Location"]))


def audit(org, action):
    return AuditLog.get(AuditLog.action == action, AuditLog.target_type == "organization", AuditLog.target_id == org.id)


def test_each_change_is_on_the_timeline_and_in_the_audit_log(client, moderator, make_org):
    org = make_org(name="睦邻议事会")
    login(client, moderator)

    html = change(client, org, "status", {"status": "flagged", "note": "连续半年无活动，走访未见"})
    assert "已修改组织状态" in html
    assert "正常 → 活动异常" in html and "连续半年无活动，走访未见" in html
    assert Organization.get_by_id(org.id).status == "flagged"
    assert "连续半年无活动" in audit(org, "organization.status").detail
    assert audit(org, "organization.status").actor_id == moderator.id

    html = change(client, org, "grade", {"grade": "3A", "year": "2025", "note": "区民政局评估结果"})
    assert "无等级 → 2025 年 3A" in html and "3A（2025 年评定）" in html
    assert (Organization.get_by_id(org.id).grade, Organization.get_by_id(org.id).grade_year) == ("3A", 2025)
    assert "区民政局评估结果" in audit(org, "organization.grade").detail

    last = local_now().year - 1
    html = change(client, org, "annual-report", {"year": str(last), "filed": "yes", "note": "已在系统报送"})
    assert f"{last} 年度年报：已报送" in html and f"{last} 年度年报已报送" in html
    assert Organization.get_by_id(org.id).annual_report_year == last
    html = change(client, org, "annual-report", {"year": str(last), "filed": "no", "note": "报送材料被退回"})
    assert f"{last} 年度年报未报送" in html
    assert Organization.get_by_id(org.id).annual_report_year == last - 1

    html = change(client, org, "notes", {"text": "负责人换了，新联系人王先生"})
    assert "负责人换了，新联系人王先生" in html
    assert audit(org, "organization.note").actor_id == moderator.id

    html = change(client, org, "grade", {"grade": "", "year": "", "note": "等级到期"})
    assert "2025 年 3A → 无等级" in html
    assert Organization.get_by_id(org.id).grade is None
    # Newest first on the timeline.
    assert html.index("等级到期") < html.index("负责人换了") < html.index("正常 → 活动异常")
    assert OrgNote.select().where(OrgNote.organization == org).count() == 6


def test_bad_input_is_422_beside_the_field_and_kept(client, moderator, make_org):
    org = make_org()
    login(client, moderator)
    url = f"/streets/xinhua/orgs/{org.id}"
    cases = [
        ("status", {"status": "flagged", "note": ""}, "note", "请写明说明"),
        ("status", {"status": "active", "note": "核实"}, "status", "状态没有变化"),
        ("status", {"status": "pending", "note": "核实"}, "status", "不是有效的选择"),
        ("grade", {"grade": "3A", "year": "", "note": "评估"}, "year", "请填写评估年份"),
        ("grade", {"grade": "3A", "year": "", "note": ""}, "year", "请填写评估年份"),
        ("grade", {"grade": "3A", "year": "二〇二五", "note": "评估"}, "year", "请填写四位数的年份"),
        ("grade", {"grade": "3A", "year": "1999", "note": "评估"}, "year", "年份应在 2000 到"),
        ("grade", {"grade": "6A", "year": "2025", "note": "评估"}, "grade", "不是有效的选择"),
        ("annual-report", {"year": "2025", "filed": "", "note": "核实"}, "filed", "请选择是否已报送"),
        ("annual-report", {"year": "", "filed": "yes", "note": "核实"}, "year", "请填写年度"),
        ("notes", {"text": "   "}, "text", "请填写备注"),
    ]
    for path, data, name, message in cases:
        page = client.get(url)
        response = post(client, f"{url}/{path}", data, page)
        assert response.status_code == 422, (path, data)
        html = text(response)
        at = html.index(f'name="{name}"', html.index(f'action="{url}/{path}"'))
        block = html[html.rindex('<div class="field', 0, at):html.find('<div class="field', at + 1)]
        assert message in block, (path, data)
        for value in data.values():
            if value.strip() and value not in ("active", "pending", "yes", "6A", "3A"):
                assert value in html, (path, value)
    assert not OrgNote.select().exists() and not AuditLog.select().where(
        AuditLog.action.startswith("organization.")).exists()
    assert Organization.get_by_id(org.id).status == "active"


def test_a_pending_organizations_status_is_for_admit_or_decline(client, moderator, make_org):
    org = make_org(status="pending")
    login(client, moderator)
    page = client.get(f"/streets/xinhua/orgs/{org.id}")
    assert "其状态由审核决定" in text(page) and f'action="/streets/xinhua/orgs/{org.id}/status"' not in text(page)
    response = post(client, f"/streets/xinhua/orgs/{org.id}/status", {"status": "active", "note": "直接通过"}, page)
    assert response.status_code == 409
    assert Organization.get_by_id(org.id).status == "pending"


def test_the_timeline_is_paged(client, moderator, make_org, monkeypatch):
    from blueprints.orgs import queries

    monkeypatch.setattr(queries, "TIMELINE_PAGE", 3)
    org = make_org()
    for n in range(5):
        OrgNote.create(organization=org, author=moderator, text=f"第{n}条备注",
                       created_at=org.created_at + datetime.timedelta(minutes=n + 1))
    login(client, moderator)
    first = text(client.get(f"/streets/xinhua/orgs/{org.id}"))
    assert names_in(first, *(f"第{n}条备注" for n in range(5))) == ["第2条备注", "第3条备注", "第4条备注"]
    assert "更早的记录" in first
    second = text(client.get(f"/streets/xinhua/orgs/{org.id}?page=2"))
    assert names_in(second, *(f"第{n}条备注" for n in range(5))) == ["第0条备注", "第1条备注"]
    assert "组织登记" in second and "更早的记录" not in second


def test_the_profile_and_the_list_make_a_fixed_number_of_queries(client, app, moderator, make_org, make_event):
    org = make_org()
    login(client, moderator)
    statements = []
    original = db.obj.execute_sql

    def counting(sql, *args, **kwargs):
        statements.append(sql)
        return original(sql, *args, **kwargs)

    def count(url):
        statements.clear()
        db.obj.execute_sql = counting
        try:
            assert client.get(url).status_code == 200
        finally:
            db.obj.execute_sql = original
        return len(statements)

    def add(n):
        event = make_event(org, status="ended", starts_in=-(n + 2) * DAY)
        CheckIn.create(event=event, name="居民", phone=f"1390000{n:04d}", number=1)
        Report.create(event=event, status="submitted", submitted_at=event.ends_at)
        OrgNote.create(organization=org, author=moderator, text=f"备注{n}")
        other = make_org()
        Signal.create(kind="zombie", organization=other, street=other.street, subject="org", fingerprint="f")

    add(0)
    before = count(f"/streets/xinhua/orgs/{org.id}"), count("/streets/xinhua/orgs?signal=open&field=elderly")
    for n in range(1, 13):
        add(n)
    after = count(f"/streets/xinhua/orgs/{org.id}"), count("/streets/xinhua/orgs?signal=open&field=elderly")
    assert after == before
