"""Residents' personal data: a phone number opens nobody's records, masked phones stay masked, limit keys and log
lines name no one, and the purge reaches the audit log."""
import datetime
import logging
import re

import pytest
from itsdangerous import URLSafeSerializer

from blueprints.checkins.operations import check_in, purge_personal_data
from core.limits import pseudonym
from models import AuditLog, CheckIn, Membership
from tests.conftest import login
from tests.test_checkins import OPEN_NOW, form_of, resident

VICTIM_PHONE = "13812341234"


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin, name="睦邻互助会")


@pytest.fixture
def event(make_event, org):
    return make_event(org, title="长者智能手机课堂", **OPEN_NOW)


@pytest.fixture
def volunteer(make_user, org):
    user = make_user(name="志愿者小红")
    Membership.create(user=user, organization=org, role="volunteer")
    return user


def text(response):
    return response.get_data(as_text=True)


# --- 1. a phone number opens nothing ---------------------------------------------------------------------------------


def test_a_phone_number_typed_on_another_device_opens_none_of_the_residents_records(app, make_event, org, event):
    other_event = make_event(org, title="社区合唱排练", **OPEN_NOW)
    victim = app.test_client()
    resident(victim, f"/c/{event.checkin_token}", name="李秀英", phone=VICTIM_PHONE)
    victim.post(f"/c/{other_event.checkin_token}", data={**form_of(victim, f"/c/{other_event.checkin_token}"),
                                                         "one_tap": "1"})
    assert CheckIn.select().where(CheckIn.phone == VICTIM_PHONE).count() == 2

    stranger = app.test_client()
    html = text(resident(stranger, f"/c/{event.checkin_token}", name="冒充者", phone=VICTIM_PHONE))
    assert "这个手机号已签到" in html
    assert "李秀英" not in html and "李*" not in html and "您已于" not in html
    assert stranger.get_cookie("resident") is None, "the stranger's device must not remember the victim"

    # Nothing of the victim's on the stranger's /me/, nothing for its erase button to delete …
    me = text(stranger.get("/me/"))
    assert "李秀英" not in me and "长者智能手机课堂" not in me and "社区合唱排练" not in me
    assert "没有记住您" in me
    stranger.post("/me/erase")
    assert [c.name for c in CheckIn.select().where(CheckIn.phone == VICTIM_PHONE)] == ["李秀英", "李秀英"]
    # … and no one-tap in the victim's name at the next event.
    page = text(stranger.get(f"/c/{other_event.checkin_token}"))
    assert "李*" not in page and 'name="phone"' in page


def test_a_resident_checked_in_by_a_volunteer_is_told_so_without_a_name(app, client, volunteer, event):
    check_in(event, "赵阿婆", VICTIM_PHONE, method="manual", by=volunteer)
    html = text(resident(app.test_client(), f"/c/{event.checkin_token}", name="赵阿婆", phone=VICTIM_PHONE))
    assert "这个手机号已签到" in html and "赵阿婆" not in html


def test_me_lists_and_erases_what_this_device_did_and_nothing_else(app, client, event):
    url = f"/c/{event.checkin_token}"
    resident(client, url, name="张建国", phone="13800000001")
    assert client.post(f"{url}/forget").status_code == 303  # 换一个人: the same phone checks in a neighbour
    resident(client, url, name="王秀兰", phone="13800000002")
    resident(app.test_client(), url, name="赵阿姨", phone="13800000003")

    me = text(client.get("/me/"))
    assert "张建国" in me and "138****0001" in me and "王秀兰" in me and "138****0002" in me
    assert "赵阿姨" not in me and "13800000001" not in me
    assert "已删除 2 条签到中的姓名和手机号" in text(client.post("/me/erase"))
    assert CheckIn.get(CheckIn.phone == "13800000003").name == "赵阿姨"
    assert CheckIn.select().where(CheckIn.name.is_null()).count() == 2 and event.checkins.count() == 3


