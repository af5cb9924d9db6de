"""The resident's check-in stays cheap: few statements per request, and numbers gapless under duplicates and retries."""
import datetime
import os
import re

import peewee
import pytest

from blueprints.checkins.operations import check_in, undo
from models import CheckIn, CheckInCounter, Event, Membership, db, utcnow
from tests.conftest import login, run_threads

MINUTE = datetime.timedelta(minutes=1)
OPEN_NOW = {"status": "published", "starts_in": -10 * MINUTE, "hours": 2}


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin, name="睦邻互助会")


@pytest.fixture
def event(make_event, org):
    return make_event(org, title="长者智能手机课堂", venue="愚园路 1000 号", **OPEN_NOW)


def form_of(client, url):
    html = client.get(url).get_data(as_text=True)
    return dict(re.findall(r'<input[^>]*name="(key|t|csrf_token)"[^>]*value="([^"]*)"', html))


class Statements:
    """The SQL statements the app runs (peewee's execute_sql), transaction control aside, and a statement's PREPARE
    (once per PostgreSQL connection: models.execute_prepared)."""

    def __init__(self, monkeypatch):
        self.sql = []
        original = peewee.Database.execute_sql

        def counting(database, sql, params=None, *args, **kwargs):
            self.sql.append(sql)
            return original(database, sql, params, *args, **kwargs)

        monkeypatch.setattr(peewee.Database, "execute_sql", counting)

    def __len__(self):
        skipped = r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PREPARE)"
        return len([s for s in self.sql if not re.match(skipped, s, re.I)])


def test_a_check_in_is_one_statement_and_its_page_one(app, event, monkeypatch):
    client = app.test_client()
    url = f"/c/{event.checkin_token}"
    statements = Statements(monkeypatch)
    fields = form_of(client, url)
    assert len(statements) == 1  # the event, its organization's and street's names
    statements.sql.clear()
    response = client.post(url, data={**fields, "name": "李秀英", "phone": "13812341234", "consent": "y"})
    assert "签到成功" in response.get_data(as_text=True)
    # The event as the page read it, so no statement of its own; the check-in with the event's next number, while the
    # event is still as read (INSERT … ON CONFLICT DO NOTHING), in one statement and no transaction of its own.
    ran = [s for s in statements.sql if not s.startswith("PREPARE")]  # PostgreSQL: once per connection
    # PostgreSQL: sent with the setting its commit takes (set_config, for this statement alone), in one message
    assert len(ran) == 1 and re.match(r"(SELECT set_config\(%s, %s, true\); )?(INSERT|EXECUTE) ", ran[0]), ran


def test_the_page_still_names_the_organization_and_street_and_says_the_number(client, event):
    url = f"/c/{event.checkin_token}"
    html = client.get(url).get_data(as_text=True)
    assert "睦邻互助会" in html and "长者智能手机课堂" in html and "新华路街道" in html
    response = client.post(url, data={**form_of(client, url), "name": "李秀英", "phone": "13812341234", "consent": "y"})
    assert "您是第 1 位" in response.get_data(as_text=True)
    if not isinstance(db.obj, peewee.SqliteDatabase):  # PostgreSQL's row lock queues a crowd at the counter
        assert CheckInCounter.get_by_id(event.id).last == 1


def test_a_duplicate_phone_or_a_retried_form_takes_no_number(app, client, event):
    url = f"/c/{event.checkin_token}"
    first = {**form_of(client, url), "name": "李秀英", "phone": "13812341234", "consent": "y"}
    client.post(url, data=first)
    assert "已于" in client.post(url, data=first).get_data(as_text=True)  # the retry
    other = app.test_client()
    again = {**form_of(other, url), "name": "李秀英", "phone": "13812341234", "consent": "y"}
    assert "这个手机号已签到" in other.post(url, data=again).get_data(as_text=True)
    third = app.test_client()
    after = {**form_of(third, url), "name": "王建国", "phone": "13812345678", "consent": "y"}
    assert "您是第 2 位" in third.post(url, data=after).get_data(as_text=True)
    assert sorted(c.number for c in CheckIn.select()) == [1, 2]


def test_numbers_go_on_after_check_ins_written_without_the_counter(event):
    CheckIn.create(event=event, name="导入", phone="13600000001", number=1)
    CheckIn.create(event=event, name="导入", phone="13600000002", number=2)
    checkin, created = check_in(event, "李秀英", "13812341234")
    assert created and checkin.number == 3


