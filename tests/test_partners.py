"""资源对接: an organization posts a need, the moderator of the need's street publishes it in place, a partner
responds, the poster sees the contact and marks the match, and the month counts it; contacts stay with the two sides."""
import datetime

import pytest

from blueprints.partners import queries
from core.timeutil import local_now
from models import AuditLog, Campaign, District, Need, Response, Street, User, utcnow
from tests.conftest import login

DAY = datetime.timedelta(days=1)
NEED_PHONE, PARTNER_PHONE, OTHER_PHONE = "13911112222", "13733334444", "13655556666"


def text(response):
    return response.get_data(as_text=True)


def field_block(html, name):
    """The form field ``name`` with its label and the messages beside it."""
    at = html.index(f'name="{name}"')
    start = html.rindex('<div class="field', 0, at)
    end = html.find('<div class="field', at)
    return html[start:end if end != -1 else len(html)]


def make_month(admin, **changes):
    """A published partner month of ``admin``'s district, running now."""
    now = utcnow()
    values = dict(
        district=admin.district, kind="month", name="第十七届公益伙伴月", theme="携手同行",
        application_opens_at=now - 20 * DAY, application_closes_at=now + 5 * DAY,
        starts_at=now - 5 * DAY, ends_at=now + 25 * DAY, published=True, created_by=admin,
    )
    return Campaign.create(**{**values, **changes})


def need_form(street, **changes):
    return {
        "kind": "need", "category": "volunteers", "title": "周末助老活动需要 10 名志愿者",
        "description": "周六上午陪伴独居老人", "street": str(street.id),
        "deadline": (local_now().date() + 10 * DAY).isoformat(),
        "contact_name": "王老师", "contact_phone": NEED_PHONE, **changes,
    }


@pytest.fixture
def month_world(app, make_user, make_org, street):
    """A running month; an organization of Xinhua with its admin and a volunteer; each street's moderator; a
    partner of Changning and one of another district; the admin of a third organization."""
    admin = make_user("district_admin")
    org_admin = make_user(name="组织管理员")
    org = make_org("xinhua", admin=org_admin)
    volunteer = make_user(name="志愿者")
    org.memberships.model.create(user=volunteer, organization=org, role="volunteer")
    changning = District.get(District.code == "310105")
    xuhui = District.create(code="310104", name="徐汇区")
    Street.create(district=xuhui, code="310104003", slug="tianping", name="天平路街道")
    third_admin = make_user(name="第三组织管理员")
    make_org("jiangsu", admin=third_admin)
    return {
        "month": make_month(admin), "admin": admin, "org": org, "org_admin": org_admin, "volunteer": volunteer,
        "xinhua_moderator": make_user("street_moderator", street="xinhua"),
        "tianshan_moderator": make_user("street_moderator", street="tianshan"),
        "partner": make_user("partner", district=changning, affiliation="上海某某科技有限公司", phone=PARTNER_PHONE),
        "other_partner": make_user("partner", district=xuhui, affiliation="徐汇基金会", phone=OTHER_PHONE),
        "third_admin": third_admin, "tianshan": street("tianshan"), "xinhua": street("xinhua"),
    }


def post_need(client, w, **changes):
    login(client, w["org_admin"])
    street = changes.pop("street", w["tianshan"])
    return client.post(f"/needs/new?campaign={w['month'].id}", data=need_form(street, **changes))


def published_need(w, **changes):
    values = dict(campaign=w["month"], organization=w["org"], kind="need", category="venue", title="需要活动场地",
                  description="50 人的活动室", street=w["xinhua"], deadline=local_now().date() + 5 * DAY,
                  contact_name="王老师", contact_phone=NEED_PHONE, status="published", created_by=w["org_admin"])
    return Need.create(**{**values, **changes})


