"""Organizations: registration, the street office's queue, direct addition, consoles, volunteer invitations."""
import datetime
import io
import re

import pytest
import zxingcpp
from PIL import Image

from models import AuditLog, Invite, Membership, Organization
from tests.conftest import login

COMMUNITY = {
    "name": "新华路银发合唱团", "kind": "community", "credit_code": "", "street": None,
    "service_fields": ["elderly", "culture_sports"], "party_org": "joint_branch",
    "contact_name": "王阿姨", "contact_phone": "13800001111",
}


def form(street, **changes):
    data = {**COMMUNITY, "street": str(street.id), **changes}
    return data


def test_registering_an_organization_puts_it_in_its_streets_queue(client, make_user, street):
    founder = make_user(name="王阿姨")
    login(client, founder)
    response = client.post("/orgs/new", data=form(street("xinhua")))
    assert response.status_code == 303
    org = Organization.get(Organization.name == "新华路银发合唱团")
    assert org.status == "pending" and org.credit_code is None and org.field_list == ["elderly", "culture_sports"]
    assert Membership.get(Membership.organization == org).user_id == founder.id
    assert "正在等待 新华路街道 审核" in client.get(response.headers["Location"]).get_data(as_text=True)

    login(client, make_user("street_moderator", street="xinhua"))
    queue = client.get("/streets/xinhua/").get_data(as_text=True)
    assert "新华路银发合唱团" in queue.split('id="orgs"')[0]


