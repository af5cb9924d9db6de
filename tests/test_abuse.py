"""Check-in and sign-up abuse: an old rotating code, a script without the page's cookie, thousands of check-ins from
one address, a bot filling an event's places, and keys and cookies no browser would send."""
import re
import time
from unittest import mock

import pytest

from models import CheckIn, Membership, Signup
from tests.conftest import login
from tests.test_checkins import OPEN_NOW, decode, form_of, resident


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin, name="睦邻互助会")


@pytest.fixture
def event(make_event, org):
    return make_event(org, title="长者智能手机课堂", **OPEN_NOW)


@pytest.fixture
def rotating(make_event, org):
    return make_event(org, checkin_mode="rotating", **OPEN_NOW)


def text(response):
    return response.get_data(as_text=True)


def clock(seconds):
    """Signed time stamps read as ``seconds`` from now (itsdangerous's clock, the one they are checked against)."""
    return mock.patch("itsdangerous.timed.TimestampSigner.get_timestamp", return_value=int(time.time() + seconds))


def screen_code(app, org_admin, event):
    """The path and query the venue screen's code holds right now."""
    organizer = app.test_client()
    login(organizer, org_admin)
    [url] = decode(organizer.get(f"/events/{event.id}/qr.png").data)
    return url.replace("http://localhost", "")


def browser_at(app, address):
    """A browser whose requests come from ``address``."""
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


def person(i):
    return {"name": f"居民{i}", "phone": f"1391{i:07d}", "consent": "y"}


# --- 12. the rotating code's minute holds for the POST too -----------------------------------------------------------


def test_an_old_screen_stamp_checks_no_one_in_by_post(app, org_admin, rotating):
    path, stamp = screen_code(app, org_admin, rotating).split("?t=")
    client = app.test_client()
    client.get(f"{path}?t={stamp}")  # a real page load: the device cookie
    with clock(11 * 60):
        codes = [client.post(path, data={**person(i), "t": stamp, "key": f"script-key-{i:08d}"}).status_code
                 for i in range(5)]
    assert codes == [403] * 5
    assert CheckIn.select().count() == 0


def test_a_form_pass_checks_in_one_resident_and_only_on_its_device(app, org_admin, rotating):
    url = screen_code(app, org_admin, rotating)
    path = url.split("?")[0]
    client = app.test_client()
    fields = form_of(client, url)
    assert "签到成功" in text(client.post(path, data={**fields, **person(1)}))
    client.delete_cookie("resident")
    # The same page load again, with another phone: it answers with its first check-in.
    client.post(path, data={**fields, **person(2)})
    # The same pass with another key, or sent from another device, is refused.
    assert client.post(path, data={**fields, **person(3), "key": "another-key-0000000"}).status_code == 403
    stranger = app.test_client()
    stranger.get(url)
    assert stranger.post(path, data={**fields, **person(4)}).status_code == 403
    assert [c.phone for c in CheckIn.select()] == [person(1)["phone"]]


def test_a_forms_window_closes_and_not_me_does_not_reopen_it(app, org_admin, rotating):
    url = screen_code(app, org_admin, rotating)
    client = app.test_client()
    fields = form_of(client, url)
    form_age = app.config["CHECKIN_FORM_MAX_AGE"]
    with clock(form_age - 60):
        # 不是我 a few minutes on, long after the screen's code: the form again, in the window it had.
        again = client.post(f"{url.split('?')[0]}/forget", data={"t": fields["t"]}, follow_redirects=True)
        assert again.status_code == 200 and 'name="phone"' in text(again)
        later = form_of(client, client.post(f"{url.split('?')[0]}/forget", data={"t": fields["t"]}).location)
    with clock(form_age + 5):
        response = client.post(url.split("?")[0], data={**later, **person(1)})
    assert response.status_code == 403 and "二维码已过期" in text(response)
    assert CheckIn.select().count() == 0


# --- 13. one script, thousands of check-ins --------------------------------------------------------------------------


def test_a_post_without_the_pages_device_cookie_is_refused_with_a_way_forward(client, event):
    url = f"/c/{event.checkin_token}"
    fields = form_of(client, url)
    client.delete_cookie("did")
    response = client.post(url, data={**fields, **person(1)})
    html = text(response)
    assert response.status_code == 400 and "请刷新页面后再签到" in html
    assert f'href="{url}"' in html and "刷新签到页" in html
    assert CheckIn.select().count() == 0
    # Reloading the page, as it says, works.
    assert "签到成功" in text(resident(client, url, **{k: v for k, v in person(1).items() if k != "consent"}))


