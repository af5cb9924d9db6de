"""Signing up for the partner month: an org admin signs up from a phone, changes it, withdraws it; the moderator of
the organization's street confirms it or returns it in place; a returned one waits on the org admin's home page."""
import datetime

import pytest
from flask import render_template

from blueprints.entries import queries
from models import AuditLog, Campaign, MonthEntry, utcnow
from tests.conftest import csrf_from, login

DAY = datetime.timedelta(days=1)
HX = {"HX-Request": "true"}


def make_month(admin, published=True, signup_open=True, **changes):
    """A partner month of ``admin``'s district starting in ten days, its sign-up window open now (or past)."""
    now = utcnow()
    opens, closes = (now - DAY, now + 9 * DAY) if signup_open else (now - 20 * DAY, now - DAY)
    values = dict(district=admin.district, kind="month", name="第十七届公益伙伴月", theme="携手同行",
                  application_opens_at=opens, application_closes_at=closes, starts_at=now + 10 * DAY,
                  ends_at=now + 40 * DAY, published=published, created_by=admin)
    return Campaign.create(**{**values, **changes})


def entry_form(**changes):
    return {"theme": "社区长者健康月", "planned_events": "4", "contact_name": "王老师", "contact_phone": "13812345678",
            **changes}


@pytest.fixture
def month_world(make_user, make_org):
    admin = make_user("district_admin")
    org_admin = make_user(name="组织管理员")
    org = make_org("xinhua", admin=org_admin, name="新华路长者服务社")
    return {
        "month": make_month(admin), "admin": admin, "org": org, "org_admin": org_admin,
        "moderator": make_user("street_moderator", street="xinhua"),
        "other_moderator": make_user("street_moderator", street="tianshan"),
    }


def sign_up(client, world, **changes):
    login(client, world["org_admin"])
    return client.post(f"/campaigns/{world['month'].id}/signup", data=entry_form(**changes))


def test_an_org_admin_signs_up_changes_and_withdraws(client, month_world):
    month = month_world["month"]
    form = client.get(f"/campaigns/{month.id}/signup")
    assert form.status_code == 302  # signed out: to the login page
    login(client, month_world["org_admin"])
    page = client.get(f"/campaigns/{month.id}/signup").get_data(as_text=True)
    assert "新华路长者服务社" in page and 'name="planned_events"' in page
    assert month_world["org_admin"].phone in page  # the organization's contact, filled in
    response = sign_up(client, month_world)
    assert response.status_code == 303
    entry = MonthEntry.get()
    assert (entry.theme, entry.planned_events, entry.status) == ("社区长者健康月", 4, "pending")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "待确认" in page and "撤回报名" in page
    assert sign_up(client, month_world, planned_events="6").status_code == 303
    assert MonthEntry.get().planned_events == 6 and MonthEntry.select().count() == 1
    response = client.post(f"/campaigns/{month.id}/signup/withdraw", data={"organization": entry.organization_id})
    assert response.status_code == 303 and MonthEntry.get().status == "withdrawn"
    assert [a.action for a in AuditLog.select().order_by(AuditLog.id)] == [
        "entry.signup", "entry.edit", "entry.withdraw"]
    assert not any("13812345678" in (a.detail or "") for a in AuditLog.select())


