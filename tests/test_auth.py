"""Accounts: sign-up, login with its rate limit, remember me, logout, passwords, staff accounts, CSRF."""
import pytest

from models import AuditLog, User
from tests.conftest import PASSWORD, csrf_from, login


def test_signup_opens_an_account_and_signs_in(client):
    response = client.post(
        "/signup", data={"name": "李秀英", "phone": "１３８ 1234 5678", "password": "abcd1234", "confirm": "abcd1234"}
    )
    assert response.status_code == 303
    user = User.get(User.phone == "13812345678")
    assert user.role == "member" and user.password_hash != "abcd1234"
    assert "您好，李秀英" in client.get("/").get_data(as_text=True)


def test_signup_with_a_taken_phone_says_so_beside_the_field_and_keeps_the_name(client, make_user):
    make_user(phone="13812345678")
    response = client.post(
        "/signup", data={"name": "李秀英", "phone": "13812345678", "password": "abcd1234", "confirm": "abcd1234"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "这个手机号已经注册过，请直接登录" in html
    assert 'value="李秀英"' in html


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "李", "phone": "12345", "password": "abcd1234", "confirm": "abcd1234"}, "请输入 11 位手机号码"),
        ({"name": "李", "phone": "13812345678", "password": "abc", "confirm": "abc"}, "密码至少 8 位"),
        ({"name": "李", "phone": "13812345678", "password": "abcd1234", "confirm": "abcd9999"}, "两次输入的密码不一致"),
        ({"name": "", "phone": "13812345678", "password": "abcd1234", "confirm": "abcd1234"}, "请填写这一项"),
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
