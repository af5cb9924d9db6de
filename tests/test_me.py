"""Finding things again: /me/ lists this device's sign-ups (with their state) and check-ins, each linking to its
event; a resident moved up from the waiting list is told so; deleting and cancelling take a second, confirming step."""
import re
import secrets

import pytest

from core.limits import DEVICE_COOKIE, device_hash
from models import CheckIn, Signup, utcnow


@pytest.fixture
def org(make_org, make_user):
    return make_org("xinhua", admin=make_user(name="组织管理员"), name="新华路银发合唱团")


@pytest.fixture
def one_place(make_event, org):
    return make_event(org, title="插花体验课", capacity=1, signup_enabled=True)


@pytest.fixture
def anonymous(app):
    return app.test_client()


def form(name="李阿姨", phone="13812341234"):
    return {"name": name, "phone": phone, "consent": "y"}


def text(response):
    return response.get_data(as_text=True)


def signup_link(token):
    return f'href="/signups/{token}"'


def test_me_lists_this_devices_sign_ups_with_their_state_and_links(client, anonymous, one_place, make_event, org):
    other = make_event(org, title="太极拳晨练", capacity=None, signup_enabled=True)
    client.post(f"/events/{one_place.id}/signup", data=form())
    client.post(f"/events/{other.id}/signup", data=form())
    anonymous.post(f"/events/{one_place.id}/signup", data=form(name="王伯伯", phone="13900005678"))
    mine = text(client.get("/me/"))
    assert "插花体验课" in mine and "太极拳晨练" in mine
    assert f'href="/events/{one_place.id}"' in mine and f'href="/events/{other.id}"' in mine
    for record in Signup.select().where(Signup.phone == "13812341234"):
        assert signup_link(record.token) in mine
    assert "报名成功" in mine
    waiting = text(anonymous.get("/me/"))
    assert "候补第 1 位" in waiting and "太极拳晨练" not in waiting
    assert "李阿姨" not in waiting  # another device's sign-up is never shown


def test_a_resident_moved_up_from_the_waiting_list_is_told_on_both_pages(client, anonymous, one_place):
    first = client.post(f"/events/{one_place.id}/signup", data=form())
    second = anonymous.post(f"/events/{one_place.id}/signup", data=form(name="王伯伯", phone="13900005678"))
    assert "已从候补转为正式报名" not in text(anonymous.get("/me/"))
    client.post(first.headers["Location"] + "/cancel", data={"confirm": "1"})
    moved = Signup.get(Signup.phone == "13900005678")
    assert moved.status == "confirmed" and moved.promoted_at is not None
    assert "您已从候补转为正式报名" in text(anonymous.get(second.headers["Location"]))
    me = text(anonymous.get("/me/"))
    assert "已从候补转为正式报名" in me and 'class="msg msg-success promoted"' in me
    assert "已取消" in text(client.get("/me/"))


def test_signing_up_again_after_cancelling_is_not_a_promotion(client, one_place):
    response = client.post(f"/events/{one_place.id}/signup", data=form())
    Signup.update(promoted_at=utcnow()).execute()
    client.post(response.headers["Location"] + "/cancel", data={"confirm": "1"})
    client.post(f"/events/{one_place.id}/signup", data=form())
    assert Signup.get().promoted_at is None


def test_cancelling_a_sign_up_asks_first(client, one_place):
    location = client.post(f"/events/{one_place.id}/signup", data=form()).headers["Location"]
    page = text(client.get(location))
    # The first 取消报名 is a link to the confirming state, not a form: one tap cancels nothing.
    assert f'href="{location}?confirm=1#confirm"' in page
    assert f'action="{location}/cancel"' not in page
    confirming = text(client.get(location + "?confirm=1"))
    assert "确定要取消报名吗" in confirming and "确认取消" in confirming
    assert f'action="{location}/cancel"' in confirming and 'name="confirm" value="1"' in confirming
    assert Signup.get().status == "confirmed"
    client.post(location + "/cancel", data={"confirm": "1"})
    assert Signup.get().status == "cancelled"


def test_deleting_check_in_details_asks_first(app, client, org, make_event):
    event = make_event(org, title="读书会")
    device = secrets.token_urlsafe(16)
    client.set_cookie(DEVICE_COOKIE, device)
    with app.test_request_context():
        hashed = device_hash(device)
    CheckIn.create(event=event, name="李阿姨", phone="13812341234", number=1, device=hashed)
    page = text(client.get("/me/"))
    assert "读书会" in page and f'href="/events/{event.id}"' in page
    assert 'href="/me/?confirm=1#confirm"' in page and 'action="/me/erase"' not in page
    confirming = text(client.get("/me/?confirm=1"))
    assert "确定要删除吗" in confirming and "确认删除" in confirming and 'action="/me/erase"' in confirming
    assert CheckIn.get().phone == "13812341234"
    assert re.search(r"已删除 1 条签到", text(client.post("/me/erase", data={"confirm": "1"})))
    assert CheckIn.get().phone is None
