"""An organization's year page: a world with known numbers shows them; other years, other organizations and events
never held are left out; its members, its street office and the district admin read it, nobody else."""
import datetime
import re
from decimal import Decimal

import pytest

from blueprints.year import queries
from core.timeutil import local_now, to_utc
from models import Campaign, CheckIn, District, Membership, MonthEntry, Proposal, Report, Shift, db
from tests.conftest import login

#: Last year: every event of it is over whatever the day the tests run.
YEAR = local_now().year - 1
HOUR = datetime.timedelta(hours=1)


def at(month, day, hour=14, minute=0, year=YEAR):
    """A Shanghai wall-clock moment as the database keeps it (naive UTC)."""
    return to_utc(datetime.datetime(year, month, day, hour, minute))


def text(response):
    return response.get_data(as_text=True)


def squeeze(html):
    return re.sub(r"\s+", " ", html)


def stat(html, element_id):
    """The big number of a count on the page."""
    match = re.search(rf'id="{element_id}"[^>]*><strong>([^<]*)</strong>', html)
    return match.group(1)


def district():
    return District.get(District.code == "310105")


def contest(name, results_at=None):
    return Campaign.create(district=district(), kind="contest", name=name, application_opens_at=at(1, 1),
                           application_closes_at=at(2, 1), results_published_at=results_at)


def check_in(event, phone, method="qr", number=1, **extra):
    return CheckIn.create(event=event, name="居民", phone=phone, method=method, number=number, **extra)


@pytest.fixture
def world(app, make_user, make_org, make_event):
    """An organization of Xinhua with a year of known numbers, and everything that must not count."""
    admin = make_user(name="组织管理员")
    org = make_org("xinhua", admin=admin, name="华阳为老服务社")
    volunteers = [make_user(name=f"志愿者{n}") for n in (1, 2)]
    for volunteer in volunteers:
        Membership.create(user=volunteer, organization=org, role="volunteer")
    month = Campaign.create(district=district(), kind="month", name="第十六届公益伙伴月", theme="携手",
                            application_opens_at=at(4, 1), application_closes_at=at(4, 20), starts_at=at(5, 1, 0),
                            ends_at=at(6, 1, 0))

    def held(status, starts_at, **extra):
        return make_event(org, status=status, starts_at=starts_at, ends_at=starts_at + 2 * HOUR, **extra)

    # New Year's morning in Shanghai is still the old year in UTC: it counts in January.
    new_year = held("published", at(1, 1, 0, 30), title="元旦迎新")
    Report.create(event=new_year, status="returned", return_note="缺照片")
    march = held("reported", at(3, 10), title="银发太极拳")
    Report.create(event=march, status="accepted")
    check_in(march, "13900000001", number=1)
    check_in(march, "13900000002", number=2)
    check_in(march, "13900000003", method="manual", number=3)
    check_in(march, "13900000004", number=4, undone_at=march.ends_at)  # undone: it does not count
    Shift.create(event=march, volunteer=volunteers[0], started_at=march.starts_at - datetime.timedelta(minutes=10),
                 ended_at=march.ends_at)  # 130 minutes: 2 hours by the default rule
    Shift.create(event=march, volunteer=volunteers[1], started_at=march.starts_at, ended_at=march.ends_at,
                 corrected_hours=Decimal("1.5"), correction_reason="提前离开")
    july = held("ended", at(7, 5), title="社区义诊", campaign=month)
    Report.create(event=july, status="submitted")
    check_in(july, "13900000001", number=1)  # the same resident again
    check_in(july, "13900000005", method="manual", number=2)
    Shift.create(event=july, volunteer=volunteers[0], started_at=july.starts_at,
                 ended_at=july.starts_at + datetime.timedelta(minutes=60))
    overdue = held("ended", at(7, 20), title="垃圾分类宣传")
    check_in(overdue, None, number=1, erased_at=overdue.ends_at)  # purged: a check-in, no longer a resident

    # Not held, or not this year's, or not this organization's.
    cancelled = held("cancelled", at(8, 1), title="取消的活动")
    check_in(cancelled, "13900000006")
    held("draft", at(9, 1), title="草稿活动")
    last_year = held("reported", at(12, 31, 23, 30, year=YEAR - 1), title="去年跨年夜")
    check_in(last_year, "13900000007")
    Shift.create(event=last_year, volunteer=volunteers[0], started_at=last_year.starts_at, ended_at=last_year.ends_at)
    other = make_org("xinhua", name="别的组织")
    check_in(make_event(other, status="ended", starts_at=at(7, 5), ends_at=at(7, 5, 16), title="别人的活动"),
             "13900000008")

    # 公益创投: one proposal submitted in the year; a draft, a withdrawn one and last year's do not count.
    ninth = contest("第九届公益创投大赛", results_at=at(6, 30))
    tenth = contest("第十届公益创投大赛")
    Proposal.create(campaign=tenth, organization=org, title="长者食堂", status="eligible", submitted_at=at(3, 1))
    Proposal.create(campaign=tenth, organization=org, title="草稿申报", status="draft")
    Proposal.create(campaign=tenth, organization=org, title="撤回的申报", status="withdrawn", submitted_at=at(3, 2))
    # 立项 in the year: two projects of the ninth contest (results published at the end of June).
    Proposal.create(campaign=ninth, organization=org, title="独居老人探访", status="eligible", decision="funded",
                    amount_granted=80000, submitted_at=at(2, 1, year=YEAR - 1))
    Proposal.create(campaign=ninth, organization=org, title="助残手工坊", status="eligible", decision="funded",
                    amount_granted=20000, submitted_at=at(2, 2, year=YEAR - 1))
    Proposal.create(campaign=ninth, organization=org, title="未立项的", status="eligible", decision="unfunded")
    Proposal.create(campaign=contest("第八届", results_at=at(6, 30, year=YEAR - 1)), organization=org,
                    title="前年的项目", status="eligible", decision="funded", amount_granted=50000)

    MonthEntry.create(campaign=month, organization=org, theme="敬老月", planned_events=3, contact_name="王",
                      contact_phone="13812345678", status="confirmed")
    return {"org": org, "admin": admin, "volunteer": volunteers[0], "other": other}


