"""Risk signals as the street office meets them: each with its reason spelled out and the data behind it; marked as
looked at with a note, it stays closed until new data raises it again; other streets never see them."""
import datetime
import re

import pytest

from blueprints.signals.compute import findings
from blueprints.signals.operations import refresh
from models import AuditLog, CheckIn, Event, Report, Signal, Street, db, utcnow
from tests.conftest import login

DAY, MINUTE = datetime.timedelta(days=1), datetime.timedelta(minutes=1)


def text(response):
    return response.get_data(as_text=True)


def recompute(app, **kwargs):
    with app.app_context():
        return refresh(**kwargs)


def signals(kind, organization=None):
    query = Signal.select().where(Signal.kind == kind)
    if organization is not None:
        query = query.where(Signal.organization == organization)
    return list(query)


def burst(event, n, start, device="d" * 64, phone_from=0):
    for i in range(n):
        CheckIn.create(event=event, name="居民", phone=f"139{phone_from + i:08d}", number=phone_from + i + 1,
                       device=device, created_at=start + datetime.timedelta(seconds=i * 50 // n))


def signal_routes(org, make_event):
    """For tests/test_access.py and tests/test_hostile.py: an open signal of ``org`` (its event had no check-in)."""
    event = make_event(org, status="ended", starts_in=-3 * DAY)
    signal = Signal.create(kind="zero_checkin", organization=org, street=org.street, event=event,
                           subject=f"event:{event.id}", reason="活动没有一人签到", fingerprint="x")
    return {("signals.close", "signal_id"): signal.id}


@pytest.fixture
def moderator(make_user):
    return make_user("street_moderator", street="xinhua")


def test_an_organization_without_an_event_for_200_days_is_a_suspected_zombie_with_its_reason(
        app, client, make_org, make_event, moderator):
    now = utcnow()
    idle = make_org("xinhua", name="久未活动的协会", created_at=now - 400 * DAY)
    make_event(idle, status="ended", starts_in=-200 * DAY, title="去年的茶话会")
    busy = make_org("xinhua", name="活跃的协会", created_at=now - 400 * DAY)
    make_event(busy, status="ended", starts_in=-20 * DAY)
    never = make_org("xinhua", name="从未活动的协会", created_at=now - 400 * DAY)
    make_org("xinhua", name="新登记的协会", created_at=now - 100 * DAY)  # too new to tell
    recompute(app, street=Street.get(Street.slug == "xinhua"))

    assert {s.organization_id for s in signals("zombie")} == {idle.id, never.id}
    login(client, moderator)
    html = text(client.get("/streets/xinhua/signals?kind=zombie"))
    assert "久未活动的协会" in html and "活跃的协会" not in html
    assert "疑似僵尸" in html
    assert re.search(r"最近一次已发布的活动在 \d{4}年\d{1,2}月\d{1,2}日，已 200 天没有活动", html)
    assert "去年的茶话会" in html  # the data behind it
    assert "还没有发布过活动" in html
    assert re.search(r'<form method="post" action="/streets/xinhua/signals/\d+/close"[^>]*>\s*<input type="hidden" '
                     r'name="csrf_token"', html)


def test_a_burst_of_30_check_ins_from_one_device_raises_an_anomaly_closed_until_new_data(
        app, client, make_org, make_event, moderator):
    org = make_org("xinhua", name="社区舞蹈队")
    event = make_event(org, starts_in=-2 * datetime.timedelta(hours=1), title="广场舞")
    burst(event, 30, utcnow() - 90 * MINUTE)
    xinhua = Street.get(Street.slug == "xinhua")
    recompute(app, street=xinhua)
    [signal] = signals("checkin_anomaly")
    assert signal.status == "open" and signal.event_id == event.id
    login(client, moderator)
    html = text(client.get("/streets/xinhua/signals"))
    assert "签到异常" in html and "同一设备" in html and "签到 30 次" in html

    # 已查看 with a note, in place.
    url = f"/streets/xinhua/signals/{signal.id}/close"
    response = client.post(url, data={"note": "已电话核实，是志愿者代签"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="signal-{signal.id}"' in text(response) and "已电话核实，是志愿者代签" in text(response)
    assert Signal.get_by_id(signal.id).status == "closed"
    assert AuditLog.get(AuditLog.action == "signal.close").detail == "已电话核实，是志愿者代签"

    recompute(app, street=xinhua)  # the same data: stays closed
    assert Signal.get_by_id(signal.id).status == "closed"
    assert "签到 30 次" not in text(client.get("/streets/xinhua/signals"))

    burst(event, 25, utcnow() - 30 * MINUTE, phone_from=100)  # a new burst: open again
    recompute(app, street=xinhua)
    reopened = Signal.get_by_id(signal.id)
    assert reopened.status == "open" and reopened.raised_at > signal.raised_at
    assert "签到 25 次" in text(client.get("/streets/xinhua/signals"))


def test_check_ins_spread_out_or_undone_raise_nothing(app, make_org, make_event):
    org = make_org("xinhua")
    event = make_event(org, starts_in=-2 * datetime.timedelta(hours=1))
    for i in range(30):  # one a minute from the same phone-less kiosk
        CheckIn.create(event=event, name="居民", phone=f"137{i:08d}", number=i + 1, device="k" * 64,
                       created_at=utcnow() - 100 * MINUTE + i * MINUTE)
    recompute(app, street=Street.get(Street.slug == "xinhua"))
    assert signals("checkin_anomaly") == []


def test_one_phone_at_two_overlapping_events_is_an_anomaly(app, make_org, make_event):
    org = make_org("xinhua")
    first = make_event(org, starts_in=-3 * datetime.timedelta(hours=1), hours=2)
    second = make_event(make_org("xinhua"), starts_in=-2 * datetime.timedelta(hours=1), hours=2)
    for number, event in enumerate((first, second), 1):
        CheckIn.create(event=event, name="居民", phone="13912345678", number=number)
    recompute(app, street=Street.get(Street.slug == "xinhua"))
    found = {s.event_id: s for s in signals("checkin_anomaly")}
    assert set(found) == {first.id, second.id}
    assert "139****5678" in found[first.id].data and "13912345678" not in found[first.id].data
    assert "时间重叠" in found[first.id].reason


def test_an_event_that_ended_with_no_check_in_is_zero_check_in(app, client, make_org, make_event, moderator):
    org = make_org("xinhua")
    empty = make_event(org, status="ended", starts_in=-2 * DAY, title="无人到场的讲座")
    undone = make_event(org, status="ended", starts_in=-2 * DAY, title="签到撤销的讲座")
    CheckIn.create(event=undone, name="居民", phone="13900000001", number=1, undone_at=utcnow())
    attended = make_event(org, status="ended", starts_in=-2 * DAY)
    CheckIn.create(event=attended, name="居民", phone="13900000002", number=1)
    make_event(org, status="published", starts_in=DAY)  # not held yet
    recompute(app, street=Street.get(Street.slug == "xinhua"))
    assert {s.event_id for s in signals("zero_checkin")} == {empty.id, undone.id}
    login(client, moderator)
    html = text(client.get("/streets/xinhua/signals?kind=zero_checkin"))
    assert "零签到" in html and "活动「无人到场的讲座」" in html and "没有一人签到" in html


def test_a_report_overdue_is_a_signal_until_it_is_handed_in(app, client, make_org, make_event, moderator):
    org = make_org("xinhua")
    late = make_event(org, status="ended", starts_in=-10 * DAY, title="逾期的义诊")
    make_event(org, status="ended", starts_in=-3 * DAY)  # still within 7 days
    xinhua = Street.get(Street.slug == "xinhua")
    recompute(app, street=xinhua)
    [signal] = signals("report_overdue")
    assert signal.event_id == late.id and "已逾期 2 天" in signal.reason  # ended 9 days 22 hours ago
    login(client, moderator)
    assert "报告逾期" in text(client.get("/streets/xinhua/signals"))

    Report.create(event=late, status="submitted", submitted_at=utcnow())
    recompute(app, street=xinhua)
    assert Signal.get_by_id(signal.id).status == "cleared"
    assert "逾期的义诊" not in text(client.get("/streets/xinhua/signals?kind=report_overdue"))
    assert "逾期的义诊" in text(client.get("/streets/xinhua/signals?kind=report_overdue&status=cleared"))


def test_frequent_cancellations_and_a_missing_annual_report(app, make_org, make_event):
    now = utcnow()
    org = make_org("xinhua", created_at=now - 800 * DAY, annual_report_year=None)
    filed = make_org("xinhua", created_at=now - 800 * DAY, annual_report_year=now.year - 1)
    for _ in range(3):
        make_event(org, status="cancelled", starts_in=DAY, cancel_reason="下雨")
    make_event(filed, status="cancelled", starts_in=DAY)
    app.config["ANNUAL_REPORT_DUE"] = "01-01"  # the due day has passed (unless it is New Year's Day in Shanghai)
    recompute(app, street=Street.get(Street.slug == "xinhua"))
    [cancelled] = signals("cancellations")
    assert cancelled.organization_id == org.id and "取消了 3 场活动" in cancelled.reason
    annual = {s.organization_id: s for s in signals("annual_report")}
    if (now + 8 * datetime.timedelta(hours=1)).strftime("%m-%d") != "01-01":
        assert set(annual) == {org.id}
        assert f"{now.year - 1} 年度年报" in annual[org.id].reason


def test_a_note_is_required_and_other_streets_meet_a_404(app, client, make_org, make_event, moderator, make_user):
    org = make_org("xinhua")
    make_event(org, status="ended", starts_in=-2 * DAY)
    recompute(app)
    [signal] = signals("zero_checkin")
    login(client, moderator)
    response = client.post(f"/streets/xinhua/signals/{signal.id}/close", data={"note": "  "},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "请写下查看的情况" in text(response)
    response = client.post(f"/streets/xinhua/signals/{signal.id}/close", data={"note": ""})
    assert response.status_code == 422 and "请写下查看的情况" in text(response)
    assert Signal.get_by_id(signal.id).status == "open"

    login(client, make_user("street_moderator", street="tianshan"))
    assert client.get("/streets/xinhua/signals").status_code == 404
    assert client.post(f"/streets/tianshan/signals/{signal.id}/close", data={"note": "看过"}).status_code == 404
    assert client.post(f"/streets/xinhua/signals/{signal.id}/close", data={"note": "看过"}).status_code == 404
    assert client.get("/admin/signals").status_code == 403
    assert Signal.get_by_id(signal.id).status == "open"


def test_the_buttons_recompute_and_the_district_sees_kind_by_street(app, client, make_org, make_event, make_user):
    make_event(make_org("xinhua"), status="ended", starts_in=-2 * DAY)
    make_event(make_org("tianshan"), status="ended", starts_in=-2 * DAY)
    make_event(make_org("tianshan"), status="ended", starts_in=-3 * DAY)
    admin = make_user("district_admin")
    login(client, admin)
    response = client.post("/admin/signals/refresh")
    assert response.status_code == 303
    html = text(client.get("/admin/signals"))
    assert "零签到" in html and "天山路街道" in html
    rows = dict(re.findall(r'/streets/(\w+)/signals\?kind=zero_checkin">(\d+)</a>', html))
    assert rows == {"xinhua": "1", "tianshan": "2"}
    assert re.search(r"<tfoot>.*?>3</td>", html, re.S)

    moderator = make_user("street_moderator", street="xinhua")
    login(client, moderator)
    Event.update(status="cancelled").execute()  # nothing held any more
    assert client.post("/streets/xinhua/signals/refresh").status_code == 303
    assert Signal.select().where(Signal.status == "open").count() == 2  # tianshan's untouched
    assert re.search(r'id="signals-link"[^>]*>风险提示 0<', text(client.get("/streets/xinhua/")))
    login(client, make_user("street_moderator", street="tianshan"))
    assert re.search(r'id="signals-link"[^>]*>风险提示 2<', text(client.get("/streets/tianshan/")))


def test_the_scheduled_command(app, make_org, make_event):
    make_event(make_org("xinhua"), status="ended", starts_in=-2 * DAY)
    result = app.test_cli_runner().invoke(args=["compute-signals"])
    assert result.exit_code == 0, result.output
    assert "长宁区: 1 opened" in result.output
    result = app.test_cli_runner().invoke(args=["compute-signals"])
    assert "0 opened, 0 reopened, 1 still found, 0 cleared" in result.output


def count_statements(app, action):
    statements = []
    original = db.obj.execute_sql

    def counting(sql, *args, **kwargs):
        statements.append(sql)
        return original(sql, *args, **kwargs)

    db.obj.execute_sql = counting
    try:
        action()
    finally:
        db.obj.execute_sql = original
    return len(statements)


def test_the_computation_and_the_page_make_as_many_queries_for_many_signals_as_for_few(
        app, client, make_org, make_event, moderator):
    xinhua = Street.get(Street.slug == "xinhua")
    login(client, moderator)

    def add(n):
        for _ in range(n):
            org = make_org("xinhua", created_at=utcnow() - 400 * DAY)
            make_event(org, status="ended", starts_in=-200 * DAY)
            make_event(org, status="ended", starts_in=-2 * DAY)
            burst(make_event(org, starts_in=-2 * datetime.timedelta(hours=1)), 20, utcnow() - 90 * MINUTE)

    def compute():
        with app.app_context():
            findings(Street.select(Street.id).where(Street.id == xinhua.id))

    def page():
        assert client.get("/streets/xinhua/signals").status_code == 200
        assert moderator.name in text(client.get("/streets/xinhua/signals?status=closed"))  # who looked at them

    add(2)
    recompute(app, street=xinhua)
    Signal.update(status="closed", closed_by=moderator, closed_at=utcnow(), note="看过",
                  closed_fingerprint=Signal.fingerprint).where(
        Signal.kind == "report_overdue").execute()
    before = count_statements(app, compute), count_statements(app, page)
    add(8)
    recompute(app, street=xinhua)
    # 零签到 and 签到异常 open, 报告逾期 (of the event 200 days ago) open for the 8 new ones: for 10 organizations.
    assert Signal.select().where(Signal.status == "open").count() == 28
    assert (count_statements(app, compute), count_statements(app, page)) == before


def test_the_moderators_home_page_lists_the_signals_to_look_at(app, client, make_org, make_event, moderator):
    login(client, moderator)
    assert "风险提示待查看" not in text(client.get("/"))
    make_event(make_org("xinhua"), status="ended", starts_in=-2 * DAY)
    make_event(make_org("tianshan"), status="ended", starts_in=-2 * DAY)
    recompute(app)
    html = text(client.get("/"))
    assert "1 条风险提示待查看" in html and 'href="/streets/xinhua/signals"' in html
    assert "/streets/tianshan/signals" not in html


def test_a_signal_already_looked_at_by_someone_else_says_so(app, client, make_org, make_event, moderator, make_user):
    make_event(make_org("xinhua"), status="ended", starts_in=-2 * DAY)
    recompute(app)
    [signal] = signals("zero_checkin")
    login(client, make_user("district_admin"))
    assert client.post(f"/streets/xinhua/signals/{signal.id}/close", data={"note": "区里看过"}).status_code == 303
    login(client, moderator)
    response = client.post(f"/streets/xinhua/signals/{signal.id}/close", data={"note": "街道也看过"},
                           headers={"HX-Request": "true"})
    assert "这条风险提示已经处理过了" in text(response) and "区里看过" in text(response)
    assert Signal.get_by_id(signal.id).note == "区里看过"
    assert AuditLog.select().where(AuditLog.action == "signal.close").count() == 1