def test_an_undone_check_in_coming_back_keeps_its_number_and_takes_none(event, org_admin):
    first, _ = check_in(event, "李秀英", "13812341234")
    undo(first, org_admin, "点错了")
    again, created = check_in(event, "李秀英", "13812341234")
    assert created and again.id == first.id and again.number == 1
    assert check_in(event, "王建国", "13812345678")[0].number == 2


def test_a_crowd_with_duplicates_and_retries_is_numbered_without_gaps(app, event):
    """60 residents, each submitting twice (a double tap) and a third of them again from another device."""
    url = f"/c/{event.checkin_token}"
    clients = [app.test_client() for _ in range(80)]
    forms = [form_of(c, url) for c in clients]

    def submit(i):
        person = i % 60
        data = {**forms[i], "name": f"居民{person}", "phone": f"1391{person:07d}", "consent": "y"}
        return [clients[i].post(url, data=data).status_code for _ in range(2)]

    codes = run_threads(80, submit, workers=16)
    assert {c for pair in codes for c in pair} == {200}
    checkins = list(CheckIn.select().where(CheckIn.event == event))
    assert len(checkins) == 60 and len({c.phone for c in checkins}) == 60
    assert sorted(c.number for c in checkins) == list(range(1, 61))
    if not isinstance(db.obj, peewee.SqliteDatabase):
        assert CheckInCounter.get_by_id(event.id).last == 60


def test_volunteers_and_residents_at_once_share_one_gapless_sequence(app, event, org_admin):
    volunteer = Membership.get(Membership.organization == event.organization).user

    def work(i):
        with app.app_context():
            if i % 3 == 0:
                return check_in(event, f"手工{i}", None, method="manual", by=volunteer)[0].number
            return check_in(event, f"居民{i}", f"1392{i % 20:07d}", key=f"key-of-form-{i:04d}-xxxx")[0].number

    run_threads(45, work, workers=12)
    numbers = sorted(c.number for c in CheckIn.select().where(CheckIn.event == event))
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) == 15 + 20


def test_an_event_edited_during_check_in_does_not_bring_back_a_number(event):
    stale = Event.get_by_id(event.id)  # an organizer's edit form, opened before the crowd came
    check_in(event, "李秀英", "13812341234")
    check_in(event, "王建国", "13812345678")
    stale.venue = "愚园路 1001 号"
    stale.save()  # the whole event as it was read, before the two check-ins
    assert check_in(event, "张三", "13812340000")[0].number == 3


def test_a_number_is_taken_without_writing_the_event(event):
    """A check-in raises its event's counter, a row of its own with one index: not the event's row, which PostgreSQL
    would write with every one of the event's indexes opened and locked, for every check-in of a crowd."""
    if isinstance(db.obj, peewee.SqliteDatabase):
        pytest.skip("PostgreSQL only")
    volunteer = Membership.get(Membership.organization == event.organization).user

    def version():
        return db.execute_sql("SELECT xmin::text FROM event WHERE id = %s", (event.id,)).fetchone()[0]

    before = version()
    assert check_in(event, "李秀英", "13812341234")[0].number == 1
    assert check_in(event, "王建国", None, method="manual", by=volunteer)[0].number == 2
    assert version() == before
    assert CheckInCounter.get_by_id(event.id).last == 2


# --- the page kept per event: each resident's own token, key and pass in it --------------------------------------


