"""The district's accounts page: moving a moderator to another street, resetting a forgotten password (the org admin
logs in with the temporary one and must choose their own first), and the accounts export with masked phones."""
import csv
import io
import re

import pytest
from openpyxl import load_workbook

from models import AuditLog, District, Membership, Street, User
from tests.conftest import login


@pytest.fixture
def staff(make_user, make_org):
    xuhui = District.create(code="310104", name="徐汇区")
    Street.create(district=xuhui, code="310104003", slug="tianping", name="天平路街道")
    org = make_org("xinhua")
    return {
        "admin": make_user("district_admin", name="区管理员", phone="13700000001"),
        "moderator": make_user("street_moderator", street="xinhua", name="新华管理员", phone="13912345678"),
        "reviewer": make_user("reviewer", district=District.get(District.code == "310105"), name="评审专家"),
        "other_admin": make_user("district_admin", district=xuhui),
        "org": org,
        "org_admin": org.memberships.where(Membership.role == "admin").get().user,
    }


def page(client):
    return client.get("/admin/accounts").get_data(as_text=True)


def test_the_admin_moves_a_moderator_to_another_street(client, staff, street):
    moderator, tianshan = staff["moderator"], street("tianshan")
    login(client, staff["admin"])
    html = page(client)
    assert f'action="/admin/accounts/{moderator.id}/street"' in html
    response = client.post(f"/admin/accounts/{moderator.id}/street", data={"street": str(tianshan.id)})
    assert response.status_code == 303
    assert "已将 新华管理员 调往天山路街道" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert User.get_by_id(moderator.id).street_id == tianshan.id
    entry = AuditLog.get(AuditLog.action == "user.move_street")
    assert entry.actor_id == staff["admin"].id and entry.target_id == moderator.id
    assert entry.detail == "新华路街道 → 天山路街道" and entry.street_id == tianshan.id
    # From now on the moderator watches over Tianshan, and no longer over Xinhua.
    login(client, moderator)
    assert client.get("/streets/tianshan/").status_code == 200
    assert client.get("/streets/xinhua/").status_code == 404


def test_a_street_of_another_district_or_none_is_refused_beside_the_field(client, staff):
    moderator = staff["moderator"]
    login(client, staff["admin"])
    tianping = Street.get(Street.slug == "tianping")
    for value in (str(tianping.id), "", "abc", "99999999999999999999"):
        response = client.post(f"/admin/accounts/{moderator.id}/street", data={"street": value})
        html = response.get_data(as_text=True)
        assert response.status_code == 422, value
        assert "请选择本区的街镇" in html
        assert f'id="move-{moderator.id}-street"' in html
    assert User.get_by_id(moderator.id).street.slug == "xinhua"
    assert not AuditLog.select().where(AuditLog.action == "user.move_street").exists()


def test_only_moderators_of_the_district_are_moved_by_its_admin(client, staff, street):
    to_tianshan = {"street": str(street("tianshan").id)}
    login(client, staff["other_admin"])
    assert client.post(f"/admin/accounts/{staff['moderator'].id}/street", data=to_tianshan).status_code == 404
    login(client, staff["admin"])
    assert client.post(f"/admin/accounts/{staff['reviewer'].id}/street", data=to_tianshan).status_code == 404
    login(client, staff["moderator"])
    assert client.post(f"/admin/accounts/{staff['moderator'].id}/street", data=to_tianshan).status_code == 403
    assert User.get_by_id(staff["moderator"].id).street.slug == "xinhua"


def test_a_forgotten_password_is_reset_and_the_org_admin_must_choose_a_new_one(app, client, staff):
    """The street moderator, from the organization's page its profile links to, resets its admin's password."""
    org, org_admin = staff["org"], staff["org_admin"]
    login(client, staff["moderator"])
    profile = client.get(f"/streets/xinhua/orgs/{org.id}").get_data(as_text=True)
    assert f'href="/orgs/{org.id}/manage"' in profile
    manage = client.get(f"/orgs/{org.id}/manage").get_data(as_text=True)
    assert f'action="/accounts/{org_admin.id}/temporary-password"' in manage
    response = client.post(f"/accounts/{org_admin.id}/temporary-password", data={"next": f"/orgs/{org.id}/manage"})
    assert response.status_code == 200
    temporary = re.search(r'class="temporary-password"><strong>([^<]+)</strong>', response.get_data(as_text=True))[1]
    assert AuditLog.select().where(AuditLog.action == "user.temporary_password",
                                   AuditLog.target_id == org_admin.id).count() == 1

    browser = app.test_client()
    assert browser.post("/login", data={"phone": org_admin.phone, "password": "secret-pass-1"}).status_code == 422
    response = browser.post("/login", data={"phone": org_admin.phone, "password": temporary})
    assert response.status_code == 303 and response.headers["Location"] == "/account/password"
    for url in ("/", f"/orgs/{org.id}/manage", "/me/"):
        response = browser.get(url)
        assert response.status_code == 303 and response.headers["Location"] == "/account/password", url
    response = browser.post("/account/password",
                            data={"current": temporary, "password": "huating-2026", "confirm": "huating-2026"})
    assert response.status_code == 303
    assert browser.get(f"/orgs/{org.id}/manage").status_code == 200
    assert not User.get_by_id(org_admin.id).must_change_password


def test_the_district_admin_resets_a_moderators_password_from_the_accounts_page(client, staff):
    moderator = staff["moderator"]
    login(client, staff["admin"])
    assert f'action="/accounts/{moderator.id}/temporary-password"' in page(client)
    response = client.post(f"/accounts/{moderator.id}/temporary-password", data={"next": "/admin/accounts"})
    assert response.status_code == 200 and 'href="/admin/accounts"' in response.get_data(as_text=True)
    assert User.get_by_id(moderator.id).must_change_password
    entry = AuditLog.get(AuditLog.action == "user.temporary_password")
    assert entry.actor_id == staff["admin"].id
    # It is in the district's audit log, though it belongs to no street.
    html = client.get("/admin/audit?action=user.temporary_password").get_data(as_text=True)
    assert "区管理员" in html and "137****0001" in html and "13700000001" not in html
    assert f"账号 #{moderator.id}" in html and "重置密码（临时密码）" in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_accounts_export_opens_in_a_spreadsheet_with_masked_phones(client, staff, fmt):
    login(client, staff["admin"])
    response = client.get(f"/admin/accounts.{fmt}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert f'.{fmt}' in response.headers["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    else:
        rows = [[c if c is not None else "" for c in r] for r in load_workbook(io.BytesIO(response.data)).active.values]
    assert rows[0][:5] == ["姓名", "角色", "所在单位", "街镇", "手机号"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["新华管理员"][3] == "新华路街道" and by_name["新华管理员"][4] == "139****5678"
    assert "评审专家" in by_name
    assert "13912345678" not in response.data.decode("utf-8", "replace")
    login(client, staff["moderator"])
    assert client.get(f"/admin/accounts.{fmt}").status_code == 403
