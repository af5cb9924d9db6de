"""What residents and staff see while a service the app uses is down: Redis (the shared rate limits) or the database.
Real outages: a Redis URL nobody listens on, a redis-server this test stops and starts, a database that cannot be
opened."""
import datetime
import re
import shutil
import socket
import subprocess
import time

import pytest
import redis
from limits.storage import MemoryStorage

from app import create_app
from core.limits import limiter
from models import CheckIn, Signup, User, db
from tests.conftest import PASSWORD, config_for

MINUTE = datetime.timedelta(minutes=1)


def free_port():
    """A port on which nothing listens (the operating system just handed it out and took it back)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def limiter_back_on_its_storage():
    """The limiter is one object for every app of the test session: after an outage here, the next test's app
    starts on its own storage again instead of waiting for the limiter's next look at it."""
    yield
    limiter._storage_dead = False


# --- Redis down: the service goes on, the limits too (counted in memory) --------------------------------------------


class TestRedisDown:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{free_port()}"}

    @pytest.fixture
    def event(self, make_org, make_event):
        org = make_org("xinhua")
        return make_event(org, starts_in=-10 * MINUTE, hours=2, signup_enabled=True)

    def test_login_works_and_is_still_limited(self, client, make_user):
        make_user(phone="13912345678")
        for _ in range(5):
            assert client.post("/login", data={"phone": "13912345678", "password": "wrong-one"}).status_code == 422
        refused = client.post("/login", data={"phone": "13912345678", "password": PASSWORD})
        assert refused.status_code == 429 and "登录失败次数过多" in refused.get_data(as_text=True)
        make_user(phone="13912340000")
        assert client.post("/login", data={"phone": "13912340000", "password": PASSWORD}).status_code == 303

    def test_a_resident_checks_in(self, client, event):
        url = f"/c/{event.checkin_token}"
        html = client.get(url).get_data(as_text=True)
        hidden = [tag for tag in re.findall(r"<input[^>]*>", html) if 'type="hidden"' in tag]
        form = {re.search(r'name="([^"]+)"', tag).group(1): re.search(r'value="([^"]*)"', tag).group(1)
                for tag in hidden}
        response = client.post(url, data={**form, "name": "李秀英", "phone": "13812341234", "consent": "y"})
        assert response.status_code == 200 and "签到成功" in response.get_data(as_text=True)
        assert CheckIn.select().where(CheckIn.phone == "13812341234").count() == 1

    def test_check_ins_are_still_limited_and_stop_asking_redis(self, app, event):
        """Counted in memory once Redis failed: the next submissions do not wait for it, and the limits hold."""
        app.config["CHECKIN_LIMIT_PER_PHONE"] = "2 per minute"
        url = f"/c/{event.checkin_token}"
        codes = []
        for _ in range(3):
            client = app.test_client()  # a new device each time: the phone's limit is the one that speaks
            html = client.get(url).get_data(as_text=True)
            form = dict(re.findall(r'name="(csrf_token|key|t)"[^>]*value="([^"]*)"', html))
            response = client.post(url, data={**form, "name": "李秀英", "phone": "13812341234", "consent": "y"})
            codes.append(response.status_code)
            with app.test_request_context():
                assert isinstance(limiter.limiter.storage, MemoryStorage)  # Redis is not asked again for a while
        assert codes == [200, 200, 429]
        assert "这台手机提交得太频繁了" in response.get_data(as_text=True)

    def test_signing_up_works_and_is_still_limited(self, app, event):
        for i in range(10):
            client = app.test_client()  # a new device each time: only the per-phone limit applies
            response = client.post(f"/events/{event.id}/signup", data={"name": "李阿姨", "phone": "13812341234",
                                                                       "consent": "y"})
            assert response.status_code == 303, i
        assert Signup.select().count() == 1
        again = app.test_client().post(f"/events/{event.id}/signup",
                                       data={"name": "李阿姨", "phone": "13812341234", "consent": "y"})
        assert again.status_code == 429 and "操作太频繁" in again.get_data(as_text=True)

    def test_opening_an_account_works(self, client):
        form = {"name": "李秀英", "phone": "13812345678", "password": "kite-river-58", "confirm": "kite-river-58"}
        response = client.post("/signup", data=form)
        assert response.status_code == 303 and User.select().count() == 1

    def test_healthz_says_the_limits_are_degraded_but_the_service_is_up(self, client):
        client.post("/login", data={"phone": "13912345678", "password": "wrong-one"})
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.get_json() == {"status": "degraded", "database": "ok", "ratelimit_storage": "unreachable"}