class TestKeptPage:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_two_residents_get_the_same_page_with_their_own_tokens_and_both_check_in(self, app, event):
        url = f"/c/{event.checkin_token}"
        first, second = app.test_client(), app.test_client()
        pages = [first.get(url).get_data(as_text=True), second.get(url).get_data(as_text=True)]
        forms = [dict(re.findall(r'<input[^>]*name="(key|t|csrf_token)"[^>]*value="([^"]*)"', html)) for html in pages]
        assert forms[0]["csrf_token"] != forms[1]["csrf_token"] and forms[0]["key"] != forms[1]["key"]
        for html, form in zip(pages, forms, strict=True):
            assert "长者智能手机课堂" in html and "睦邻互助会" in html and "个人信息仅用于本次活动" in html
            # every form of the page (the check-in, 长辈模式) carries this resident's token, and no stand-in is left
            assert set(re.findall(r'name="csrf_token"[^>]*value="([^"]*)"', html)) == {form["csrf_token"]}
            assert not re.search(r"(csrf|key|pass|body)-[0-9a-f]{16}", html)
        for number, (client, form) in enumerate(zip((first, second), forms, strict=True), start=1):
            response = client.post(url, data={**form, "name": f"居民{number}", "phone": f"1381234123{number}",
                                              "consent": "y"})
            assert f"您是第 {number} 位" in response.get_data(as_text=True)
        # a resident's token is refused on the other's session: the kept page did not share one
        replay = second.post(url, data={**forms[0], "name": "居民3", "phone": "13812341233", "consent": "y"})
        assert replay.status_code == 400

    def test_each_answer_names_its_own_resident_and_escapes_what_was_typed(self, app, event):
        url = f"/c/{event.checkin_token}"
        answers = []
        for number, name in enumerate(("李秀英", "<b>王</b>&伯"), start=1):
            client = app.test_client()
            response = client.post(url, data={**form_of(client, url), "name": name, "phone": f"1381234567{number}",
                                              "consent": "y"})
            answers.append(response.get_data(as_text=True))
        assert "李秀英 138****5671" in answers[0] and "您是第 1 位" in answers[0] and "王" not in answers[0]
        assert "&lt;b&gt;王&lt;/b&gt;&amp;伯 138****5672" in answers[1] and "<b>王" not in answers[1]
        assert "您是第 2 位" in answers[1] and "李秀英" not in answers[1]
        for html in answers:
            assert re.search(r"\d\d:\d\d 签到", html)
            assert not re.search(r"(when|number|name|phone|again)-[0-9a-f]{16}", html)  # no stand-in left

    def test_a_signed_in_volunteer_gets_the_page_with_their_own_sign_out(self, app, event, org_admin):
        url = f"/c/{event.checkin_token}"
        app.test_client().get(url)  # the page is kept for residents
        client = app.test_client()
        login(client, org_admin)
        html = client.get(url).get_data(as_text=True)
        assert "退出" in html and "组织登录" not in html
        assert len(set(re.findall(r'name="csrf_token"[^>]*value="([^"]*)"', html))) == 1

    def test_a_mistake_keeps_what_was_typed_beside_the_field(self, app, event):
        client, url = app.test_client(), f"/c/{event.checkin_token}"
        response = client.post(url, data={**form_of(client, url), "name": "李秀英", "phone": "1381234", "consent": "y"})
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert 'value="李秀英"' in html and 'value="1381234"' in html and re.search(r'id="consent"[^>]*checked', html)
        assert re.search(r'id="phone"[^>]*aria-invalid="true"', html) and "请输入 11 位手机号码" in html
        assert 'href="#phone"' in html  # the summary at the top points at the field


def test_the_written_out_fields_are_the_forms_own(app, event):
    """The page writes CheckInForm's fields out by hand: each input has the name, type and constraints WTForms gives."""
    from blueprints.checkins.forms import CheckInForm

    html = app.test_client().get(f"/c/{event.checkin_token}").get_data(as_text=True)
    with app.test_request_context():
        form = CheckInForm()
        for name in ("name", "phone", "consent", "minor", "key", "t"):
            rendered = str(form[name](**({"type": "tel"} if name == "phone" else {})))  # a phone keypad
            written = re.search(rf'<input[^>]*\bid="{name}"[^>]*>', html).group(0)
            for attribute in ("name", "type", "maxlength", "required"):
                want = re.search(rf'(?<![\w-]){attribute}(="[^"]*")?', rendered)
                got = re.search(rf'(?<![\w-]){attribute}(="[^"]*")?', written)
                assert (want and want.group(0)) == (got and got.group(0)), (name, attribute, written)
            assert f'for="{name}"' in html or form[name].type in ("HiddenField", "BooleanField")
        assert str(form.name.label.text) in html and str(form.consent.label.text) in html


# --- the check-in's limits: one round trip to Redis ---------------------------------------------------------------