def test_the_stored_device_id_is_not_the_cookie_and_cannot_be_replayed(app, client, event):
    resident(client, f"/c/{event.checkin_token}", name="李秀英")
    stored, cookie = CheckIn.get().device, client.get_cookie("did").value
    assert stored and cookie not in stored
    thief = app.test_client()
    thief.set_cookie("did", stored)  # e.g. read off a console or a database dump
    assert "李秀英" not in text(thief.get("/me/"))


def test_a_remembered_resident_from_a_cookie_of_before_is_not_offered(client, event):
    # Such cookies were also set for whoever typed a phone already checked in: they name someone else.
    old = URLSafeSerializer("test-secret", salt="resident").dumps({"n": "李秀英", "p": VICTIM_PHONE})
    client.set_cookie("resident", old)
    page = text(client.get(f"/c/{event.checkin_token}"))
    assert "李*" not in page and 'name="phone"' in page


# --- 2. masked means masked ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q, found",
    [
        ("5678", ["王建国"]),
        ("678", ["王建国"]),
        ("１２３４", ["李秀英"]),  # full-width, as some keyboards type
        ("秀英", ["李秀英"]),
        ("45678", []),  # one digit more than the mask shows: nothing, whichever digit it is
        ("2345678", []),
        ("13812345678", []),
        ("138", []),
    ],
)
def test_the_roster_is_searched_by_name_or_the_last_four_digits_at_most(client, volunteer, event, q, found):
    check_in(event, "李秀英", "13812341234")
    check_in(event, "王建国", "13812345678")
    login(client, volunteer)
    html = text(client.get(f"/events/{event.id}/checkins", query_string={"q": q}, headers={"HX-Request": "true"}))
    assert [name for name in ("李秀英", "王建国") if name in html] == found
    if not found:
        assert "没有找到" in html


def test_no_fifth_digit_can_be_recovered_from_the_roster(client, volunteer, event):
    check_in(event, "王建国", "13812345678")
    login(client, volunteer)
    htmx = {"HX-Request": "true"}
    answers = {
        digit: "王建国" in text(client.get(f"/events/{event.id}/checkins?q={digit}5678", headers=htmx))
        for digit in "0123456789"
    }
    assert not any(answers.values())


def test_the_roster_search_says_what_it_searches(client, volunteer, event):
    login(client, volunteer)
    assert "按姓名或手机号后四位查找" in text(client.get(f"/events/{event.id}/checkins"))


# --- 3. no phone in limit keys or log lines --------------------------------------------------------------------------


#: A database of its own, so that other runs' keys are not mistaken for these (each test deletes its own).
REDIS_URL = "redis://127.0.0.1:6379/14"
#: A phone and an address that no other test uses: no key may hold them.
UNIQUE_PHONE, UNIQUE_ADDRESS = "13877665544", "10.77.66.55"


@pytest.fixture
def redis_connection():
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"these limits are read back from Redis, and none answers at {REDIS_URL}")
    return connection


class TestLimitKeys:
    @pytest.fixture
    def app_config(self, redis_connection):
        return {"RATELIMIT_STORAGE_URI": REDIS_URL, "CHECKIN_LIMIT_PER_PHONE": "1 per minute"}

    def test_limit_keys_and_log_lines_name_no_phone_and_no_address(
        self, app, redis_connection, make_event, org, event, caplog
    ):
        caplog.set_level(logging.INFO)
        url = f"/c/{event.checkin_token}"
        first, second = app.test_client(), app.test_client()
        for browser in (first, second):
            browser.environ_base["REMOTE_ADDR"] = UNIQUE_ADDRESS
        assert resident(first, url, phone=UNIQUE_PHONE).status_code == 200
        assert resident(second, url, phone=UNIQUE_PHONE).status_code == 429  # the phone's limit: refused and logged
        signups = make_event(org, signup_enabled=True, capacity=10)
        first.get(f"/events/{signups.id}")
        first.post(f"/events/{signups.id}/signup", data={"name": "王伯伯", "phone": UNIQUE_PHONE, "consent": "y"})
        first.post("/login", data={"phone": UNIQUE_PHONE, "password": "not-the-password"})

        with app.test_request_context():
            hashes = pseudonym("phone", UNIQUE_PHONE), pseudonym("address", UNIQUE_ADDRESS)
        keys = [key.decode() for key in redis_connection.scan_iter()]
        ours = [key for key in keys if any(h in key for h in hashes)]
        try:
            assert any("checkin-phone:" in key for key in ours) and any("signup:" in key for key in ours), keys
            assert not [key for key in keys if UNIQUE_PHONE in key or UNIQUE_ADDRESS in key]
        finally:
            for key in ours:
                redis_connection.delete(key)
        lines = [record.getMessage() for record in caplog.records]
        assert any("exceeded" in line for line in lines), lines
        assert not [line for line in lines if UNIQUE_PHONE in line or UNIQUE_ADDRESS in line]