@pytest.mark.parametrize("cookie", ["d" * 100, "短", "a.b~c" * 5])
def test_a_device_cookie_no_browser_was_given_is_refused_and_replaced(client, event, cookie):
    url = f"/c/{event.checkin_token}"
    fields = form_of(client, url)
    client.set_cookie("did", cookie)
    response = client.post(url, data={**fields, **person(1)})
    assert response.status_code == 400 and "请刷新页面后再签到" in text(response)
    assert CheckIn.select().count() == 0
    assert re.fullmatch(r"[\w-]{22}", client.get_cookie("did").value)


class TestOneAddress:
    @pytest.fixture
    def app_config(self):
        return {"CHECKIN_LIMIT_PER_ADDRESS": "5 per minute;8 per hour"}

    def test_check_ins_per_event_and_address_are_bounded_and_say_so(self, app, make_event, org, event):
        url = f"/c/{event.checkin_token}"
        codes = [resident(app.test_client(), url, **person(i)).status_code for i in range(5)]
        client = app.test_client()
        response = resident(client, url, **person(5))
        html = text(response)
        assert codes == [200] * 5 and response.status_code == 429
        assert "现场签到的人太多了，请稍等一分钟再点「签到」" in html
        assert 'value="居民5"' in html and f'value="{person(5)["phone"]}"' in html  # kept for the next tap
        assert CheckIn.select().count() == 5
        # Another event at the same address has its own allowance; another address is not concerned.
        other = make_event(org, **OPEN_NOW)
        assert resident(app.test_client(), f"/c/{other.checkin_token}", **person(6)).status_code == 200
        elsewhere = browser_at(app, "10.1.2.3")
        assert resident(elsewhere, url, **person(7)).status_code == 200

    def test_mistakes_and_double_taps_do_not_use_up_the_allowance(self, app, event):
        url = f"/c/{event.checkin_token}"
        for i in range(8):
            client = app.test_client()
            resident(client, url, **{**person(i), "consent": ""})  # 422: the notice was not ticked
            data = {**form_of(client, url), **person(i)}
            client.post(url, data=data)
            client.post(url, data=data)  # the second tap
            if i == 4:
                break
        assert CheckIn.select().count() == 5

    def test_the_hourly_bound_holds_across_minutes(self, app, event):
        url = f"/c/{event.checkin_token}"
        codes = []
        for minute in range(2):
            with mock.patch("limits.storage.memory.time.time", return_value=time.time() + 61 * minute):
                codes += [resident(app.test_client(), url, **person(10 * minute + i)).status_code for i in range(5)]
        assert codes.count(200) == 8 and codes[-1] == 429


def test_each_check_in_records_its_device_and_address_for_the_street(app, event):
    url = f"/c/{event.checkin_token}"
    family, neighbour = app.test_client(), app.test_client()
    resident(family, url, **person(1))
    family.delete_cookie("resident")
    resident(family, url, **person(2))
    resident(neighbour, url, **person(3))
    elsewhere = browser_at(app, "2001:db8:1:2::77")
    resident(elsewhere, url, **person(4))
    rows = {c.phone: c for c in CheckIn.select()}
    one, two, three, four = (rows[person(i)["phone"]] for i in (1, 2, 3, 4))
    assert one.device == two.device != three.device
    assert one.address == two.address == three.address != four.address
    assert "2001" not in four.address


def test_a_whole_ipv6_network_counts_as_one_address(app, event):
    url = f"/c/{event.checkin_token}"
    for suffix in ("1", "2"):
        resident(browser_at(app, f"2001:db8:1:2::{suffix}"), url, **person(int(suffix)))
    first, second = CheckIn.select().order_by(CheckIn.id)
    assert first.address == second.address


# --- 14. a bot fills an event's places -------------------------------------------------------------------------------


@pytest.fixture
def places(make_event, org):
    return make_event(org, title="插花体验课", capacity=30, signup_enabled=True)


def sign_up(client, event, i):
    return client.post(f"/events/{event.id}/signup", data={**person(i)})


def test_one_browser_cannot_take_an_events_places(app, client, places):
    client.get(f"/events/{places.id}")
    codes = [sign_up(client, places, i).status_code for i in range(30)]
    assert codes[:5] == [303] * 5 and set(codes[5:]) == {429}
    assert "这台手机为这个活动报名的人数已达上限" in text(sign_up(client, places, 99))
    assert Signup.select().count() == 5
    # A resident at home still gets a confirmed place.
    home = browser_at(app, "10.9.8.7")
    home.get(f"/events/{places.id}")
    assert "报名成功" in text(home.get(sign_up(home, places, 100).location))