class TestLimitsInOneRoundTrip:
    @pytest.fixture
    def app_config(self, tmp_path):
        redis = pytest.importorskip("redis")
        try:
            redis.Redis(socket_connect_timeout=1).ping()
        except redis.exceptions.ConnectionError:
            pytest.skip("no Redis on 127.0.0.1:6379")
        return {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/12", "SECRET_KEY": f"one-trip-{tmp_path.name}",
                "CHECKIN_LIMIT_PER_ADDRESS": "3 per minute;10 per hour"}

    def test_a_check_in_asks_redis_once_and_the_limits_still_hold(self, app, event):
        import redis

        connection = redis.Redis(db=12)

        def commands():
            # The scripts that ran: on a Redis that has not seen the script yet (a fresh one), the first EVALSHA
            # fails with NOSCRIPT and redis-py loads it and asks again.
            stats = connection.info("commandstats")
            return sum(value["calls"] - value.get("failed_calls", 0)
                       for name, value in stats.items() if name.startswith("cmdstat_eval"))

        url = f"/c/{event.checkin_token}"
        codes = []
        try:
            for i in range(4):
                client = app.test_client()
                fields = form_of(client, url)
                before = commands()
                codes.append(client.post(url, data={**fields, "name": f"居民{i}", "phone": f"1381234123{i}",
                                                    "consent": "y"}).status_code)
                # one script for all five windows (a refused one gives its venue's window back: a second)
                assert commands() - before == (1 if i < 3 else 2)
        finally:
            connection.flushdb()
        assert codes == [200, 200, 200, 429]  # the venue's three a minute


class TestSessionCookie:
    """A resident's submission does not rewrite the session cookie its page set; a signed-in session is still
    guarded by Flask-Login when it turns up from another browser."""

    @staticmethod
    def set_cookies(response):
        return [value.split("=", 1)[0] for value in response.headers.getlist("Set-Cookie")]

    def test_the_submission_sets_no_new_session_cookie(self, client, event):
        url = f"/c/{event.checkin_token}"
        page = client.get(url)
        assert "session" in self.set_cookies(page)  # the form's CSRF token lives in it
        fields = dict(re.findall(r'<input[^>]*name="(key|t|csrf_token)"[^>]*value="([^"]*)"', page.get_data(True)))
        response = client.post(url, data={**fields, "name": "李秀英", "phone": "13812341234", "consent": "y"})
        assert "签到成功" in response.get_data(as_text=True)
        assert "session" not in self.set_cookies(response)
        assert "resident" in self.set_cookies(response)  # 下次一键签到

    def test_a_signed_in_session_from_another_browser_is_no_longer_fresh(self, client, org_admin):
        login(client, org_admin)
        with client.session_transaction() as session:
            session["_id"] = "the identifier of the browser that signed in"
        client.get("/", headers={"User-Agent": "another browser"})
        with client.session_transaction() as session:
            assert session["_fresh"] is False and session["_user_id"]


def test_flask_limiter_looks_only_at_the_routes_it_limits(client, event, monkeypatch):
    """The resident's page and submission are counted by core.limits.counted in one round trip; none of Flask-Limiter's
    own hooks runs for them (its check, its headers and deductions after the view, the cleanup of its per-request
    state), and all still do for every other route (the login page's limit, say)."""
    from flask import request
    from flask_limiter import Limiter

    from core.limits import limiter

    looked_up, identify = [], limiter.identify_request

    def identifying():  # the first thing Flask-Limiter's check does
        looked_up.append(identify())
        return looked_up[-1]

    state, context = [], Limiter.context

    def kept_state(self):  # what its hooks after the view read and reset
        state.append(request.endpoint)
        return context.fget(self)

    monkeypatch.setattr(limiter, "identify_request", identifying)
    monkeypatch.setattr(Limiter, "context", property(kept_state))
    url = f"/c/{event.checkin_token}"
    fields = form_of(client, url)
    response = client.post(url, data={**fields, "name": "李秀英", "phone": "13812341234", "consent": "y"})
    assert "签到成功" in response.get_data(as_text=True)
    assert looked_up == [] and state == []
    client.get("/login")
    assert "auth.login" in looked_up and "auth.login" in state