def test_the_page_shows_the_years_numbers(client, world):
    login(client, world["admin"])
    response = client.get(f"/orgs/{world['org'].id}/year/{YEAR}")
    html = text(response)
    assert response.status_code == 200
    assert f"{YEAR} 年度工作概览" in html and "华阳为老服务社" in html
    assert stat(html, "total-events") == "4"
    assert stat(html, "total-checkins") == "6"  # 4 by QR (one purged), 2 by a volunteer; the undone one left out
    assert stat(html, "total-residents") == "4"
    assert stat(html, "total-volunteers") == "2"
    assert stat(html, "total-hours") == "4.5"  # 2 + 1.5 (corrected) + 1
    assert stat(html, "total-granted") == "100,000"
    assert stat(html, "reports-accepted") == "1"
    assert stat(html, "reports-submitted") == "1"
    assert stat(html, "reports-overdue") == "2"
    flat = squeeze(html)
    assert "4 人次" in squeeze(html.split('id="checkins-qr"')[1][:40])
    assert "2 人次" in squeeze(html.split('id="checkins-manual"')[1][:40])
    months = re.findall(r"<span>(\d+)月</span><strong>(\d+)</strong>", html)
    assert [int(n) for _, n in months] == [1, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0]
    for title in ("元旦迎新", "银发太极拳", "社区义诊", "垃圾分类宣传"):
        assert title in html
    left_out = ("取消的活动", "草稿活动", "去年跨年夜", "别人的活动",
                "草稿申报", "撤回的申报", "未立项的", "前年的项目")
    for title in left_out:
        assert title not in html
    assert "提交项目申报 1 份" in flat and "长者食堂" in flat
    assert "立项项目 2 个" in flat and "独居老人探访" in flat and "80,000 元" in flat
    assert "第十六届公益伙伴月" in flat and "已确认" in flat and "已举办 1 场" in flat
    assert "逾期未交" in flat
    assert "13900000001" not in html  # no resident's phone on the page


def test_each_event_shows_its_checkins_and_report(client, world):
    login(client, world["admin"])
    html = text(client.get(f"/orgs/{world['org'].id}/year/{YEAR}"))
    rows = {m.group(1): squeeze(m.group(2)) for m in re.finditer(r'<tr id="event-\d+">(.*?)</tr>', html, re.S)
            for m in [re.search(r">([^<>]+)</a></th>(.*)", m.group(1), re.S)]}
    assert "3" in rows["银发太极拳"].split("（")[0] and "（扫码 2 / 人工 1）" in rows["银发太极拳"]
    assert "已通过" in rows["银发太极拳"] and "3.5 小时" in rows["银发太极拳"]
    assert "待街镇审核" in rows["社区义诊"]
    assert "逾期未交" in rows["垃圾分类宣传"] and "逾期未交" in rows["元旦迎新"]