@pytest.fixture
def redis_server(tmp_path):
    """A throwaway redis-server of this test's own, on a free port: start() and stop() it at will."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")

    class Server:
        port = free_port()
        process = None

        def start(self):
            self.process = subprocess.Popen(
                [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(tmp_path)],
                stdout=subprocess.DEVNULL,
            )
            client = redis.Redis(port=self.port)
            for _ in range(100):
                try:
                    client.ping()
                    return
                except redis.ConnectionError:
                    time.sleep(0.05)
            raise RuntimeError("redis-server did not start")

        def stop(self):
            self.process.terminate()
            self.process.wait(10)

        def keys(self):
            return redis.Redis(port=self.port).keys("*")

    server = Server()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def test_limits_go_back_to_redis_when_it_returns(tmp_path, redis_server, sqlite_template):
    """Redis stops: logins go on, limited in memory; it starts again: the limits are shared through it again."""
    shutil.copyfile(sqlite_template, tmp_path / "test.db")
    app = create_app({**config_for(f"sqlite:///{tmp_path}/test.db"),
                      "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{redis_server.port}"})
    client = app.test_client()
    user = User(name="居民", phone="13912345678", role="member")
    user.set_password(PASSWORD, "pbkdf2:sha256:1000")
    user.save()

    def wrong_password():
        return client.post("/login", data={"phone": "13912345678", "password": "wrong-one"}).status_code

    assert wrong_password() == 422
    assert redis_server.keys(), "the failed login is counted in Redis"
    assert client.get("/healthz").get_json()["ratelimit_storage"] == "ok"

    redis_server.stop()
    assert wrong_password() == 422
    assert client.get("/healthz").get_json()["ratelimit_storage"] == "unreachable"

    redis_server.start()  # empty: this Redis keeps nothing on disk
    # Flask-Limiter looks at its storage again after 1, 2, 4 … 32 s; until then it counts in memory.
    deadline = time.monotonic() + 70
    while not redis_server.keys() and time.monotonic() < deadline:
        assert wrong_password() in (422, 429)
        time.sleep(0.25)
    assert redis_server.keys(), "the limits are counted in Redis again"
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok", "ratelimit_storage": "ok"}
    db.close()


def test_redis_failing_in_the_middle_of_a_request_does_not_fail_the_request(tmp_path, redis_server, sqlite_template):
    """Checked against Redis on the way in, counted on the way out (as failed logins are): Redis stops in between."""
    shutil.copyfile(sqlite_template, tmp_path / "test.db")
    app = create_app({**config_for(f"sqlite:///{tmp_path}/test.db"),
                      "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{redis_server.port}"})

    @app.post("/counted-on-the-way-out")
    @limiter.limit("5 per minute", deduct_when=lambda response: True)
    def counted_on_the_way_out():
        redis_server.stop()
        return "served"

    response = app.test_client().post("/counted-on-the-way-out")
    assert response.status_code == 200 and response.get_data(as_text=True) == "served"
    db.close()


class TestCheckInsOnTheirOwnRedisConnection:
    """A resident's check-in counts its limits in one round trip on a Redis connection its process keeps (no pool
    check-out around it), and keeps doing so after Redis has gone away and come back."""

    @pytest.fixture
    def app_config(self, redis_server):
        return {"RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{redis_server.port}"}

    @pytest.fixture
    def event(self, make_org, make_event):
        return make_event(make_org("xinhua"), starts_in=-10 * MINUTE, hours=2)

    @staticmethod
    def check_in(app, event, phone):
        client = app.test_client()
        url = f"/c/{event.checkin_token}"
        html = client.get(url).get_data(as_text=True)
        form = dict(re.findall(r'<input[^>]*name="(key|t|csrf_token)"[^>]*value="([^"]*)"', html))
        return client.post(url, data={**form, "name": "李秀英", "phone": phone, "consent": "y"})

    @staticmethod
    def counted_in_redis(redis_server):
        return [key for key in redis_server.keys() if b"checkin-phone" in key]

    def test_no_pool_check_out_per_check_in(self, app, event, redis_server, monkeypatch):
        assert "签到成功" in self.check_in(app, event, "13812340001").get_data(as_text=True)
        checked_out, check_out = [], redis.ConnectionPool.get_connection

        def checking_out(pool, *args, **kwargs):
            checked_out.append(pool)
            return check_out(pool, *args, **kwargs)

        monkeypatch.setattr(redis.ConnectionPool, "get_connection", checking_out)
        for n in range(2, 5):
            assert "签到成功" in self.check_in(app, event, f"1381234000{n}").get_data(as_text=True)
        assert checked_out == [] and len(self.counted_in_redis(redis_server)) == 4

    def test_counted_in_redis_again_after_it_comes_back(self, app, event, redis_server):
        assert "签到成功" in self.check_in(app, event, "13812340001").get_data(as_text=True)
        redis_server.stop()
        assert "签到成功" in self.check_in(app, event, "13812340002").get_data(as_text=True)  # counted in memory
        redis_server.start()  # empty: this Redis keeps nothing on disk
        # Flask-Limiter looks at its storage again after 1, 2, 4 … s, on a request to a route it limits itself.
        deadline = time.monotonic() + 70
        while not limiter.limiter.storage.check() or limiter._storage_dead:
            assert time.monotonic() < deadline, "the limiter never went back to Redis"
            app.test_client().get("/login")
            time.sleep(0.25)
        assert "签到成功" in self.check_in(app, event, "13812340003").get_data(as_text=True)
        assert self.counted_in_redis(redis_server), "the check-in is counted in Redis again"


# --- the database down: 503 in Chinese, the health check says so, static files still served -------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def app_without_database(request, tmp_path):
    """An app whose database cannot be reached: SQLite in a directory that does not exist, PostgreSQL on a port
    nobody listens on."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/no-such-directory/ningshe.db"
    else:
        url = f"postgresql://postgres@127.0.0.1:{free_port()}/ningshe?connect_timeout=2"
    app = create_app(config_for(url))
    yield app
    db.close()
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()