class TestPageEvent:
    """A worker shows an event's check-in page from the event it read up to CHECKIN_PAGE_EVENT_SECONDS ago; the
    submission reads the event afresh, so a cancelled event takes no check-in even from a page shown before."""

    @staticmethod
    def age(event, seconds):
        from blueprints.checkins import views

        kept, read_at = views._PAGE_EVENTS[event.checkin_token]
        views._PAGE_EVENTS[event.checkin_token] = (kept, read_at - seconds)

    def test_the_crowd_after_the_first_resident_costs_no_statement(self, app, event, monkeypatch):
        url = f"/c/{event.checkin_token}"
        form_of(app.test_client(), url)
        statements = Statements(monkeypatch)
        html = app.test_client().get(url).get_data(as_text=True)
        assert "长者智能手机课堂" in html and 'name="phone"' in html
        assert len(statements) == 0

    def test_a_cancelled_event_takes_no_check_in_from_a_page_shown_before(self, app, event):
        url = f"/c/{event.checkin_token}"
        form_of(app.test_client(), url)  # a resident before the cancel: the worker keeps the event
        Event.update(status="cancelled").where(Event.id == event.id).execute()
        client = app.test_client()
        fields = form_of(client, url)  # within the seconds: the page still shows the form
        assert fields.get("key")
        response = client.post(url, data={**fields, "name": "李秀英", "phone": "13812341234", "consent": "y"})
        assert response.status_code == 409 and "这个活动已取消" in response.get_data(as_text=True)
        assert CheckIn.select().where(CheckIn.event == event.id).count() == 0
        self.age(event, app.config["CHECKIN_PAGE_EVENT_SECONDS"])
        assert "这个活动已取消" in app.test_client().get(url).get_data(as_text=True)

    def test_an_event_moved_since_it_was_kept_is_decided_as_it_is_now(self, app, event):
        url = f"/c/{event.checkin_token}"
        client = app.test_client()
        fields = form_of(client, url)  # the worker keeps the event, open for check-in
        Event.update(ends_at=utcnow() - datetime.timedelta(minutes=1)).where(Event.id == event.id).execute()
        response = client.post(url, data={**fields, "name": "李秀英", "phone": "13812341234", "consent": "y"})
        assert response.status_code == 409 and "活动已结束，签到已关闭" in response.get_data(as_text=True)
        assert CheckIn.select().where(CheckIn.event == event.id).count() == 0

    def test_a_refusal_on_the_kept_event_is_decided_again_on_the_event_as_it_is(self, app, event):
        from blueprints.checkins import views

        url = f"/c/{event.checkin_token}"
        client = app.test_client()
        fields = form_of(client, url)
        # This worker read the event while it was briefly cancelled; it is open again, as another worker's page showed.
        views._PAGE_EVENTS[event.checkin_token][0].status = "cancelled"
        response = client.post(url, data={**fields, "name": "李秀英", "phone": "13812341234", "consent": "y"})
        assert response.status_code == 200 and "签到成功" in response.get_data(as_text=True)
        assert views._PAGE_EVENTS[event.checkin_token][0].status == "published"  # what was read afresh is kept

    def test_with_no_seconds_every_page_reads_the_event(self, app, event, monkeypatch):
        app.config["CHECKIN_PAGE_EVENT_SECONDS"] = 0
        url = f"/c/{event.checkin_token}"
        form_of(app.test_client(), url)
        Event.update(title="长者智能手机课堂（改期）").where(Event.id == event.id).execute()
        assert "（改期）" in app.test_client().get(url).get_data(as_text=True)


def test_postgresql_plans_a_check_in_once_per_connection(app, event, monkeypatch):
    """The page's event and the numbered insert are prepared on a connection once and executed after that: planning
    them took longer than running them. SQLite's driver keeps its own statement cache."""
    if isinstance(db.obj, peewee.SqliteDatabase):
        pytest.skip("PostgreSQL only")
    statements = Statements(monkeypatch)
    url = f"/c/{event.checkin_token}"
    for i in range(3):
        client = app.test_client()
        response = client.post(url, data={**form_of(client, url), "name": "李秀英", "phone": f"1381234123{i}",
                                          "consent": "y"})
        assert f"您是第 {i + 1} 位" in response.get_data(as_text=True)
    prepared = [s.split()[1] for s in statements.sql if s.startswith("PREPARE")]
    executed = [found.group(1) for s in statements.sql if (found := re.search(r"\bEXECUTE (\w+)", s))]
    assert sorted(prepared) == ["checkin_event", "checkin_numbered_as_read"]
    # the event read once for the pages and the submissions alike (page_event); each check-in its one write
    assert executed.count("checkin_numbered_as_read") == 3 and executed.count("checkin_event") == 1