def test_bad_input_comes_back_beside_the_fields(client, month_world):
    response = sign_up(client, month_world, planned_events="101", contact_phone="12345", theme="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请填写 1 到 100 之间的整数" in html and "请输入 11 位手机号码" in html and "请填写这一项" in html
    assert 'value="王老师"' in html and 'value="12345"' in html
    assert not MonthEntry.select().exists()


def test_outside_the_window_sign_up_is_refused_with_a_message(client, month_world):
    closed = make_month(month_world["admin"], signup_open=False, name="第十六届公益伙伴月")
    login(client, month_world["org_admin"])
    page = client.get(f"/campaigns/{closed.id}/signup")
    assert page.status_code == 200 and "现在不能报名或修改" in page.get_data(as_text=True)
    response = client.post(f"/campaigns/{closed.id}/signup", data=entry_form())
    assert response.status_code == 409 and "现在不能报名或修改" in response.get_data(as_text=True)
    assert not MonthEntry.select().exists()


def test_only_admins_of_admitted_organizations_of_the_district_sign_up(client, month_world, make_user, make_org):
    month = month_world["month"]
    login(client, make_user(name="居民"))
    assert client.get(f"/campaigns/{month.id}/signup").status_code == 403
    pending = make_org("xinhua", status="pending")
    login(client, pending.memberships.get().user)
    assert client.post(f"/campaigns/{month.id}/signup", data=entry_form()).status_code == 403
    draft = make_month(month_world["admin"], published=False)
    login(client, month_world["org_admin"])
    assert client.get(f"/campaigns/{draft.id}/signup").status_code == 404
    assert not MonthEntry.select().exists()


def test_an_admin_of_several_chooses_the_organization(client, month_world, make_org):
    second = make_org("xinhua", admin=month_world["org_admin"], name="新华路青少年之家")
    login(client, month_world["org_admin"])
    month = month_world["month"]
    page = client.get(f"/campaigns/{month.id}/signup").get_data(as_text=True)
    assert "新华路青少年之家" in page and "新华路长者服务社" in page and "未报名" in page
    response = client.post(f"/campaigns/{month.id}/signup", data={**entry_form(), "organization": second.id})
    assert response.status_code == 303 and MonthEntry.get().organization_id == second.id


def test_the_street_confirms_in_place(client, month_world):
    sign_up(client, month_world)
    entry = MonthEntry.get()
    login(client, month_world["moderator"])
    console = client.get("/streets/xinhua/").get_data(as_text=True)
    assert "伙伴月报名待确认" in console and "新华路长者服务社" in console and "社区长者健康月" in console
    assert "13812345678" in console  # the street calls the contact back
    home = client.get("/").get_data(as_text=True)
    assert "1 份伙伴月报名待确认" in home
    response = client.post(f"/streets/xinhua/entries/{entry.id}/confirm", headers=HX,
                           data={"csrf_token": csrf_from(console)})
    assert response.status_code == 200 and f'id="entry-{entry.id}"' in response.get_data(as_text=True)
    assert "已确认" in response.get_data(as_text=True)
    entry = MonthEntry.get()
    assert entry.status == "confirmed" and entry.decided_by_id == month_world["moderator"].id
    assert queries.is_confirmed(month_world["org"], month_world["month"])
    assert [o.id for o in queries.confirmed_organizations(month_world["month"])] == [month_world["org"].id]
    login(client, month_world["org_admin"])
    assert sign_up(client, month_world, planned_events="9").status_code == 409  # confirmed: no longer changed
    assert MonthEntry.get().planned_events == 4


def test_the_street_returns_saying_what_to_change_and_the_org_sees_it_to_do(client, month_world):
    sign_up(client, month_world)
    entry = MonthEntry.get()
    login(client, month_world["moderator"])
    empty = client.post(f"/streets/xinhua/entries/{entry.id}/return", headers=HX, data={"reason": ""})
    assert empty.status_code == 422 and "请写明理由" in empty.get_data(as_text=True)
    response = client.post(f"/streets/xinhua/entries/{entry.id}/return", headers=HX,
                           data={"reason": "请写明活动地点和服务对象"})
    assert response.status_code == 200 and "需修改" in response.get_data(as_text=True)
    assert MonthEntry.get().status == "returned" and MonthEntry.get().note == "请写明活动地点和服务对象"
    login(client, month_world["org_admin"])
    home = client.get("/").get_data(as_text=True)
    assert "伙伴月报名需修改" in home and f"/campaigns/{entry.campaign_id}/signup" in home
    page = client.get(f"/campaigns/{entry.campaign_id}/signup").get_data(as_text=True)
    assert "请写明活动地点和服务对象" in page and "保存修改并重新提交" in page
    assert sign_up(client, month_world, theme="长者健康月·新华路").status_code == 303
    assert MonthEntry.get().status == "pending"
    assert "伙伴月报名需修改" not in client.get("/").get_data(as_text=True)


def test_another_streets_moderator_meets_a_404(client, month_world):
    sign_up(client, month_world)
    entry = MonthEntry.get()
    login(client, month_world["other_moderator"])
    assert client.post(f"/streets/xinhua/entries/{entry.id}/confirm").status_code == 404
    assert client.post(f"/streets/tianshan/entries/{entry.id}/confirm").status_code == 404
    assert client.post(f"/streets/tianshan/entries/{entry.id}/return", data={"reason": "x"}).status_code == 404
    assert "新华路长者服务社" not in client.get("/streets/tianshan/").get_data(as_text=True)
    assert MonthEntry.get().status == "pending"


def test_a_decision_taken_twice_says_so_in_place(client, month_world):
    sign_up(client, month_world)
    entry = MonthEntry.get()
    login(client, month_world["moderator"])
    client.post(f"/streets/xinhua/entries/{entry.id}/confirm", headers=HX)
    again = client.post(f"/streets/xinhua/entries/{entry.id}/return", headers=HX, data={"reason": "再看看"})
    assert again.status_code == 200 and "已确认" in again.get_data(as_text=True)
    assert MonthEntry.get().status == "confirmed"


def test_the_month_page_offers_sign_up_to_org_admins(app, client, month_world):
    month = month_world["month"]
    login(client, month_world["org_admin"])
    with app.test_request_context():
        login_as(month_world["org_admin"])
        html = render_template("entries/_signup_link.html", campaign=month)
    assert "我要报名" in html and f"/campaigns/{month.id}/signup" in html
    sign_up(client, month_world)
    with app.test_request_context():
        login_as(month_world["org_admin"])
        html = render_template("entries/_signup_link.html", campaign=Campaign.get_by_id(month.id))
    assert "查看报名" in html and "待确认" in html


def login_as(user):
    from flask_login import login_user

    login_user(user)
