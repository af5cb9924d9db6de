"""Sessions end when they should: logout, logout everywhere, a new password, a stopped account. Cookies copied
before the end are replayed to prove it."""
import datetime
import os

import pytest
from peewee import SqliteDatabase
from playhouse.migrations import Runner
from playhouse.reflection import Introspector

from models import AuditLog, District, Street, User, db
from tests.conftest import MIGRATIONS, PASSWORD, login, pg_url, reset_pg_schema

PHONE = "13912345678"
REMEMBER = "remember_token"
SESSION = "session"


def log_in(client, phone=PHONE, password=PASSWORD, remember=True):
    data = {"phone": phone, "password": password}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return {name: client.get_cookie(name).value for name in (SESSION, REMEMBER) if client.get_cookie(name)}


def signed_in(client):
    """Whether the client is logged in, as a page that needs it answers."""
    return client.get("/account/password").status_code == 200


def replay(app, cookies, only=None):
    """A new browser that carries copies of ``cookies`` (or only the one named ``only``)."""
    browser = app.test_client()
    for name, value in cookies.items():
        if only in (None, name):
            browser.set_cookie(name, value)
    return browser


@pytest.fixture
def account(make_user):
    return make_user(name="张志强", phone=PHONE)


def test_cookies_name_the_session_token_not_the_account_number(app, client, account):
    log_in(client)
    assert signed_in(client)
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = str(account.id)  # what the cookie carried before: guessable, and never ending
    assert not signed_in(browser)


def test_every_account_has_its_own_token(make_user):
    tokens = {make_user().session_token for _ in range(3)}
    assert len(tokens) == 3 and all(len(token) >= 40 for token in tokens)


def test_logout_clears_the_remember_me_cookie_on_this_device(app, client, account):
    cookies = log_in(client)
    assert set(cookies) == {SESSION, REMEMBER}
    response = client.post("/logout")
    assert response.status_code == 303
    assert any(h.startswith(f"{REMEMBER}=;") for h in response.headers.getlist("Set-Cookie"))
    assert client.get_cookie(REMEMBER) is None
    assert not signed_in(client)
    assert "登录" in client.get("/").get_data(as_text=True)


def test_logout_everywhere_ends_every_device_and_every_copied_cookie(app, client, account):
    cookies = log_in(client)
    phone = app.test_client()
    log_in(phone)
    assert signed_in(phone)

    response = client.post("/account/logout-everywhere", follow_redirects=True)
    assert "已在所有设备上退出登录，请重新登录" in response.get_data(as_text=True)
    assert not signed_in(client)
    assert not signed_in(phone)
    assert not signed_in(replay(app, cookies, only=SESSION))
    assert not signed_in(replay(app, cookies, only=REMEMBER))
    assert AuditLog.get(AuditLog.action == "user.logout_everywhere").actor_id == account.id
    log_in(client)  # the password still works
    assert signed_in(client)


def test_logout_everywhere_is_on_the_password_page(client, account):
    login(client, account)
    html = client.get("/account/password").get_data(as_text=True)
    assert 'action="/account/logout-everywhere"' in html and "退出所有设备" in html


def test_a_new_password_ends_the_other_sessions_and_keeps_this_one(app, client, account):
    old = log_in(client)
    phone = app.test_client()
    log_in(phone, remember=False)

    response = client.post(
        "/account/password", data={"current": PASSWORD, "password": "new-pass-9", "confirm": "new-pass-9"},
        follow_redirects=True,
    )
    assert "密码已修改，其他设备上的登录已退出" in response.get_data(as_text=True)
    assert signed_in(client)
    assert not signed_in(phone)
    assert not signed_in(replay(app, old, only=SESSION))
    assert not signed_in(replay(app, old, only=REMEMBER))
    # this device was remembered: it gets a remember-me cookie under the new token, which works alone
    fresh = client.get_cookie(REMEMBER).value
    assert fresh != old[REMEMBER]
    assert signed_in(replay(app, {REMEMBER: fresh}))


