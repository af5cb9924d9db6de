"""Accounts: sign-up, login with its rate limit, remember me, logout, passwords, staff accounts, CSRF, `next`."""
import threading
import time
import uuid

import pytest
from werkzeug.security import check_password_hash

from models import AuditLog, District, User
from tests.conftest import PASSWORD, csrf_from, login


def test_signup_opens_an_account_and_signs_in(client):
    response = client.post(
        "/signup",
        data={"name": "李秀英", "phone": "１３８ 1234 5678", "password": "lanting-42", "confirm": "lanting-42"},
    )
    assert response.status_code == 303
    user = User.get(User.phone == "13812345678")
    assert user.role == "member" and user.password_hash != "lanting-42"
    assert "您好，李秀英" in client.get("/").get_data(as_text=True)


def test_signup_with_a_taken_phone_says_so_beside_the_field_and_keeps_the_name(client, make_user):
    make_user(phone="13812345678")
    response = client.post(
        "/signup", data={"name": "李秀英", "phone": "13812345678", "password": "lanting-42", "confirm": "lanting-42"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "这个手机号已经注册过，请直接登录" in html
    assert 'value="李秀英"' in html


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "李", "phone": "12345", "password": "lanting-42", "confirm": "lanting-42"}, "请输入 11 位手机号码"),
        ({"name": "李", "phone": "13812345678", "password": "abc", "confirm": "abc"}, "密码至少 8 位"),
        (
            {"name": "李", "phone": "13812345678", "password": "lanting-42", "confirm": "lanting-43"},
            "两次输入的密码不一致",
        ),
        ({"name": "", "phone": "13812345678", "password": "lanting-42", "confirm": "lanting-42"}, "请填写这一项"),
    ],
)
def test_signup_explains_bad_input_in_chinese_and_keeps_it(client, data, message):
    response = client.post("/signup", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert f'value="{data["phone"]}"' in html
    assert User.select().count() == 0


def test_login_with_phone_and_password_remembers_the_device(client, make_user):
    user = make_user(name="张志强", phone="13912345678")
    response = client.post("/login", data={"phone": "139 1234 5678", "password": PASSWORD, "remember": "y"})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert client.get_cookie("remember_token") is not None
    assert "您好，张志强" in client.get("/").get_data(as_text=True)
    assert user.id


def test_login_follows_next_but_only_on_this_site(client, make_user):
    make_user(phone="13912345678")
    response = client.post("/login?next=/orgs/new", data={"phone": "13912345678", "password": PASSWORD})
    assert response.headers["Location"] == "/orgs/new"
    client.post("/logout")
    response = client.post("/login?next=https://evil.example/", data={"phone": "13912345678", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_wrong_password_says_so_and_keeps_the_phone(client, make_user):
    make_user(phone="13912345678")
    response = client.post("/login", data={"phone": "13912345678", "password": "wrong-one"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "手机号或密码不正确" in html and 'value="13912345678"' in html


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/orgs/new")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_repeated_failed_logins_for_one_phone_are_stopped_with_a_chinese_message(client, make_user):
    make_user(phone="13912345678")
    for _ in range(5):
        assert client.post("/login", data={"phone": "13912345678", "password": "wrong-one"}).status_code == 422
    response = client.post("/login", data={"phone": "13912345678", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多，请 5 分钟后再试" in response.get_data(as_text=True)
    # another account on the same network is not locked out
    make_user(phone="13912340000")
    assert client.post("/login", data={"phone": "13912340000", "password": PASSWORD}).status_code == 303


def test_successful_logins_do_not_count_towards_the_limit(client, make_user):
    make_user(phone="13912345678")
    for _ in range(8):
        assert client.post("/login", data={"phone": "13912345678", "password": PASSWORD}).status_code == 303
        client.post("/logout")


def test_logout_ends_the_session(client, make_user):
    login(client, make_user())
    assert client.post("/logout").status_code == 303
    assert client.get("/account/password").status_code == 302


def test_change_password(client, make_user):
    user = make_user(phone="13912345678")
    login(client, user)
    response = client.post(
        "/account/password", data={"current": "nope", "password": "new-pass-9", "confirm": "new-pass-9"}
    )
    assert response.status_code == 422 and "当前密码不正确" in response.get_data(as_text=True)
    response = client.post(
        "/account/password", data={"current": PASSWORD, "password": "new-pass-9", "confirm": "new-pass-9"}
    )
    assert response.status_code == 303
    client.post("/logout")
    assert client.post("/login", data={"phone": "13912345678", "password": PASSWORD}).status_code == 422
    assert client.post("/login", data={"phone": "13912345678", "password": "new-pass-9"}).status_code == 303


def test_district_admin_creates_a_moderator_bound_to_one_street(client, make_user, street):
    admin = make_user("district_admin")
    login(client, admin)
    xinhua = street("xinhua")
    response = client.post(
        "/admin/accounts",
        data={
            "role": "street_moderator",
            "street": str(xinhua.id),
            "name": "新华管理员",
            "phone": "13911110000",
            "password": "start-1234",
        },
    )
    assert response.status_code == 303
    moderator = User.get(User.phone == "13911110000")
    assert moderator.role == "street_moderator" and moderator.street_id == xinhua.id
    assert AuditLog.get(AuditLog.action == "user.create_staff").actor_id == admin.id
    assert "新华管理员" in client.get("/admin/accounts").get_data(as_text=True)


def test_a_moderator_needs_a_street(client, make_user):
    login(client, make_user("district_admin"))
    response = client.post(
        "/admin/accounts",
        data={
            "role": "street_moderator",
            "street": "",
            "name": "某管理员",
            "phone": "13911110000",
            "password": "start-1234",
        },
    )
    assert response.status_code == 422 and "街镇管理员必须选择所属街镇" in response.get_data(as_text=True)
    assert not User.select().where(User.phone == "13911110000").exists()


def test_district_admin_creates_a_reviewer(client, make_user):
    login(client, make_user("district_admin"))
    response = client.post(
        "/admin/accounts",
        data={
            "role": "reviewer", "street": "", "name": "评审甲", "phone": "13911112222", "password": "start-1234"
        },
    )
    assert response.status_code == 303
    assert User.get(User.phone == "13911112222").role == "reviewer"


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_post_without_token_is_refused_with_a_chinese_message(self, client, make_user):
        make_user(phone="13912345678")
        response = client.post("/login", data={"phone": "13912345678", "password": PASSWORD})
        assert response.status_code == 400
        assert "页面已过期，请刷新后再提交" in response.get_data(as_text=True)

    def test_post_with_the_pages_token_works(self, client, make_user):
        make_user(phone="13912345678")
        token = csrf_from(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"phone": "13912345678", "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 303

    def test_htmx_sends_the_token_in_a_header(self, client, make_user, make_org):
        moderator = make_user("street_moderator", street="xinhua")
        org = make_org("xinhua", status="pending")
        login(client, moderator)
        url = f"/streets/xinhua/orgs/{org.id}/admit"
        assert client.post(url, headers={"HX-Request": "true"}).status_code == 400
        token = csrf_from(client.get("/streets/xinhua/").get_data(as_text=True))
        response = client.post(url, headers={"HX-Request": "true", "X-CSRFToken": token})
        assert response.status_code == 200 and "正常" in response.get_data(as_text=True)


def test_district_admin_stops_a_moderator_who_then_cannot_log_in_and_restores_them(app, client, make_user):
    moderator = make_user("street_moderator", street="xinhua", phone="13911113333")
    theirs = app.test_client()
    login(theirs, moderator)
    assert theirs.get("/streets/xinhua/").status_code == 200

    admin = make_user("district_admin")
    login(client, admin)
    response = client.post(f"/admin/accounts/{moderator.id}/active", data={"active": "0"}, follow_redirects=True)
    assert "已停用" in response.get_data(as_text=True)
    assert AuditLog.get(AuditLog.action == "user.deactivate").target_id == moderator.id
    assert theirs.get("/streets/xinhua/").status_code == 302  # their session has ended
    assert app.test_client().post("/login", data={"phone": "13911113333", "password": PASSWORD}).status_code == 422

    client.post(f"/admin/accounts/{moderator.id}/active", data={"active": "1"})
    assert app.test_client().post("/login", data={"phone": "13911113333", "password": PASSWORD}).status_code == 303


def test_district_admin_cannot_stop_accounts_outside_the_staff_of_their_district(app, client, make_user, runner):
    runner.invoke(args=["add-district", "310104", "徐汇区", "--street", "310104003:tianping:天平路街道"])
    elsewhere = make_user("street_moderator", street="tianping")
    resident = make_user()
    admin = make_user("district_admin")
    login(client, admin)
    for user in (elsewhere, resident, admin):
        assert client.post(f"/admin/accounts/{user.id}/active", data={"active": "0"}).status_code == 404
    assert all(User.get_by_id(u.id).active for u in (elsewhere, resident, admin))


# Where `next` may lead: only to a path of this site, whatever a browser would make of the rest.

OFF_SITE = [
    "//evil.example/", "https://evil.example/", "http:evil.example", "javascript:alert(1)", "/\t/evil.example",
    "/\\evil.example", "\\/evil.example", "/\\/evil.example", "/\r\n/evil.example", "/\rSet-Cookie: x=1",
    "/\nLocation: //evil.example", " //evil.example", "\t//evil.example", "/\x01/evil.example", "///evil.example",
    "evil.example", "",
]


def goes_home(response, target, status):
    """Home, on this site; or a 400 when the target holds a control character (refused before any view)."""
    if response.status_code == 400 and any(ord(char) < 32 for char in target):
        return True
    return response.status_code == status and response.headers["Location"] == "/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_leads_off_the_site(client, make_user, target):
    make_user(phone="13912345678")
    response = client.post("/login", query_string={"next": target}, data={"phone": "13912345678", "password": PASSWORD})
    assert goes_home(response, target, 303)


def test_the_classic_tab_bypass_in_a_raw_query_string_goes_home(client, make_user):
    make_user(phone="13912345678")
    response = client.post("/login?next=/%09/evil.com", data={"phone": "13912345678", "password": PASSWORD})
    assert goes_home(response, "\t", 303)
    response = client.get("/login?next=/%0d%0a/evil.com")  # already signed in: straight on, and no 500
    assert goes_home(response, "\r\n", 302)


@pytest.mark.parametrize("target", OFF_SITE)
def test_language_and_elder_mode_switches_never_lead_off_the_site(client, target):
    assert goes_home(client.get("/lang/en", query_string={"next": target}), target, 302)
    assert goes_home(client.post("/settings/elder", data={"next": target}), target, 303)


@pytest.mark.parametrize("target", ["/events/?street=xinhua&when=week", "/orgs/new", "/events/%E6%B4%BB"])
def test_next_on_this_site_is_followed(client, make_user, target):
    make_user(phone="13912345678")
    response = client.post("/login", query_string={"next": target}, data={"phone": "13912345678", "password": PASSWORD})
    assert response.headers["Location"] == target
    assert client.get("/lang/en", query_string={"next": target}).headers["Location"] == target


# Passwords that a guesser tries first are refused, with the reason beside the field.

@pytest.mark.parametrize("password", ["12345678", "Password", "88888888", "a1234567", "qwertyui", "zzzzzzzzzz"])
def test_signup_refuses_the_commonest_passwords(client, password):
    response = client.post(
        "/signup", data={"name": "李秀英", "phone": "13812345678", "password": password, "confirm": password}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "这个密码太常见，很容易被猜到，请换一个" in html
    assert 'value="李秀英"' in html and 'value="13812345678"' in html
    assert not User.select().exists()


@pytest.mark.parametrize("password", ["13812345678", "a13812345678"])
def test_signup_refuses_the_phone_number_as_password(client, password):
    response = client.post(
        "/signup", data={"name": "李秀英", "phone": "138 1234 5678", "password": password, "confirm": password}
    )
    assert response.status_code == 422 and "密码不能包含手机号，请换一个" in response.get_data(as_text=True)
    assert not User.select().exists()


def test_a_short_password_is_told_once(client):
    response = client.post(
        "/signup", data={"name": "李秀英", "phone": "13812345678", "password": "1111", "confirm": "1111"}
    )
    html = response.get_data(as_text=True)
    assert "密码至少 8 位" in html and "这个密码太常见" not in html


def test_the_password_hint_says_the_rules_before_anyone_breaks_them(client):
    assert "至少 8 位，不要用手机号或 12345678 这样的常见密码" in client.get("/signup").get_data(as_text=True)


@pytest.mark.parametrize(
    "password, message",
    [("13912345678", "密码不能包含手机号"), ("88888888", "这个密码太常见"), ("short", "密码至少 8 位")],
)
def test_a_new_password_follows_the_same_rules(client, make_user, password, message):
    login(client, make_user(phone="13912345678"))
    response = client.post(
        "/account/password", data={"current": PASSWORD, "password": password, "confirm": password}
    )
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert User.get(User.phone == "13912345678").check_password(PASSWORD)  # unchanged


@pytest.mark.parametrize(
    "password, message", [("13911112222", "密码不能包含手机号"), ("password", "这个密码太常见")]
)
def test_staff_accounts_get_no_guessable_first_password(client, make_user, password, message):
    login(client, make_user("district_admin"))
    response = client.post(
        "/admin/accounts",
        data={"role": "reviewer", "street": "", "name": "评审甲", "phone": "13911112222", "password": password},
    )
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert not User.select().where(User.phone == "13911112222").exists()


# The login limit and what a failed login gives away.

@pytest.fixture
def password_checks(monkeypatch):
    """How many password hashes the app checks (werkzeug's check, counted on its way through)."""
    import blueprints.auth.operations
    import models.accounts

    calls = []
    lock = threading.Lock()
    real = check_password_hash

    def counted(pwhash, password):
        with lock:
            calls.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(models.accounts, "check_password_hash", counted)
    monkeypatch.setattr(blueprints.auth.operations, "check_password_hash", counted, raising=False)
    return calls


def guess_in_parallel(app, phone, guesses=60, address="127.0.0.1"):
    """``guesses`` wrong passwords for ``phone``, all sent at once from as many threads; their status codes."""
    barrier = threading.Barrier(guesses)
    statuses = []

    def guess(n):
        client = app.test_client()
        barrier.wait()
        response = client.post(
            "/login", data={"phone": phone, "password": f"guess-{n:04d}"}, environ_base={"REMOTE_ADDR": address}
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.parametrize("has_account", [True, False], ids=["account", "no-account"])
def test_sixty_parallel_guesses_on_one_phone_check_at_most_five_passwords(app, make_user, password_checks,
                                                                           has_account):
    if has_account:
        make_user(phone="13912345678")
    statuses = guess_in_parallel(app, "13912345678")
    assert len(password_checks) <= 5, f"{len(password_checks)} of 60 parallel guesses were checked"
    assert sorted(set(statuses)) == [422, 429] and statuses.count(422) == len(password_checks)


class TestLimitInRedis:
    """Several workers share the count through Redis: parallel guesses are counted there just as atomically."""

    @pytest.fixture
    def app_config(self):
        import redis

        url = "redis://127.0.0.1:6379"
        try:
            redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        except redis.exceptions.RedisError:
            pytest.skip("no Redis at 127.0.0.1:6379")
        return {"RATELIMIT_STORAGE_URI": url, "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}

    @pytest.fixture
    def address(self):
        """An address of this test's own: Flask-Limiter keeps the first key prefix it was given for the whole
        process, so its per-address count in Redis would carry over from one test to the next."""
        return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"

    def test_sixty_parallel_guesses_check_at_most_five_passwords(self, app, make_user, password_checks, address):
        make_user(phone="13912345678")
        guess_in_parallel(app, "13912345678", address=address)
        assert len(password_checks) <= 5, f"{len(password_checks)} of 60 parallel guesses were checked"

    def test_a_success_wipes_the_count(self, client, make_user, address):
        make_user(phone="13912345678")
        client.environ_base["REMOTE_ADDR"] = address
        for _ in range(4):
            assert client.post("/login", data={"phone": "13912345678", "password": "wrong-one"}).status_code == 422
        assert client.post("/login", data={"phone": "13912345678", "password": PASSWORD}).status_code == 303
        client.post("/logout")
        for _ in range(5):
            assert client.post("/login", data={"phone": "13912345678", "password": "wrong-one"}).status_code == 422


def test_a_phone_without_an_account_costs_a_password_check_too(client, make_user, password_checks):
    make_user(phone="13912345678")
    client.post("/login", data={"phone": "13912345678", "password": "wrong-one"})
    client.post("/login", data={"phone": "13912340000", "password": "wrong-one"})
    assert len(password_checks) == 2
    assert password_checks[0].split("$")[0] == password_checks[1].split("$")[0]  # the same method and cost


class TestEqualTime:
    """With a real cost of hashing, a wrong password takes as long whether or not the phone has an account."""

    @pytest.fixture
    def app_config(self):
        return {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:200000"}

    def test_wrong_passwords_take_the_same_time(self, client, make_user):
        phones = [f"1391234{n:04d}" for n in range(8)]
        for phone in phones[:4]:
            user = make_user(phone=phone)
            user.set_password(PASSWORD, "pbkdf2:sha256:200000")
            user.save()

        def timed(phone):
            start = time.perf_counter()
            assert client.post("/login", data={"phone": phone, "password": "wrong-one"}).status_code == 422
            return time.perf_counter() - start

        with_account = sorted(timed(phone) for phone in phones[:4])[1]
        without = sorted(timed(phone) for phone in phones[4:])[1]
        assert without > with_account * 0.5, (with_account, without)


def test_the_lock_out_reads_the_same_whether_or_not_the_phone_has_an_account(client, make_user):
    make_user(phone="13912345678")
    answers = {}
    for phone in ("13912345678", "13912340000"):
        for _ in range(5):
            client.post("/login", data={"phone": phone, "password": "wrong-one"})
        response = client.post("/login", data={"phone": phone, "password": "wrong-one"})
        page = response.get_data(as_text=True).replace(phone, "PHONE")
        answers[phone] = (response.status_code, page.replace(csrf_from(page), "TOKEN"))  # a token is timestamped
    assert answers["13912345678"] == answers["13912340000"]
    status, html = answers["13912345678"]
    assert status == 429 and "登录失败次数过多，请 5 分钟后再试" in html
    assert 'value="PHONE"' in html  # the phone stays in its field


# Reviewers belong to a district: its admin, and no other, lists them and stops them.

@pytest.fixture
def xuhui(runner):
    runner.invoke(args=["add-district", "310104", "徐汇区", "--street", "310104003:tianping:天平路街道"])
    return District.get(District.code == "310104")


def test_a_reviewer_belongs_to_the_district_of_the_admin_who_created_them(client, make_user, xuhui):
    admin = make_user("district_admin", district=xuhui)
    login(client, admin)
    client.post(
        "/admin/accounts",
        data={"role": "reviewer", "street": "", "name": "评审乙", "phone": "13911113333", "password": "start-1234"},
    )
    assert User.get(User.phone == "13911113333").district_id == xuhui.id


def test_a_district_admin_lists_and_stops_only_their_own_districts_reviewers(client, make_user, xuhui):
    changning = District.get(District.code == "310105")
    ours = make_user("reviewer", name="长宁评审", district=changning)
    theirs = make_user("reviewer", name="徐汇评审", district=xuhui)
    nobodys = make_user("reviewer", name="无区评审")
    login(client, make_user("district_admin"))
    html = client.get("/admin/accounts").get_data(as_text=True)
    assert "长宁评审" in html and "徐汇评审" not in html and "无区评审" not in html
    for reviewer in (theirs, nobodys):
        assert client.post(f"/admin/accounts/{reviewer.id}/active", data={"active": "0"}).status_code == 404
    assert User.get_by_id(theirs.id).active and User.get_by_id(nobodys.id).active
    response = client.post(f"/admin/accounts/{ours.id}/active", data={"active": "0"}, follow_redirects=True)
    assert "已停用 长宁评审 的账号，该账号不能再登录" in response.get_data(as_text=True)
    response = client.post(f"/admin/accounts/{ours.id}/active", data={"active": "1"}, follow_redirects=True)
    assert "已恢复 长宁评审 的账号" in response.get_data(as_text=True)


def test_the_policy_refuses_another_districts_reviewer(app, make_user, xuhui):
    from blueprints.admin.operations import set_active
    from core.errors import PermissionDenied

    theirs = make_user("reviewer", district=xuhui)
    with app.test_request_context(), pytest.raises(PermissionDenied):
        set_active(theirs, make_user("district_admin"), False)
    assert User.get_by_id(theirs.id).active


@pytest.mark.parametrize("password", ["12345678", "13911119999"])
def test_create_admin_refuses_a_guessable_password(runner, password):
    result = runner.invoke(
        args=["create-admin", "--phone", "13911119999", "--name", "区管理员", "--password", password]
    )
    assert result.exit_code != 0 and "too easy to guess" in result.output
    assert not User.select().where(User.phone == "13911119999").exists()