def test_another_year_counts_only_its_own(client, world):
    login(client, world["admin"])
    html = text(client.get(f"/orgs/{world['org'].id}/year/{YEAR - 1}"))
    assert stat(html, "total-events") == "1"  # 去年跨年夜
    assert stat(html, "total-checkins") == "1"
    assert stat(html, "total-granted") == "50,000"
    assert "去年跨年夜" in html and "银发太极拳" not in html


def test_the_year_picker_offers_the_years_with_data(client, world):
    login(client, world["admin"])
    html = text(client.get(f"/orgs/{world['org'].id}/year/{YEAR}"))
    picker = html.split('class="year-picker')[1].split("</nav>")[0]
    years = [int(y) for y in re.findall(r"(\d{4}) 年", picker)]
    assert years == [YEAR + 1, YEAR, YEAR - 1]  # this year is always there
    assert 'aria-current="page"' in picker
    assert f"/orgs/{world['org'].id}/year/{YEAR - 1}" in picker


def test_the_bare_address_opens_this_year(client, world):
    login(client, world["admin"])
    response = client.get(f"/orgs/{world['org'].id}/year")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/orgs/{world['org'].id}/year/{local_now().year}")
    html = text(client.get(response.headers["Location"]))
    assert "这一年还没有举办过的活动" in html


def test_the_page_is_printable(client, world):
    login(client, world["admin"])
    html = text(client.get(f"/orgs/{world['org'].id}/year/{YEAR}"))
    assert "data-print" in html and "打印" in html and "css/year.css" in html
    assert "<script>" not in html  # the print button works under the CSP: its script is a file
    response = client.get("/static/css/year.css")
    css = response.get_data(as_text=True)
    response.close()
    assert "@media print" in css and "A4" in css


@pytest.mark.parametrize("who", ["admin", "volunteer", "moderator", "district_admin"])
def test_its_members_and_watchers_read_it(client, world, make_user, who):
    users = {"moderator": lambda: make_user("street_moderator", street="xinhua"),
             "district_admin": lambda: make_user("district_admin")}
    login(client, world[who] if who in world else users[who]())
    assert client.get(f"/orgs/{world['org'].id}/year/{YEAR}").status_code == 200


@pytest.mark.parametrize("who", ["other_admin", "other_moderator", "reviewer", "resident", "other_district"])
def test_everyone_else_meets_a_404(client, world, make_user, who):
    if who == "other_admin":
        user = world["other"].memberships.get().user
    elif who == "other_moderator":
        user = make_user("street_moderator", street="tianshan")
    elif who == "reviewer":
        user = make_user("reviewer", district=district())
    elif who == "resident":
        user = make_user()
    else:
        xuhui = District.create(code="310104", name="徐汇区")
        user = make_user("district_admin", district=xuhui)
    login(client, user)
    assert client.get(f"/orgs/{world['org'].id}/year/{YEAR}").status_code == 404
    assert client.get(f"/orgs/{world['org'].id}/year").status_code == 404


def test_signed_out_visitors_are_asked_to_log_in(client, world):
    response = client.get(f"/orgs/{world['org'].id}/year/{YEAR}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("year", [0, 1, 1999, 2101, 99999])
def test_a_year_out_of_range_is_not_found(client, world, year):
    login(client, world["admin"])
    assert client.get(f"/orgs/{world['org'].id}/year/{year}").status_code == 404


def test_the_manage_page_and_the_public_page_link_it(client, world):
    login(client, world["volunteer"])
    for url in (f"/orgs/{world['org'].id}/manage", f"/orgs/{world['org'].id}/"):
        assert f'href="/orgs/{world["org"].id}/year"' in text(client.get(url))
    anonymous = client.application.test_client()
    assert "/year" not in text(anonymous.get(f"/orgs/{world['org'].id}/"))


def test_the_queries_do_not_grow_with_the_events(app, world, make_event):
    """Aggregated in SQL: the same number of statements for 4 events as for 24."""
    def count_queries():
        statements = []
        original = db.obj.execute_sql

        def counting(sql, *args, **kwargs):
            statements.append(sql)
            return original(sql, *args, **kwargs)

        db.obj.execute_sql = counting
        try:
            with app.test_request_context():
                queries.summary(world["org"], YEAR)
                queries.years_with_data(world["org"])
        finally:
            db.obj.execute_sql = original
        return len(statements)

    before = count_queries()
    for n in range(20):
        event = make_event(world["org"], status="ended", starts_at=at(10, 1 + n), ends_at=at(10, 1 + n, 16))
        check_in(event, f"137000000{n:02d}")
        Shift.create(event=event, volunteer=world["volunteer"], started_at=event.starts_at, ended_at=event.ends_at)
    assert count_queries() == before