class TestCommitOnPostgresql:
    """A resident's check-in commits without waiting for the disk, as every write on SQLite (WAL, synchronous=normal)
    does; the setting holds for that statement alone, not for what its pooled connection runs next."""

    @pytest.fixture(autouse=True)
    def postgresql_only(self):
        if isinstance(db.obj, peewee.SqliteDatabase):
            pytest.skip("PostgreSQL only")

    def check_in_and_read_the_setting(self, app, event, monkeypatch):
        """The settings sent with the check-in's statement; the connection's own before and after it."""
        seen = {}
        original = peewee.Database.execute_sql

        def spying(database, sql, params=None, *args, **kwargs):
            if "EXECUTE checkin_numbered" in sql:
                seen["before"] = original(database, "SHOW synchronous_commit").fetchone()[0]
                pairs = params[:2 * sql.count("set_config(")]  # set_config's names and values, first
                seen["settings"] = dict(zip(pairs[::2], pairs[1::2], strict=True))
            cursor = original(database, sql, params, *args, **kwargs)
            if "EXECUTE checkin_numbered" in sql:
                seen["after"] = original(database, "SHOW synchronous_commit").fetchone()[0]
            return cursor

        monkeypatch.setattr(peewee.Database, "execute_sql", spying)
        client, url = app.test_client(), f"/c/{event.checkin_token}"
        response = client.post(url, data={**form_of(client, url), "name": "李秀英", "phone": "13812341234",
                                          "consent": "y"})
        assert "您是第 1 位" in response.get_data(as_text=True)
        return seen

    def test_a_residents_check_in_commits_without_waiting_for_the_disk(self, app, event, monkeypatch):
        assert self.check_in_and_read_the_setting(app, event, monkeypatch)["settings"] == {"synchronous_commit": "off"}

    def test_a_deployment_may_have_it_wait_for_that_statement_alone(self, app, event, monkeypatch):
        app.config["CHECKIN_SYNCHRONOUS_COMMIT"] = "on"
        seen = self.check_in_and_read_the_setting(app, event, monkeypatch)
        assert seen["settings"] == {"synchronous_commit": "on"}
        # the test database's connections commit with synchronous_commit off, and go on doing so
        assert seen["before"] == seen["after"] == "off"


def test_a_mistyped_synchronous_commit_stops_start_up(monkeypatch):
    from app import create_app

    monkeypatch.setenv("CHECKIN_SYNCHRONOUS_COMMIT", "sometimes")
    with pytest.raises(ValueError, match="CHECKIN_SYNCHRONOUS_COMMIT='sometimes': one of on, off"):
        create_app({"TESTING": True})


def test_cookies_signed_before_are_still_read(app, client, event):
    """Sessions and remembered residents are signed with hashlib's SHA-1 directly now, not through the libraries'
    wrapper: a session or a 下次一键签到 cookie a phone got before is still read."""
    from flask.sessions import SecureCookieSessionInterface
    from itsdangerous import URLSafeSerializer

    with app.test_request_context():
        session_cookie = SecureCookieSessionInterface().get_signing_serializer(app).dumps({"csrf_token": "abc"})
    resident = URLSafeSerializer(app.config["SECRET_KEY"], salt="resident-2").dumps({"n": "李秀英", "p": "13812341234"})
    client.set_cookie("session", session_cookie)
    client.set_cookie("resident", resident)
    html = client.get(f"/c/{event.checkin_token}").get_data(as_text=True)
    assert "以 李* 身份签到" in html and "138****1234" in html  # one tap for the remembered resident
    with client.session_transaction() as session:
        assert session["csrf_token"] == "abc"