def test_another_streets_moderator_cannot_see_the_organization(client, make_user, make_org):
    org = make_org("xinhua", status="pending", name="新华某组织")
    login(client, make_user("street_moderator", street="tianshan"))
    assert client.get("/streets/xinhua/").status_code == 404
    assert client.get(f"/orgs/{org.id}/manage").status_code == 404
    assert "新华某组织" not in client.get("/streets/tianshan/").get_data(as_text=True)
    assert client.post(f"/streets/tianshan/orgs/{org.id}/admit").status_code == 404
    assert Organization.get_by_id(org.id).status == "pending"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"kind": "social_group", "credit_code": ""}, "社会团体、社会服务机构和基金会须填写统一社会信用代码"),
        ({"kind": "social_group", "credit_code": "53100000500020462H"}, "统一社会信用代码校验不通过"),
        ({"kind": "foundation", "credit_code": "5310000050002046"}, "统一社会信用代码应为 18 位，您输入了 16 位"),
        ({"service_fields": []}, "请至少选择一个服务领域"),
        ({"contact_phone": "1380000"}, "请输入 11 位手机号码"),
        ({"name": ""}, "请填写这一项"),
        ({"kind": ""}, "请选择组织类型"),
    ],
)
def test_bad_registration_input_is_explained_beside_the_field_and_kept(client, make_user, street, changes, message):
    login(client, make_user())
    response = client.post("/orgs/new", data=form(street("xinhua"), **changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    if changes.get("credit_code"):
        assert f'value="{changes["credit_code"]}"' in html
    assert Organization.select().count() == 0


def test_credit_code_typed_in_full_width_lower_case_is_accepted(client, make_user, street):
    login(client, make_user())
    client.post(
        "/orgs/new",
        data=form(street("xinhua"), kind="social_service", credit_code=" ５２３１０１０５ｍｊ４ａ００014ｘ "),
    )
    assert Organization.get().credit_code == "52310105MJ4A00014X"


def test_a_credit_code_can_be_registered_only_once(client, make_user, make_org, street):
    make_org(kind="social_group", credit_code="53100000500019795A")
    login(client, make_user())
    response = client.post(
        "/orgs/new", data=form(street("xinhua"), kind="social_group", credit_code="53100000500019795A")
    )
    assert response.status_code == 422 and "这个统一社会信用代码已经登记过" in response.get_data(as_text=True)


def test_moderator_admits_in_place_and_the_action_is_audited(client, make_user, make_org):
    org = make_org("xinhua", status="pending")
    moderator = make_user("street_moderator", street="xinhua")
    login(client, moderator)
    response = client.post(f"/streets/xinhua/orgs/{org.id}/admit", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="org-{org.id}"' in response.get_data(as_text=True) and "<html" not in response.get_data(as_text=True)
    assert Organization.get_by_id(org.id).status == "active"
    entry = AuditLog.get(AuditLog.action == "organization.admit")
    assert (entry.actor_id, entry.target_id, entry.street_id) == (moderator.id, org.id, org.street_id)


def test_admitting_twice_is_refused_politely(client, make_user, make_org):
    org = make_org("xinhua", status="active")
    login(client, make_user("street_moderator", street="xinhua"))
    response = client.post(f"/streets/xinhua/orgs/{org.id}/admit", follow_redirects=True)
    assert "这个组织已经处理过了" in response.get_data(as_text=True)


def test_admitting_what_a_colleague_declined_says_so_in_place(app, client, make_user, make_org):
    org = make_org("xinhua", status="pending")
    login(client, make_user("street_moderator", street="xinhua"))
    colleague = app.test_client()
    login(colleague, make_user("district_admin"))
    colleague.post(
        f"/streets/xinhua/orgs/{org.id}/decline", data={"reason": "材料不全"}, headers={"HX-Request": "true"}
    )

    response = client.post(f"/streets/xinhua/orgs/{org.id}/admit", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    row, message = html.split('hx-swap-oob="true"')
    assert f'id="org-{org.id}"' in row and "未通过" in row and "材料不全" in row and "确认不予通过" not in row
    assert 'id="messages"' in html and "这个组织已经处理过了" in message
    assert Organization.get_by_id(org.id).status == "declined"
    assert not AuditLog.select().where(AuditLog.action == "organization.admit").exists()


def test_declining_needs_a_reason_which_the_organization_then_reads(client, make_user, make_org):
    founder = make_user()
    org = make_org("xinhua", admin=founder, status="pending")
    login(client, make_user("street_moderator", street="xinhua"))
    url = f"/streets/xinhua/orgs/{org.id}/decline"
    response = client.post(url, data={"reason": "  "}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and "请写明理由，便于组织修改" in response.get_data(as_text=True)
    assert Organization.get_by_id(org.id).status == "pending"

    response = client.post(url, data={"reason": "请补充章程和负责人身份证明"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert Organization.get_by_id(org.id).status == "declined"
    login(client, founder)
    page = client.get(f"/orgs/{org.id}/manage").get_data(as_text=True)
    assert "街镇未予通过" in page and "请补充章程和负责人身份证明" in page


def test_moderator_adds_an_organization_directly_and_its_contact_becomes_admin(client, make_user, street):
    contact = make_user(phone="13800001111")
    login(client, make_user("street_moderator", street="xinhua"))
    assert client.get("/streets/xinhua/orgs/new").status_code == 200
    response = client.post("/streets/xinhua/orgs/new", data=form(street("xinhua")))
    assert response.status_code == 303
    org = Organization.get(Organization.name == "新华路银发合唱团")
    assert org.status == "active"
    assert Membership.get(Membership.organization == org).user_id == contact.id


def test_moderator_cannot_add_an_organization_to_another_street(client, make_user, street):
    login(client, make_user("street_moderator", street="xinhua"))
    response = client.post("/streets/xinhua/orgs/new", data=form(street("tianshan")))
    assert response.status_code == 422
    assert Organization.select().count() == 0


def test_console_searches_filters_and_masks_phones(client, make_user, make_org):
    for i in range(3):
        make_org("xinhua", name=f"合唱团{i}")
    make_org("xinhua", name="读书会", status="flagged")
    login(client, make_user("street_moderator", street="xinhua"))
    html = client.get("/streets/xinhua/?q=合唱").get_data(as_text=True)
    assert "合唱团0" in html and "读书会" not in html
    html = client.get("/streets/xinhua/?status=flagged").get_data(as_text=True)
    assert "读书会" in html and "合唱团0" not in html.split('id="org-list"')[1]
    assert re.search(r"158\*\*\*\*\d{4}", html) and not re.search(r"158\d{8}", html.split('id="org-list"')[1])


def test_console_search_answers_htmx_with_the_list_only(client, make_user, make_org):
    make_org("xinhua", name="合唱团")
    login(client, make_user("street_moderator", street="xinhua"))
    response = client.get("/streets/xinhua/?q=合唱", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="org-list">') and "合唱团" in html
    assert "HX-Request" in response.headers["Vary"]
    boosted = client.get("/streets/xinhua/?q=合唱", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)


def test_console_pages_through_two_hundred_organizations(client, make_user, make_org):
    for i in range(120):
        make_org("xinhua", name=f"组织{i:03d}")
    login(client, make_user("street_moderator", street="xinhua"))
    first = client.get("/streets/xinhua/").get_data(as_text=True)
    assert "共 120 个" in first and "组织000" in first and "组织050" not in first and "下一页" in first
    third = client.get("/streets/xinhua/?page=3").get_data(as_text=True)
    assert "组织119" in third and "下一页" not in third


def test_district_console_lists_the_ten_streets_with_counts(client, make_user, make_org):
    make_org("xinhua")
    make_org("xinhua", status="pending")
    make_org("xinjing")
    login(client, make_user("district_admin"))
    html = client.get("/admin/").get_data(as_text=True)
    assert html.count('href="/streets/') == 10
    xinhua_row = re.search(r"新华路街道</a></td>\s*(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r"<td[^>]*>(\d+)</td>", xinhua_row)[:3] == ["2", "1", "1"]
    assert client.get("/streets/xinjing/").status_code == 200


def decode_qr(png_bytes):
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png_bytes)))
    return [r.text for r in results]


class TestInvites:
    @pytest.fixture
    def app_config(self):
        return {"BASE_URL": "https://ningshe.example.cn"}

    def test_org_admin_invites_a_volunteer_by_link_and_qr_code(self, app, client, make_user, make_org):
        admin = make_user()
        org = make_org("xinhua", admin=admin, name="睦邻互助会")
        login(client, admin)
        assert client.post(f"/orgs/{org.id}/invites").status_code == 303
        invite = Invite.get(Invite.organization == org)
        page = client.get(f"/orgs/{org.id}/manage").get_data(as_text=True)
        link = f"https://ningshe.example.cn/join/{invite.token}"
        assert link in page
        qr = client.get(f"/orgs/{org.id}/invites/{invite.id}/qr.png")
        assert qr.mimetype == "image/png" and decode_qr(qr.data) == [link]

        volunteer = make_user(name="小红")
        login(client, volunteer)
        assert "加入 睦邻互助会" in client.get(f"/join/{invite.token}").get_data(as_text=True)
        assert client.post(f"/join/{invite.token}").status_code == 303
        assert Membership.get(Membership.user == volunteer).role == "volunteer"
        assert client.get(f"/orgs/{org.id}/manage").status_code == 200

    def test_anonymous_visitor_of_an_invite_is_asked_to_sign_up_first(self, client, make_user, make_org, app):
        org = make_org("xinhua")
        invite = Invite.create(
            organization=org, created_by=org.memberships.get().user, expires_at=datetime.datetime(2100, 1, 1)
        )
        html = client.get(f"/join/{invite.token}").get_data(as_text=True)
        assert "请先登录或注册" in html and f"/signup?next=/join/{invite.token}" in html

    def test_an_expired_invite_says_so(self, client, make_user, make_org):
        org = make_org("xinhua")
        invite = Invite.create(
            organization=org, created_by=org.memberships.get().user, expires_at=datetime.datetime(2000, 1, 1)
        )
        login(client, make_user())
        response = client.get(f"/join/{invite.token}")
        assert response.status_code == 410 and "这个邀请链接已过期" in response.get_data(as_text=True)
        client.post(f"/join/{invite.token}")
        assert Membership.select().count() == 1

    def test_a_pending_organization_cannot_invite_yet(self, client, make_user, make_org):
        admin = make_user()
        org = make_org("xinhua", admin=admin, status="pending")
        login(client, admin)
        response = client.post(f"/orgs/{org.id}/invites", follow_redirects=True)
        assert "组织通过审核后才能邀请志愿者" in response.get_data(as_text=True)
        assert Invite.select().count() == 0