def test_a_need_goes_from_post_to_match_and_the_month_counts_it(client, month_world):
    w = month_world
    login(client, w["org_admin"])
    response = client.get(f"/needs/new?campaign={w['month'].id}")
    assert response.status_code == 200
    assert f'<option selected value="{w["xinhua"].id}"' in text(response)  # the organization's street by default
    # Posted for Tianshan: Tianshan's moderator publishes it, not the organization's street.
    response = post_need(client, w)
    need = Need.get(Need.title == "周末助老活动需要 10 名志愿者")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/needs/{need.id}")
    assert need.status == "submitted" and need.street_id == w["tianshan"].id
    board = text(client.get(f"/campaigns/{w['month'].id}/needs"))
    assert "周末助老" not in board.split('id="need-list"')[1]  # only under 本组织发布的, until published

    login(client, w["xinhua_moderator"])
    assert client.post(f"/streets/xinhua/needs/{need.id}/publish").status_code == 404
    assert client.post(f"/streets/tianshan/needs/{need.id}/publish").status_code == 404
    login(client, w["tianshan_moderator"])
    console = text(client.get("/streets/tianshan/"))
    assert 'id="need-queue"' in console and "周末助老" in console
    assert NEED_PHONE not in console
    assert "1 条资源对接待发布" in text(client.get("/"))
    response = client.post(f"/streets/tianshan/needs/{need.id}/publish", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="need-{need.id}"' in text(response) and "已发布" in text(response)
    assert Need.get_by_id(need.id).status == "published"

    client.post("/logout")
    board = text(client.get(f"/campaigns/{w['month'].id}/needs?kind=need&category=volunteers&street=tianshan"))
    assert "周末助老" in board and NEED_PHONE not in board
    assert "周末助老" not in text(client.get(f"/campaigns/{w['month'].id}/needs?kind=offer"))
    assert "周末助老" not in text(client.get(f"/campaigns/{w['month'].id}/needs?street=xinhua"))

    login(client, w["partner"])
    page = text(client.get(f"/needs/{need.id}"))
    assert f'action="/needs/{need.id}/responses"' in page and NEED_PHONE not in page
    response = client.post(f"/needs/{need.id}/responses",
                           data={"message": "我们有 10 名员工志愿者", "contact_name": "李经理",
                                 "contact_phone": PARTNER_PHONE})
    assert response.status_code == 303
    assert NEED_PHONE in text(client.get(f"/needs/{need.id}"))  # the responder sees the poster's contact
    assert client.post(f"/needs/{need.id}/responses", data={"message": "again", "contact_name": "李",
                                                              "contact_phone": PARTNER_PHONE}).status_code == 409

    login(client, w["org_admin"])
    home = text(client.get("/"))
    assert "1 条新回应" in home
    page = text(client.get(f"/needs/{need.id}"))
    assert PARTNER_PHONE in page and "我们有 10 名员工志愿者" in page
    reply = Response.get(Response.need == need)
    response = client.post(f"/responses/{reply.id}/match")
    assert response.status_code == 303
    reply = Response.get_by_id(reply.id)
    assert reply.matched_at is not None and reply.matched_by_id == w["org_admin"].id
    assert Need.get_by_id(need.id).status == "matched"
    assert AuditLog.select().where(AuditLog.action == "response.match", AuditLog.target_id == reply.id).exists()
    assert queries.matches_made(w["month"]) == 1
    assert queries.matches_by_street(w["month"]) == {w["tianshan"].id: 1}
    assert "对接成功" in text(client.get(f"/needs/{need.id}"))


@pytest.mark.parametrize("who", ["third_admin", "anonymous", "xinhua_moderator", "volunteer", "other_partner"])
def test_contacts_stay_with_the_two_sides(client, month_world, who):
    w = month_world
    need = published_need(w, street=w["tianshan"])
    Response.create(need=need, responder=w["partner"], message="可以提供", contact_name="李经理",
                    contact_phone=PARTNER_PHONE)
    if who != "anonymous":
        login(client, w[who])
    page = text(client.get(f"/needs/{need.id}"))
    assert "需要活动场地" in page
    assert NEED_PHONE not in page and PARTNER_PHONE not in page and "李经理" not in page


def test_a_volunteer_cannot_post_and_the_other_district_partner_cannot_respond(client, month_world):
    w = month_world
    login(client, w["volunteer"])
    assert client.get(f"/needs/new?campaign={w['month'].id}").status_code == 403
    assert client.post(f"/needs/new?campaign={w['month'].id}", data=need_form(w["xinhua"])).status_code == 403
    need = published_need(w)
    login(client, w["other_partner"])
    assert f'action="/needs/{need.id}/responses"' not in text(client.get(f"/needs/{need.id}"))
    response = client.post(f"/needs/{need.id}/responses",
                           data={"message": "m", "contact_name": "赵", "contact_phone": OTHER_PHONE})
    assert response.status_code == 403
    login(client, w["org_admin"])  # its own organization's need
    response = client.post(f"/needs/{need.id}/responses",
                           data={"message": "m", "contact_name": "赵", "contact_phone": OTHER_PHONE})
    assert response.status_code == 403
    assert Response.select().count() == 0


def test_an_organization_admin_responds_for_its_organization(client, month_world):
    w = month_world
    need = published_need(w)
    login(client, w["third_admin"])
    response = client.post(f"/needs/{need.id}/responses",
                           data={"message": "我们的活动室可以借用", "contact_name": "赵", "contact_phone": OTHER_PHONE})
    assert response.status_code == 303
    assert Response.get().organization.street.slug == "jiangsu"


def test_an_empty_response_comes_back_with_its_messages(client, month_world):
    w = month_world
    need = published_need(w)
    login(client, w["partner"])
    response = client.post(f"/needs/{need.id}/responses", data={"message": "", "contact_name": "李",
                                                                  "contact_phone": "123"})
    assert response.status_code == 422
    html = text(response)
    assert "请填写这一项" in field_block(html, "message")
    assert "11 位手机号码" in field_block(html, "contact_phone")


def test_returned_then_changed_and_sent_again(client, month_world):
    w = month_world
    post_need(client, w, street=w["xinhua"])
    need = Need.get()
    login(client, w["xinhua_moderator"])
    response = client.post(f"/streets/xinhua/needs/{need.id}/return", data={"reason": ""},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422 and "请写明理由" in text(response)
    response = client.post(f"/streets/xinhua/needs/{need.id}/return", data={"reason": "请写明需要的人数和时间"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "已退回" in text(response)
    assert Need.get_by_id(need.id).status == "returned"

    login(client, w["org_admin"])
    assert "资源对接被退回" in text(client.get("/"))
    page = text(client.get(f"/needs/{need.id}"))
    assert "请写明需要的人数和时间" in page and f"/needs/{need.id}/edit" in page
    edit = client.get(f"/needs/{need.id}/edit")
    assert edit.status_code == 200 and "周末助老" in text(edit)
    response = client.post(f"/needs/{need.id}/edit", data=need_form(w["xinhua"], title="周六需要 10 名志愿者"))
    assert response.status_code == 303
    need = Need.get_by_id(need.id)
    assert need.status == "submitted" and need.title == "周六需要 10 名志愿者" and need.return_reason == ""
    login(client, w["xinhua_moderator"])
    assert "周六需要" in text(client.get("/streets/xinhua/"))
    # Another organization's admin and another street's moderator do not even see a need that waits.
    login(client, w["third_admin"])
    assert client.get(f"/needs/{need.id}").status_code == 404
    login(client, w["tianshan_moderator"])
    assert client.get(f"/needs/{need.id}").status_code == 404
    assert client.post(f"/streets/tianshan/needs/{need.id}/return", data={"reason": "x"}).status_code == 404


def test_a_deadline_in_the_past_is_refused_beside_the_field(client, month_world):
    w = month_world
    yesterday = (local_now().date() - DAY).isoformat()
    response = post_need(client, w, deadline=yesterday)
    assert response.status_code == 422
    html = text(response)
    assert "截止日期不能早于今天" in field_block(html, "deadline")
    assert "周末助老活动需要 10 名志愿者" in html
    assert Need.select().count() == 0


def test_the_district_admin_creates_a_partner_account_with_its_affiliation(client, month_world):
    w = month_world
    login(client, w["admin"])
    data = {"role": "partner", "street": "", "name": "陈经理", "phone": "13500001111", "password": "long-enough-2026"}
    response = client.post("/admin/accounts", data={**data, "affiliation": ""})
    assert response.status_code == 422
    assert "请填写公益伙伴所在的企业或基金会" in field_block(text(response), "affiliation")
    response = client.post("/admin/accounts", data={**data, "affiliation": "长宁公益基金会"})
    assert response.status_code == 303
    user = User.get(User.phone == "13500001111")
    assert (user.role, user.affiliation, user.district_id, user.street_id) == (
        "partner", "长宁公益基金会", w["admin"].district_id, None)
    assert "长宁公益基金会" in text(client.get("/admin/accounts"))

    client.post("/logout")
    response = client.post("/login", data={"phone": "13500001111", "password": "long-enough-2026"})
    assert response.status_code in (302, 303)
    home = text(client.get("/"))
    assert f"/campaigns/{w['month'].id}/needs" in home and "资源对接" in home


def test_a_past_deadline_leaves_the_board_and_takes_no_response(client, month_world):
    w = month_world
    need = published_need(w, deadline=local_now().date() - DAY)
    assert "需要活动场地" not in text(client.get(f"/campaigns/{w['month'].id}/needs"))
    login(client, w["partner"])
    response = client.post(f"/needs/{need.id}/responses",
                           data={"message": "m", "contact_name": "李", "contact_phone": PARTNER_PHONE})
    assert response.status_code == 409


def test_a_contest_has_no_board(client, month_world):
    w = month_world
    contest = make_month(w["admin"], kind="contest")
    assert client.get(f"/campaigns/{contest.id}/needs").status_code == 404
    login(client, w["org_admin"])
    assert client.get(f"/needs/new?campaign={contest.id}").status_code == 404


def test_the_board_lists_its_own_waiting_needs_to_the_poster_only(client, month_world):
    w = month_world
    post_need(client, w)
    board = text(client.get(f"/campaigns/{w['month'].id}/needs"))
    assert 'id="mine"' in board and "周末助老" in board and "待发布" in board
    assert f"/needs/new?campaign={w['month'].id}" in board
    login(client, w["third_admin"])
    board = text(client.get(f"/campaigns/{w['month'].id}/needs"))
    assert "周末助老" not in board and 'id="mine"' not in board


def route_world(admin, org, responder):
    """For the access matrix and the hostile sweep: {endpoint: {path argument: value}} over a running month of
    ``admin``'s district, with needs of ``org`` (of Xinhua) in each state a route acts on; ``responder`` has
    answered the one a match is marked on."""
    month = make_month(admin)
    w = {"month": month, "org": org, "org_admin": None, "xinhua": org.street}
    matchable = published_need(w, title="可对接")
    reply = Response.create(need=matchable, responder=responder, message="可以", contact_name="赵",
                            contact_phone=OTHER_PHONE)
    return {
        "partners.board": {"campaign_id": month.id},
        "partners.detail": {"need_id": published_need(w).id},
        "partners.respond": {"need_id": published_need(w).id},
        "partners.edit": {"need_id": published_need(w, status="returned", return_reason="请补充").id},
        "partners.publish": {"need_id": published_need(w, status="submitted").id},
        "partners.return_": {"need_id": published_need(w, status="submitted").id},
        "partners.match": {"response_id": reply.id},
    }