class TestPostgresqlPool:
    """The pool hands a connection that came back from a request a moment ago out again without asking the server
    (SELECT 1), and asks about one that has sat in the pool longer, so that one the server dropped meanwhile is
    replaced before a request sees it."""

    @pytest.fixture(autouse=True)
    def postgresql_only(self, app):
        if isinstance(db.obj, peewee.SqliteDatabase):
            pytest.skip("PostgreSQL only")

    @staticmethod
    def asked(monkeypatch):
        """The pool's questions to the server, counted."""
        asked, ask = [], db.obj._adapter.is_connection_closed

        def asking(conn):
            asked.append(conn)
            return ask(conn)

        monkeypatch.setattr(db.obj._adapter, "is_connection_closed", asking)
        return asked

    @staticmethod
    def drop_pooled_connection():
        """The server ends the session of the connection waiting in the pool (as a restart or an idle timeout does)."""
        import psycopg2

        (_, _, conn), = db.obj._connections
        admin = psycopg2.connect(os.environ["TEST_DATABASE_URL"])
        admin.autocommit = True
        admin.cursor().execute("SELECT pg_terminate_backend(%s)", (conn.get_backend_pid(),))
        admin.close()
        return conn

    def test_a_crowd_is_served_without_asking_the_server_first(self, app, event, monkeypatch):
        url = f"/c/{event.checkin_token}"
        form_of(app.test_client(), url)
        asked = self.asked(monkeypatch)
        for i in range(3):
            client = app.test_client()
            response = client.post(url, data={**form_of(client, url), "name": "李秀英", "phone": f"1381234123{i}",
                                              "consent": "y"})
            assert f"您是第 {i + 1} 位" in response.get_data(as_text=True)
        assert asked == []

    def test_a_page_its_worker_kept_takes_no_connection(self, app, event, monkeypatch):
        url = f"/c/{event.checkin_token}"
        form_of(app.test_client(), url)  # the worker keeps the event
        taken, take = [], db.obj._connect
        monkeypatch.setattr(db.obj, "_connect", lambda: taken.append(1) or take())
        fields = form_of(app.test_client(), url)
        assert fields.get("key") and taken == []

    def test_a_connection_dropped_while_it_sat_in_the_pool_is_replaced(self, app, event, monkeypatch):
        url = f"/c/{event.checkin_token}"
        client = app.test_client()
        fields = form_of(client, url)
        dropped = self.drop_pooled_connection()
        monkeypatch.setattr(db.obj, "PING_AFTER", 0)  # it has sat there long enough to be asked about
        asked = self.asked(monkeypatch)
        response = client.post(url, data={**fields, "name": "李秀英", "phone": "13812341234", "consent": "y"})
        assert response.status_code == 200 and "您是第 1 位" in response.get_data(as_text=True)
        assert asked == [dropped] and dropped.closed

    def test_one_dropped_a_moment_after_its_request_fails_one_request_not_the_next(self, app, event):
        url = f"/c/{event.checkin_token}"
        client = app.test_client()
        fields = form_of(client, url)
        self.drop_pooled_connection()
        data = {**fields, "name": "李秀英", "phone": "13812341234", "consent": "y"}
        failed = client.post(url, data=data)
        assert failed.status_code == 503 and "系统暂时无法访问数据库" in failed.get_data(as_text=True)
        response = client.post(url, data=data)
        assert response.status_code == 200 and "您是第 1 位" in response.get_data(as_text=True)


def test_the_answer_to_a_check_in_carries_the_token_it_passed(app, event, monkeypatch):
    """签到成功's forms (长辈模式, 换一个人) carry the CSRF token the submission carried, which CSRFProtect has just
    passed, rather than the session's token signed again; the resident's next tap on them goes through."""
    import core.shell

    app.config["WTF_CSRF_ENABLED"] = True  # as deployed: every POST's token checked
    url = f"/c/{event.checkin_token}"
    first = app.test_client()  # the event's first answer is rendered once and kept
    first.post(url, data={**form_of(first, url), "name": "王建国", "phone": "13900001111", "consent": "y"})
    client = app.test_client()
    fields = form_of(client, url)
    signed, generate = [], core.shell.generate_csrf
    monkeypatch.setattr(core.shell, "generate_csrf", lambda: signed.append(1) or generate())
    response = client.post(url, data={**fields, "name": "李秀英", "phone": "13812341234", "consent": "y"})
    html = response.get_data(as_text=True)
    assert "签到成功" in html and signed == []
    tokens = set(re.findall(r'name="csrf_token"[^>]*value="([^"]*)"', html))
    assert tokens == {fields["csrf_token"]}
    toggled = client.post("/settings/elder", data={"csrf_token": tokens.pop()})
    assert toggled.status_code == 303 and "elder=1" in toggled.headers.get("Set-Cookie", "")
