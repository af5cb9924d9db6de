"""More than one app server: two apps built alike (same SECRET_KEY, same database) accept what the other one issued.

bench/scaleout.py does the same with two gunicorn instances behind nginx, and checks the shared rate limits in Redis
(in one process the apps would share Flask-Limiter's storage whatever its URI, so that is not tested here).
"""
import datetime
import re

import pytest

from app import create_app
from models import CheckIn
from tests.conftest import PASSWORD

MINUTE = datetime.timedelta(minutes=1)
OPEN_NOW = {"status": "published", "starts_in": -10 * MINUTE, "hours": 2}
SHARED = ("TESTING", "SECRET_KEY", "DATABASE_URL", "WTF_CSRF_ENABLED", "PASSWORD_HASH_METHOD",
          "SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE", "UPLOAD_DIR")


@pytest.fixture
def other_server(app):
    """A client of a second app server: the same settings, the same database."""
    return create_app({name: app.config[name] for name in SHARED}).test_client()


@pytest.fixture
def event(make_org, make_event):
    return make_event(make_org("xinhua", name="睦邻互助会"), title="长者智能手机课堂", **OPEN_NOW)


def carry(source, target, *names):
    """The browser's cookies, as it sends them to whichever server the proxy picks."""
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


def form_of(client, url):
    html = client.get(url).get_data(as_text=True)
    return dict(re.findall(r'<input[^>]*name="(key|t|csrf_token)"[^>]*value="([^"]*)"', html))


def test_a_login_on_one_server_is_known_on_the_other(client, other_server, make_user):
    user = make_user(name="王建华")
    response = client.post("/login", data={"phone": user.phone, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 303
    carry(client, other_server, "session")
    assert "王建华" in other_server.get("/").get_data(as_text=True)


def test_remember_me_from_one_server_logs_in_on_the_other(client, other_server, make_user):
    user = make_user(name="王建华")
    client.post("/login", data={"phone": user.phone, "password": PASSWORD, "remember": "y"})
    carry(client, other_server, "remember_token")  # the session cookie is gone: the browser was closed
    assert "王建华" in other_server.get("/").get_data(as_text=True)


def test_a_server_with_another_secret_key_knows_nobody(client, app, make_user):
    user = make_user(name="王建华")
    client.post("/login", data={"phone": user.phone, "password": PASSWORD, "remember": "y"})
    stranger = create_app({**{name: app.config[name] for name in SHARED}, "SECRET_KEY": "another"}).test_client()
    carry(client, stranger, "session", "remember_token")
    assert "王建华" not in stranger.get("/").get_data(as_text=True)


def test_a_form_from_one_server_checks_in_on_the_other(client, other_server, event):
    url = f"/c/{event.checkin_token}"
    fields = form_of(client, url)
    carry(client, other_server, "did", "session")
    response = other_server.post(url, data={**fields, "name": "李秀英", "phone": "13812341234", "consent": "y"})
    assert "签到成功" in response.get_data(as_text=True)
    assert [c.number for c in CheckIn.select().where(CheckIn.event == event)] == [1]


def test_a_resident_remembered_on_one_server_checks_in_with_one_tap_on_the_other(
    client, other_server, make_event, event
):
    url = f"/c/{event.checkin_token}"
    client.post(url, data={**form_of(client, url), "name": "张建国", "phone": "13812341234", "consent": "y"})
    carry(client, other_server, "did", "resident")
    assert "您已于" in other_server.get(url).get_data(as_text=True)
    other = make_event(event.organization, title="社区合唱排练", **OPEN_NOW)
    url = f"/c/{other.checkin_token}"
    assert "以 张* 身份签到" in other_server.get(url).get_data(as_text=True)
    response = other_server.post(url, data={**form_of(other_server, url), "one_tap": "1"})
    assert "签到成功" in response.get_data(as_text=True)
    assert CheckIn.get(CheckIn.event == other).phone == "13812341234"