def test_a_stopped_account_stays_logged_out_when_restored(app, client, make_user):
    moderator = make_user("street_moderator", street="xinhua", phone=PHONE)
    cookies = log_in(client)
    assert client.get("/streets/xinhua/").status_code == 200

    admin = app.test_client()
    login(admin, make_user("district_admin"))
    admin.post(f"/admin/accounts/{moderator.id}/active", data={"active": "0"})
    assert client.get("/streets/xinhua/").status_code == 302
    admin.post(f"/admin/accounts/{moderator.id}/active", data={"active": "1"})

    assert not signed_in(client)
    assert not signed_in(replay(app, cookies, only=SESSION))
    assert not signed_in(replay(app, cookies, only=REMEMBER))
    log_in(client)
    assert client.get("/streets/xinhua/").status_code == 200


def test_logout_everywhere_needs_a_login(client):
    response = client.post("/account/logout-everywhere")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.fixture
def before_0005(backend, tmp_path):
    """A database of its own, migrated up to 0004: what an older version left behind."""
    if backend == "sqlite":
        database = SqliteDatabase(str(tmp_path / "old.db"), pragmas={"foreign_keys": 1})
    else:
        from playhouse.db_url import connect

        schema = f"ningshe_before_0005_{os.getpid()}"
        reset_pg_schema(schema)
        database = connect(pg_url(schema))
    previous = db.obj
    db.initialize(database)
    Runner(database, MIGRATIONS).up("0004_checkins")
    yield database
    database.close()
    db.initialize(previous)
    if backend == "postgresql":
        reset_pg_schema(schema, create=False)


def old_models(database):
    """The user and audit_log tables as they are, before 0005."""
    models = Introspector.from_database(database).generate_models(table_names=["user", "audit_log"])
    return models["user"], models["audit_log"]


def old_user(model, phone, role, district=None):
    return model.create(name="某人", phone=phone, role=role, district=district, street=None, password_hash="x",
                        active=True, created_at=datetime.datetime(2026, 1, 1))


def test_0005_gives_existing_accounts_distinct_tokens_and_reviewers_their_admins_district(before_0005):
    OldUser, OldLog = old_models(before_0005)
    xuhui = District.create(code="310104", name="徐汇区")
    Street.create(district=xuhui, code="310104003", slug="tianping", name="天平路街道")
    xuhui_admin = old_user(OldUser, "13900009000", "district_admin", district=xuhui.id)
    by_xuhui = old_user(OldUser, "13900009001", "reviewer")
    old_user(OldUser, "13900009002", "reviewer")
    member = old_user(OldUser, "13900009003", "member")
    when = datetime.datetime(2026, 1, 1)
    OldLog.create(actor=xuhui_admin.id, action="user.create_staff", target_type="user", target_id=by_xuhui.id,
                  detail="reviewer", created_at=when)
    OldLog.create(actor=member.id, action="user.signup", target_type="user", target_id=member.id, detail="",
                  created_at=when)

    Runner(before_0005, MIGRATIONS).up()

    users = {u.phone: u for u in User.select()}
    tokens = {u.session_token for u in users.values()}
    assert len(users) == 4 and None not in tokens and len(tokens) == 4
    assert users["13900009001"].district_id == xuhui.id  # the district of the admin who created the account
    assert users["13900009002"].district_id is None  # two districts and no trail: no district admin manages it
    assert users["13900009003"].district_id is None  # members belong to no district
    assert [e.actor_id for e in AuditLog.select().order_by(AuditLog.id)] == [xuhui_admin.id, member.id]


def test_0005_puts_reviewers_in_the_only_district(before_0005):
    OldUser, _ = old_models(before_0005)
    old_user(OldUser, "13900009001", "reviewer")
    Runner(before_0005, MIGRATIONS).up()
    assert User.get(User.phone == "13900009001").district.code == "310105"