def test_pages_answer_503_in_chinese_while_the_database_is_down(app_without_database):
    client = app_without_database.test_client()
    # A page that needs nothing from the database (the start page of someone not signed in) is still served.
    start = client.get("/")
    assert start.status_code == 200 and "系统暂时无法访问数据库" not in start.get_data(as_text=True)
    for method, path in (("GET", "/events/"), ("POST", "/login"), ("GET", "/c/some-token")):
        response = client.open(path, method=method, data={"phone": "13912345678", "password": "x"})
        html = response.get_data(as_text=True)
        assert response.status_code == 503, path
        assert "系统暂时无法访问数据库，请稍后再试。" in html and '<html lang="zh-CN"' in html
        assert response.headers["Retry-After"] == "30"
        assert "Content-Security-Policy" in response.headers


def test_a_signed_in_user_gets_the_503_page_too_not_a_server_error(app_without_database):
    client = app_without_database.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "a-session-token"
    response = client.get("/admin/")
    assert response.status_code == 503 and "系统暂时无法访问数据库" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_an_htmx_request_gets_a_short_message_while_the_database_is_down(app_without_database):
    response = app_without_database.test_client().get("/events/", headers={"HX-Request": "true"})
    assert response.status_code == 503 and response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "系统暂时无法访问数据库，请稍后再试。"


def test_healthz_answers_503_json_naming_the_database(app_without_database):
    response = app_without_database.test_client().get("/healthz")
    assert response.status_code == 503 and response.mimetype == "application/json"
    assert response.get_json() == {"status": "error", "database": "unreachable", "ratelimit_storage": "memory"}
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_do_not_need_the_database(app_without_database):
    client = app_without_database.test_client()
    html = client.get("/").get_data(as_text=True)
    assert 'href="/static/css/app.css?v=' in html  # the 503 page is styled, from files the app still serves
    for path in ("/static/css/app.css", f"/static/{app_without_database.config['HTMX']}", "/static/js/app.js",
                 "/sw.js", "/manifest.webmanifest"):
        with client.get(path) as response:
            assert response.status_code == 200, path


def test_healthz_reports_every_dependency_when_all_is_well(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "ratelimit_storage": "memory"}
