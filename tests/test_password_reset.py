"""Forgotten passwords: whom to ask, the temporary password staff issue, and changing it at the next login."""
import re

import pytest

from blueprints.auth.operations import TEMPORARY_ALPHABET, issue_temporary_password
from core.errors import PermissionDenied
from core.policy import can
from models import AuditLog, District, Membership, Street, User
from tests.conftest import PASSWORD, login


@pytest.fixture
def people(make_user, make_org):
    """A volunteer of a Xinhua organization, the moderators of Xinhua and Tianshan, the district admin, a reviewer,
    and the admin of a second district."""
    volunteer = make_user(name="王阿姨", phone="13911112222")
    org = make_org("xinhua")
    Membership.create(user=volunteer, organization=org, role="volunteer")
    xuhui = District.create(code="310104", name="徐汇区")
    Street.create(district=xuhui, code="310104003", slug="tianping", name="天平路街道")
    return {
        "org": org,
        "volunteer": volunteer,
        "org_admin": org.memberships.where(Membership.role == "admin").get().user,
        "moderator": make_user("street_moderator", street="xinhua", name="新华管理员"),
        "other_moderator": make_user("street_moderator", street="tianshan"),
        "district_admin": make_user("district_admin"),
        "reviewer": make_user("reviewer", district=District.get(District.code == "310105")),
        "other_district_admin": make_user("district_admin", district=xuhui),
        "stranger": make_user(name="无组织用户"),
    }


def reset(client, staff, account, **data):
    login(client, staff)
    return client.post(f"/accounts/{account.id}/temporary-password", data=data)


def test_login_page_links_to_what_to_do_when_the_password_is_forgotten(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in html and "忘记密码？" in html
    page = client.get("/password/forgot").get_data(as_text=True)
    assert "请联系您所在组织的街镇管理员" in page and "请联系区管理员" in page


def test_account_page_says_whom_to_ask(client, people):
    login(client, people["volunteer"])
    assert "联系所在组织的街镇管理员" in client.get("/account/password").get_data(as_text=True)


@pytest.mark.parametrize(
    "staff, account, allowed",
    [
        ("moderator", "volunteer", True),
        ("moderator", "org_admin", True),
        ("district_admin", "volunteer", True),
        ("district_admin", "moderator", True),
        ("district_admin", "reviewer", True),
        ("other_moderator", "volunteer", False),
        ("other_district_admin", "volunteer", False),
        ("other_district_admin", "moderator", False),
        ("moderator", "other_moderator", False),
        ("moderator", "district_admin", False),
        ("moderator", "stranger", False),  # in no organization of the street
        ("district_admin", "other_district_admin", False),
        ("org_admin", "volunteer", False),
        ("reviewer", "volunteer", False),
        ("moderator", "moderator", False),
        ("district_admin", "district_admin", False),
    ],
)
def test_who_may_issue_a_temporary_password(app, people, staff, account, allowed):
    with app.test_request_context():
        assert can(people[staff], "reset_password", people[account]) is allowed


def test_street_moderator_issues_a_temporary_password_shown_once(client, people):
    volunteer = people["volunteer"]
    old_token = volunteer.session_token
    response = reset(client, people["moderator"], volunteer, next=f"/orgs/{people['org'].id}/manage")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "139****2222" in html and "13911112222" not in html
    assert f'href="/orgs/{people["org"].id}/manage"' in html
    account = User.get_by_id(volunteer.id)
    password = re.search(r'class="temporary-password"><strong>([^<]+)</strong>', html).group(1)
    assert len(password) == 8 and set(password) <= set(TEMPORARY_ALPHABET)
    assert account.check_password(password) and not account.check_password(PASSWORD)
    assert account.must_change_password and account.session_token != old_token
    entry = AuditLog.get(AuditLog.action == "user.temporary_password")
    assert entry.actor_id == people["moderator"].id and entry.target_id == volunteer.id
    assert password not in entry.detail


def test_a_moderator_of_another_street_meets_a_404_and_nothing_changes(client, people):
    response = reset(client, people["other_moderator"], people["volunteer"])
    assert response.status_code == 404
    assert not User.get_by_id(people["volunteer"].id).must_change_password
    assert AuditLog.select().where(AuditLog.action == "user.temporary_password").count() == 0


def test_the_operation_refuses_whoever_may_not(app, people):
    with app.test_request_context(), pytest.raises(PermissionDenied):
        issue_temporary_password(people["volunteer"], people["volunteer"])


def test_the_button_is_beside_members_on_the_organization_page_for_its_street_office(client, people):
    login(client, people["moderator"])
    html = client.get(f"/orgs/{people['org'].id}/manage").get_data(as_text=True)
    assert f'action="/accounts/{people["volunteer"].id}/temporary-password"' in html
    login(client, people["org_admin"])
    html = client.get(f"/orgs/{people['org'].id}/manage").get_data(as_text=True)
    assert "temporary-password" not in html


def test_the_button_is_beside_staff_on_the_district_accounts_page(client, people):
    login(client, people["district_admin"])
    html = client.get("/admin/accounts").get_data(as_text=True)
    assert f'action="/accounts/{people["moderator"].id}/temporary-password"' in html
    assert f'action="/accounts/{people["reviewer"].id}/temporary-password"' in html


def temporary_password_for(app, account, staff):
    with app.test_request_context():
        return issue_temporary_password(User.get_by_id(account.id), staff)


def test_the_temporary_password_must_be_changed_before_anything_else(app, client, people):
    temporary = temporary_password_for(app, people["volunteer"], people["moderator"])
    response = client.post("/login", data={"phone": "13911112222", "password": temporary})
    assert response.status_code == 303 and response.headers["Location"] == "/account/password"
    page = client.get("/account/password").get_data(as_text=True)
    assert "您正在使用临时密码" in page
    for url in ("/", f"/orgs/{people['org'].id}/manage", "/events/"):
        response = client.get(url)
        assert response.status_code == 303 and response.headers["Location"] == "/account/password", url
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/account/password"
    assert client.get("/password/forgot").status_code == 200

    same = {"current": temporary, "password": temporary, "confirm": temporary}
    response = client.post("/account/password", data=same)
    assert response.status_code == 422 and "请设置一个和临时密码不同的新密码" in response.get_data(as_text=True)

    response = client.post(
        "/account/password", data={"current": temporary, "password": "lanting-2026", "confirm": "lanting-2026"}
    )
    assert response.status_code == 303
    assert not User.get_by_id(people["volunteer"].id).must_change_password
    assert client.get("/").status_code == 200


def test_logging_out_stays_open_with_a_temporary_password(app, client, people):
    temporary = temporary_password_for(app, people["volunteer"], people["district_admin"])
    client.post("/login", data={"phone": "13911112222", "password": temporary})
    assert client.post("/logout").status_code == 303
    assert client.get("/").status_code == 200


def test_the_old_sessions_end_when_a_temporary_password_is_issued(app, client, people):
    login(client, people["volunteer"])
    assert client.get("/account/password").status_code == 200
    temporary_password_for(app, people["volunteer"], people["moderator"])
    response = client.get("/account/password")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