def test_many_browsers_at_one_address_are_bounded_per_event(app, make_event, org, places):
    def fresh_browser():
        browser = app.test_client()
        browser.get(f"/events/{places.id}")
        return browser

    codes = [sign_up(fresh_browser(), places, i).status_code for i in range(25)]
    assert codes.count(303) == 20 and set(codes[20:]) == {429}
    assert "报名太集中" in text(sign_up(fresh_browser(), places, 99))
    other = make_event(org, capacity=30, signup_enabled=True)
    assert sign_up(fresh_browser(), other, 1).status_code == 303
    assert Signup.select().where(Signup.event == places, Signup.status == "confirmed").count() == 20


def test_a_repeated_or_wrong_sign_up_uses_up_nothing(client, places):
    client.get(f"/events/{places.id}")
    for i in range(20, 26):
        assert client.post(f"/events/{places.id}/signup", data={**person(i), "consent": ""}).status_code == 422
    assert [sign_up(client, places, 1).status_code for _ in range(6)] == [303] * 6  # then: already signed up
    assert [sign_up(client, places, i).status_code for i in range(2, 6)] == [303] * 4
    assert Signup.select().count() == 5


# --- 15. keys and cookies no browser would send ----------------------------------------------------------------------


def test_a_form_of_another_event_is_refused_and_stores_nothing(app, client, make_event, org, event):
    other = make_event(org, **OPEN_NOW)
    fields = form_of(client, f"/c/{event.checkin_token}")
    response = client.post(f"/c/{other.checkin_token}", data={**fields, **person(1)})
    assert response.status_code == 400 and "页面已过期，请刷新后重新填写" in text(response)
    assert CheckIn.select().count() == 0


@pytest.mark.parametrize("key", ["k" * 100, "", "a~b.c"])
def test_a_key_no_page_gave_is_refused_and_stores_nothing(client, event, key):
    url = f"/c/{event.checkin_token}"
    response = client.post(url, data={**form_of(client, url), **person(1), "key": key})
    assert response.status_code == 400 and "页面已过期" in text(response)
    assert CheckIn.select().count() == 0


class TestVolunteerForm:
    @pytest.fixture
    def volunteer(self, make_user, org):
        user = make_user(name="志愿者小红")
        Membership.create(user=user, organization=org, role="volunteer")
        return user

    def test_a_key_used_at_another_event_is_said_beside_the_form(self, client, volunteer, make_event, org, event):
        other = make_event(org, **OPEN_NOW)
        login(client, volunteer)
        client.post(f"/events/{event.id}/checkins", data={"name": "赵阿婆", "key": "reused-key-000000"})
        response = client.post(f"/events/{other.id}/checkins", data={"name": "钱阿公", "key": "reused-key-000000"})
        html = text(response)
        assert response.status_code == 422 and "页面已过期，请刷新后重新填写" in html and 'value="钱阿公"' in html
        assert [c.name for c in CheckIn.select()] == ["赵阿婆"]

    def test_a_100_character_key_is_said_beside_the_form(self, client, volunteer, event):
        login(client, volunteer)
        response = client.post(f"/events/{event.id}/checkins", data={"name": "赵阿婆", "key": "k" * 100})
        assert response.status_code == 422 and "页面已过期，请刷新后重新填写" in text(response)
        assert CheckIn.select().count() == 0

    def test_an_undo_reason_too_long_is_refused(self, client, volunteer, event):
        from blueprints.checkins.operations import check_in

        checkin, _ = check_in(event, "李秀英", "13812341234")
        login(client, volunteer)
        response = client.post(f"/events/{event.id}/checkins/{checkin.id}/undo", data={"reason": "长" * 201},
                               follow_redirects=True)
        assert response.status_code == 200 and "200" in text(response)
        assert CheckIn.get_by_id(checkin.id).undone_at is None


def test_bursts_from_one_browser_are_found_for_the_street(app, event):
    from blueprints.checkins.queries import bursts

    url = f"/c/{event.checkin_token}"
    script = app.test_client()
    for i in range(6):
        script.delete_cookie("resident")
        resident(script, url, **person(i))
    for i in range(6, 9):
        resident(app.test_client(), url, **person(i))  # three neighbours, one phone each
    found = bursts(event)
    assert [(b["kind"], b["count"]) for b in found] == [("device", 6)]
    assert found[0]["source"] == CheckIn.get(CheckIn.phone == person(0)["phone"]).device[:8]