# --- 4. the purge reaches everything ---------------------------------------------------------------------------------


def test_the_audit_log_keeps_no_name_of_a_manual_check_in(client, volunteer, event):
    login(client, volunteer)
    client.post(f"/events/{event.id}/checkins", data={"name": "赵阿婆", "phone": "", "key": "k1"})
    entry = AuditLog.get(AuditLog.action == "checkin.manual")
    assert entry.actor_id == volunteer.id and "赵阿婆" not in entry.detail


def test_past_retention_no_name_is_left_in_the_audit_log_undo_reasons_or_hashes(app, client, volunteer, event):
    resident(app.test_client(), f"/c/{event.checkin_token}", name="李秀英")
    login(client, volunteer)
    client.post(f"/events/{event.id}/checkins", data={"name": "赵阿婆", "key": "k1"}, follow_redirects=True)
    first = CheckIn.get(CheckIn.name == "李秀英")
    client.post(f"/events/{event.id}/checkins/{first.id}/undo", data={"reason": "李秀英 重复登记"},
                follow_redirects=True)
    # What an earlier version wrote: the name in a manual check-in's audit entry.
    AuditLog.create(actor=volunteer, action="checkin.manual", target_type="checkin",
                    target_id=CheckIn.get(CheckIn.name == "赵阿婆").id, detail="赵阿婆")
    assert AuditLog.get(AuditLog.action == "checkin.undo").detail == "李秀英 重复登记"  # kept while data is kept

    purge_personal_data(180, now=event.ends_at + datetime.timedelta(days=180, minutes=1))  # the clock moved on

    details = " ".join(entry.detail for entry in AuditLog.select())
    assert "李秀英" not in details and "赵阿婆" not in details
    for checkin in CheckIn.select():
        assert (checkin.name, checkin.phone, checkin.undo_reason, checkin.device, checkin.address) == (
            None, None, None, None, None)
    roster = text(client.get(f"/events/{event.id}/checkins"))
    assert "李秀英" not in roster and "赵阿婆" not in roster and "已撤销" in roster
    assert event.checkins.count() == 2


def test_within_retention_the_purge_leaves_the_undo_reason(app, client, volunteer, event):
    resident(app.test_client(), f"/c/{event.checkin_token}", name="李秀英")
    login(client, volunteer)
    client.post(f"/events/{event.id}/checkins/{CheckIn.get().id}/undo", data={"reason": "重复登记"})
    purge_personal_data(180, now=event.ends_at + datetime.timedelta(days=179))
    assert CheckIn.get().undo_reason == "重复登记" and CheckIn.get().device is not None
    assert AuditLog.get(AuditLog.action == "checkin.undo").detail == "重复登记"


def test_hashes_are_not_the_address(client, event):
    resident(client, f"/c/{event.checkin_token}")
    checkin = CheckIn.get()
    assert re.fullmatch(r"[0-9a-f]{32}", checkin.address) and re.fullmatch(r"[0-9a-f]{32}", checkin.device)
