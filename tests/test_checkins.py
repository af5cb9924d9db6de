"""QR check-in: the code, the resident's page and each of its messages, crowds, volunteers, exports, privacy."""
import csv
import datetime
import io
import re
from unittest import mock

import pytest
import zxingcpp
from openpyxl import load_workbook
from PIL import Image

from blueprints.checkins.operations import check_in
from models import AuditLog, CheckIn, Membership, Signup
from tests.conftest import login, run_threads

MINUTE = datetime.timedelta(minutes=1)
OPEN_NOW = {"status": "published", "starts_in": -10 * MINUTE, "hours": 2}


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin, name="睦邻互助会")


@pytest.fixture
def event(make_event, org):
    return make_event(org, title="长者智能手机课堂", venue="愚园路 1000 号", **OPEN_NOW)


def decode(png):
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def form_of(client, url):
    """The check-in form as the resident's browser would submit it: its hidden fields and CSRF token."""
    html = client.get(url).get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="(key|t|csrf_token)"[^>]*value="([^"]*)"', html))
    return fields


def resident(client, url, name="李秀英", phone="13812341234", **extra):
    data = {**form_of(client, url), "name": name, "phone": phone, "consent": "y", **extra}
    return client.post(url.split("?")[0], data=data)


class TestCode:
    @pytest.fixture
    def app_config(self):
        return {"BASE_URL": "https://ningshe.example.cn"}

    def test_png_and_svg_encode_the_absolute_check_in_url(self, client, org_admin, event):
        login(client, org_admin)
        url = f"https://ningshe.example.cn/c/{event.checkin_token}"
        png = client.get(f"/events/{event.id}/qr.png")
        assert png.mimetype == "image/png" and decode(png.data) == [url]
        assert Image.open(io.BytesIO(png.data)).size[0] >= 400  # large enough for a poster
        svg = client.get(f"/events/{event.id}/qr.svg")
        assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data

    def test_the_token_is_random_and_unguessable(self, make_event, org):
        tokens = {make_event(org).checkin_token for _ in range(5)}
        assert len(tokens) == 5 and all(len(t) >= 32 for t in tokens)

    def test_poster_has_title_time_place_code_and_the_call_to_scan(self, client, org_admin, event):
        login(client, org_admin)
        html = client.get(f"/events/{event.id}/poster").get_data(as_text=True)
        for text in ("长者智能手机课堂", "愚园路 1000 号", "微信扫一扫 签到", f"/events/{event.id}/qr.svg", "年"):
            assert text in html
        assert "poster.css" in html
        with client.get(re.search(r'href="(/static/css/poster\.css[^"]*)"', html).group(1)) as css:
            assert b"@page { size: A4" in css.data and b"@media print" in css.data

    def test_the_code_is_not_public(self, client, event):
        assert client.get(f"/events/{event.id}/qr.png").status_code == 302  # to the login page


class TestResidentPage:
    def test_a_resident_checks_in_with_name_phone_and_consent(self, client, event):
        url = f"/c/{event.checkin_token}"
        page = client.get(url).get_data(as_text=True)
        assert "长者智能手机课堂" in page and "个人信息说明" in page and "保存期限" in page
        assert re.search(r'<input[^>]*name="consent"(?![^>]*checked)', page), "the consent box starts unticked"
        response = resident(client, url, phone="１３８１２３４１２３４")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "签到成功" in html and "您是第 1 位" in html and "138****1234" in html
        checkin = CheckIn.get()
        assert (checkin.name, checkin.phone, checkin.method, checkin.number) == ("李秀英", "13812341234", "qr", 1)
        assert checkin.consent_at is not None

    def test_the_next_resident_is_number_two(self, app, event):
        url = f"/c/{event.checkin_token}"
        resident(app.test_client(), url, phone="13812340001")
        html = resident(app.test_client(), url, phone="13812340002").get_data(as_text=True)
        assert "您是第 2 位" in html

    @pytest.mark.parametrize(
        "changes, message",
        [
            ({"consent": ""}, "请先勾选同意个人信息说明"),
            ({"phone": "1381234"}, "请输入 11 位手机号码"),
            ({"phone": "12812341234"}, "请输入 11 位手机号码"),
            ({"name": ""}, "请填写姓名"),
        ],
    )
    def test_bad_input_is_explained_and_kept(self, client, event, changes, message):
        url = f"/c/{event.checkin_token}"
        data = {**form_of(client, url), "name": "李秀英", "phone": "13812341234", "consent": "y", **changes}
        response = client.post(url, data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and message in html
        if changes.get("phone"):
            assert f'value="{changes["phone"]}"' in html
        assert CheckIn.select().count() == 0

    def test_a_child_under_fourteen_checks_in_through_a_guardian(self, client, event):
        html = client.get(f"/c/{event.checkin_token}").get_data(as_text=True)
        assert "未满 14 周岁" in html and "监护人" in html
        resident(client, f"/c/{event.checkin_token}", name="王妈妈", minor="y")
        assert CheckIn.get().minor is True

    def test_checking_in_twice_is_not_an_error(self, client, event):
        url = f"/c/{event.checkin_token}"
        resident(client, url)
        first = CheckIn.get()
        client.delete_cookie("resident")  # the same phone, typed again on the same device
        html = resident(client, url).get_data(as_text=True)
        when = first.created_at.replace(tzinfo=datetime.UTC).astimezone(datetime.timezone(datetime.timedelta(hours=8)))
        assert f"您已于 {when:%H:%M} 签到" in html and "第 1 位" in html
        assert CheckIn.select().count() == 1

    def test_checking_in_again_on_another_device_says_so_and_nothing_more(self, app, event):
        url = f"/c/{event.checkin_token}"
        resident(app.test_client(), url, name="李秀英")
        other = app.test_client()
        response = resident(other, url, name="王某")
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "这个手机号已签到" in html and "不用再签了" in html
        assert "李秀英" not in html and "第 1 位" not in html and "您已于" not in html
        assert other.get_cookie("resident") is None
        assert CheckIn.select().count() == 1 and CheckIn.get().name == "李秀英"

    def test_a_retried_form_finds_its_first_check_in(self, client, event):
        url = f"/c/{event.checkin_token}"
        data = {**form_of(client, url), "name": "李秀英", "phone": "13812341234", "consent": "y"}
        assert "签到成功" in client.post(url, data=data).get_data(as_text=True)
        assert "您已于" in client.post(url, data=data).get_data(as_text=True)
        assert CheckIn.select().count() == 1

    def test_the_device_remembers_the_resident_for_one_tap_next_time(self, client, make_event, org, event):
        resident(client, f"/c/{event.checkin_token}", name="张建国")
        cookie = client.get_cookie("resident")
        assert cookie.http_only and cookie.max_age == 180 * 86400
        other = make_event(org, title="社区合唱排练", **OPEN_NOW)
        page = client.get(f"/c/{other.checkin_token}").get_data(as_text=True)
        assert "以 张* 身份签到" in page and "不是我" in page and 'name="phone"' not in page
        url = f"/c/{other.checkin_token}"
        response = client.post(url, data={**form_of(client, url), "one_tap": "1"})
        assert "签到成功" in response.get_data(as_text=True)
        assert CheckIn.get(CheckIn.event == other).phone == "13812341234"
        # revisiting the first event says when
        assert "您已于" in client.get(f"/c/{event.checkin_token}").get_data(as_text=True)

    def test_not_me_forgets_the_remembered_resident(self, client, make_event, org, event):
        resident(client, f"/c/{event.checkin_token}", name="张建国")
        other = make_event(org, **OPEN_NOW)
        response = client.post(f"/c/{other.checkin_token}/forget", data={})
        assert response.status_code == 303
        page = client.get(f"/c/{other.checkin_token}").get_data(as_text=True)
        assert 'name="phone"' in page and "张*" not in page

    def test_before_the_window_it_says_when_check_in_opens(self, client, make_event, org):
        later = make_event(org, status="published", starts_in=datetime.timedelta(hours=3))
        html = client.get(f"/c/{later.checkin_token}").get_data(as_text=True)
        opens = (later.starts_at - 30 * MINUTE).replace(tzinfo=datetime.UTC).astimezone(
            datetime.timezone(datetime.timedelta(hours=8)))
        assert f"签到将于 {opens.year}年{opens.month}月{opens.day}日 {opens:%H:%M} 开始" in html
        assert 'name="phone"' not in html

    def test_after_the_end_it_says_check_in_has_closed(self, app, make_event, org):
        over = make_event(org, status="published", starts_in=-3 * 60 * MINUTE, hours=1)
        client = app.test_client()
        assert "签到已关闭" in client.get(f"/c/{over.checkin_token}").get_data(as_text=True)
        response = client.post(f"/c/{over.checkin_token}", data={"name": "李", "phone": "13812341234", "consent": "y"})
        assert response.status_code == 409 and CheckIn.select().count() == 0

    @pytest.mark.parametrize(
        "status, message", [("cancelled", "这个活动已取消"), ("submitted", "还没有发布"), ("draft", "还没有发布")]
    )
    def test_cancelled_or_unpublished_events_say_so(self, client, make_event, org, status, message):
        event = make_event(org, status=status, starts_in=-10 * MINUTE)
        assert message in client.get(f"/c/{event.checkin_token}").get_data(as_text=True)

    def test_an_unknown_code_says_so(self, client):
        response = client.get("/c/not-a-real-token")
        assert response.status_code == 404 and "找不到" in response.get_data(as_text=True)


class TestRotating:
    @pytest.fixture
    def rotating(self, make_event, org):
        return make_event(org, checkin_mode="rotating", **OPEN_NOW)

    def screen_url(self, client, org_admin, rotating):
        login(client, org_admin)
        html = client.get(f"/events/{rotating.id}/screen").get_data(as_text=True)
        assert 'hx-trigger="every 12s"' in html
        png = client.get(f"/events/{rotating.id}/qr.png").data
        [url] = decode(png)
        client.post("/logout")
        return url.replace("http://localhost", "")

    def test_a_fresh_code_opens_the_form(self, app, org_admin, rotating):
        url = self.screen_url(app.test_client(), org_admin, rotating)
        assert "?t=" in url
        client = app.test_client()
        assert 'name="phone"' in client.get(url).get_data(as_text=True)
        assert "签到成功" in resident(client, url).get_data(as_text=True)

    def test_a_forwarded_code_stops_working_after_a_minute(self, app, org_admin, rotating):
        url = self.screen_url(app.test_client(), org_admin, rotating)
        import time

        later = time.time() + 75
        with mock.patch("itsdangerous.timed.TimestampSigner.get_timestamp", return_value=int(later)):
            response = app.test_client().get(url)
        assert response.status_code == 403
        assert "二维码已过期，请扫描现场屏幕上的最新二维码" in response.get_data(as_text=True)

    def test_another_events_stamp_does_not_open_this_one(self, app, org_admin, make_event, org, rotating):
        url = self.screen_url(app.test_client(), org_admin, rotating)
        other = make_event(org, checkin_mode="rotating", **OPEN_NOW)
        stamp = url.split("?t=")[1]
        response = app.test_client().get(f"/c/{other.checkin_token}?t={stamp}")
        assert response.status_code == 403 and "二维码已过期" in response.get_data(as_text=True)

    def test_without_its_stamp_a_rotating_code_is_refused(self, client, rotating):
        response = client.get(f"/c/{rotating.checkin_token}")
        assert response.status_code == 403 and "二维码已过期" in response.get_data(as_text=True)

    def test_a_resident_who_opened_a_fresh_code_may_take_their_time(self, app, org_admin, rotating):
        import time

        url = self.screen_url(app.test_client(), org_admin, rotating)
        client = app.test_client()
        data = {**form_of(client, url), "name": "李秀英", "phone": "13812341234", "consent": "y"}
        with mock.patch("itsdangerous.timed.TimestampSigner.get_timestamp", return_value=int(time.time() + 300)):
            assert "签到成功" in client.post(url.split("?")[0], data=data).get_data(as_text=True)


class TestCrowds:
    def test_fifty_concurrent_submissions_for_one_phone_give_one_check_in(self, app, event):
        url = f"/c/{event.checkin_token}"
        clients = [app.test_client() for _ in range(50)]
        forms = [form_of(c, url) for c in clients]
        codes = run_threads(50, lambda i: clients[i].post(url, data={
            **forms[i], "name": "李秀英", "phone": "13812341234", "consent": "y"}).status_code)
        assert codes == [200] * 50
        assert CheckIn.select().count() == 1

    def test_three_hundred_residents_on_one_venue_wifi_all_check_in(self, app, event):
        url = f"/c/{event.checkin_token}"
        clients = [app.test_client() for _ in range(300)]  # every request comes from 127.0.0.1
        forms = [form_of(c, url) for c in clients]
        # 300 residents at once, served by 40 worker threads (PostgreSQL allows 100 connections)
        codes = run_threads(300, lambda i: clients[i].post(url, data={
            **forms[i], "name": f"居民{i}", "phone": f"1391{i:07d}", "consent": "y"}).status_code, workers=40)
        assert sorted(set(codes)) == [200], {c: codes.count(c) for c in set(codes)}
        assert CheckIn.select().count() == 300
        assert sorted(c.number for c in CheckIn.select()) == list(range(1, 301))
        # A venue's whole crowd in a minute is the most one address may check in to one event (see core.limits).
        assert resident(app.test_client(), url, name="居民300", phone="13919999999").status_code == 429
        assert CheckIn.select().count() == 300

    def test_one_device_hammering_the_form_is_stopped(self, client, event):
        url = f"/c/{event.checkin_token}"

        def another_person(i):
            client.delete_cookie("resident")  # 换一个人
            return resident(client, url, phone=f"1392{i:07d}").status_code

        codes = [another_person(i) for i in range(62)]
        assert codes[:60] == [200] * 60 and codes[-1] == 429


class TestVolunteers:
    @pytest.fixture
    def volunteer(self, make_user, org):
        user = make_user(name="志愿者小红")
        Membership.create(user=user, organization=org, role="volunteer")
        return user

    def test_counter_and_roster_with_masked_phones(self, app, client, volunteer, event):
        check_in(event, "李秀英", "13812341234")
        login(client, volunteer)
        html = client.get(f"/events/{event.id}/checkins").get_data(as_text=True)
        assert "138****1234" in html and "13812341234" not in html
        counter = client.get(f"/events/{event.id}/checkins/count").get_data(as_text=True)
        assert "<strong>1</strong>" in counter and 'hx-trigger="every 5s"' in counter
        check_in(event, "王建国", "13812345678")
        assert "<strong>2</strong>" in client.get(f"/events/{event.id}/checkins/count").get_data(as_text=True)

    def test_roster_search_by_name_or_phone_ending(self, client, volunteer, event):
        check_in(event, "李秀英", "13812341234")
        check_in(event, "王建国", "13812345678")
        login(client, volunteer)
        html = client.get(f"/events/{event.id}/checkins?q=5678", headers={"HX-Request": "true"}).get_data(as_text=True)
        assert html.lstrip().startswith('<ul class="plain roster"') and "王建国" in html and "李秀英" not in html
        assert "李秀英" in client.get(f"/events/{event.id}/checkins?q=秀英").get_data(as_text=True)

    def test_manual_check_in_without_a_phone_records_who_did_it(self, client, volunteer, event):
        login(client, volunteer)
        response = client.post(
            f"/events/{event.id}/checkins", data={"name": "赵阿婆", "phone": "", "key": "k1"}, follow_redirects=True
        )
        assert "已为 赵阿婆 签到（第 1 位）" in response.get_data(as_text=True)
        checkin = CheckIn.get()
        assert (checkin.method, checkin.phone, checkin.recorded_by_id) == ("manual", None, volunteer.id)
        assert AuditLog.get(AuditLog.action == "checkin.manual").actor_id == volunteer.id
        # two residents without phones are two check-ins
        client.post(f"/events/{event.id}/checkins", data={"name": "钱阿公", "phone": "", "key": "k2"})
        assert CheckIn.select().count() == 2

    def test_undo_a_wrong_check_in_with_a_reason(self, client, volunteer, event):
        checkin, _ = check_in(event, "李秀英", "13812341234")
        login(client, volunteer)
        url = f"/events/{event.id}/checkins/{checkin.id}/undo"
        assert "请写明撤销的理由" in client.post(url, data={"reason": ""}, follow_redirects=True).get_data(as_text=True)
        client.post(url, data={"reason": "重复登记"})
        assert CheckIn.get_by_id(checkin.id).undone_at is not None
        assert AuditLog.get(AuditLog.action == "checkin.undo").detail == "重复登记"
        assert "<strong>0</strong>" in client.get(f"/events/{event.id}/checkins/count").get_data(as_text=True)

    def test_exports_are_masked_and_only_the_org_admin_gets_full_numbers_logged(
        self, client, volunteer, org_admin, event
    ):
        check_in(event, "李秀英", "13812341234")
        login(client, volunteer)
        exported = client.get(f"/events/{event.id}/checkins.csv").get_data(as_text=True)
        rows = list(csv.reader(io.StringIO(exported.lstrip("\ufeff"))))
        assert rows[0][:3] == ["序号", "姓名", "手机号"] and rows[1][1:3] == ["李秀英", "138****1234"]
        assert client.get(f"/events/{event.id}/checkins.xlsx?full=1").status_code == 403
        assert not AuditLog.select().where(AuditLog.action == "checkin.export_full").exists()

        login(client, org_admin)
        book = load_workbook(io.BytesIO(client.get(f"/events/{event.id}/checkins.xlsx").data))
        assert [c.value for c in book.active[2]][1:3] == ["李秀英", "138****1234"]
        full = load_workbook(io.BytesIO(client.get(f"/events/{event.id}/checkins.xlsx?full=1").data))
        assert [c.value for c in full.active[2]][1:3] == ["李秀英", "13812341234"]
        assert AuditLog.get(AuditLog.action == "checkin.export_full").actor_id == org_admin.id


class TestPrivacy:
    def test_purge_removes_names_and_phones_after_the_retention_period_and_keeps_counts(
        self, app, runner, make_event, org
    ):
        old = make_event(org, status="ended", starts_in=-datetime.timedelta(days=200))
        recent = make_event(org, status="ended", starts_in=-datetime.timedelta(days=10))
        for event in (old, recent):
            CheckIn.create(event=event, name="李秀英", phone="13812341234", number=1)
            Signup.create(event=event, name="李秀英", phone="13812341234")
        result = runner.invoke(args=["purge-personal-data"])
        assert result.exit_code == 0 and "1 check-ins and 1 sign-ups" in result.output
        purged = CheckIn.get(CheckIn.event == old)
        assert (purged.name, purged.phone) == (None, None) and old.checkins.count() == 1
        assert Signup.get(Signup.event == old).phone is None
        kept = CheckIn.get(CheckIn.event == recent)
        assert kept.phone == "13812341234"

    def test_a_resident_sees_and_deletes_their_own_check_ins(self, client, event):
        resident(client, f"/c/{event.checkin_token}")
        html = client.get("/me/").get_data(as_text=True)
        assert "长者智能手机课堂" in html and "138****1234" in html
        html = client.post("/me/erase").get_data(as_text=True)
        assert "已删除 1 条签到中的姓名和手机号" in html
        checkin = CheckIn.get()
        assert checkin.phone is None and checkin.name is None and event.checkins.count() == 1
        assert "没有记住您" in client.get("/me/").get_data(as_text=True)

    def test_another_device_sees_nothing(self, app, event):
        resident(app.test_client(), f"/c/{event.checkin_token}")
        assert "没有记住您" in app.test_client().get("/me/").get_data(as_text=True)


HX = {"HX-Request": "true"}


class TestAtTheVenue:
    """签到管理 on a volunteer's phone: a roster that keeps itself fresh, a queue of manual check-ins, the link."""

    @pytest.fixture
    def volunteer(self, make_user, org):
        user = make_user(name="志愿者小明")
        Membership.create(user=user, organization=org, role="volunteer")
        return user

    def poll_url(self, html):
        return re.search(r'id="counter" hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")

    def test_the_poll_answers_204_until_something_changes_then_counter_and_roster(self, client, volunteer, event):
        login(client, volunteer)
        poll = self.poll_url(client.get(f"/events/{event.id}/checkins").get_data(as_text=True))
        assert "roster=1" in poll and "v=" in poll
        response = client.get(poll, headers=HX)
        assert response.status_code == 204 and response.get_data() == b""
        check_in(event, "李秀英", "13812341234")
        html = client.get(poll, headers=HX).get_data(as_text=True)
        assert "<strong>1</strong>" in html and 'id="roster" hx-swap-oob="true"' in html
        assert "1. 李秀英" in html and "138****1234" in html and "13812341234" not in html
        # the new counter polls with the new version: quiet again
        assert client.get(self.poll_url(html), headers=HX).status_code == 204
        # an undo changes the version too
        CheckIn.update(undone_at=datetime.datetime(2030, 1, 1)).execute()
        assert client.get(self.poll_url(html), headers=HX).status_code == 200

    def test_the_poll_keeps_the_search_typed(self, client, volunteer, event):
        check_in(event, "李秀英", "13812341234")
        check_in(event, "王建国", "13812345678")
        login(client, volunteer)
        html = client.get(f"/events/{event.id}/checkins/count?roster=1&q=建国", headers=HX).get_data(as_text=True)
        assert "王建国" in html and "李秀英" not in html

    def test_the_plain_counter_brings_no_roster(self, client, volunteer, event):
        check_in(event, "李秀英", "13812341234")
        login(client, volunteer)
        html = client.get(f"/events/{event.id}/checkins/count", headers=HX).get_data(as_text=True)
        assert "<strong>1</strong>" in html and "roster" not in html

    def test_a_manual_check_in_from_htmx_answers_in_place_for_the_next_in_the_queue(self, client, volunteer, event):
        login(client, volunteer)
        url = f"/events/{event.id}/checkins"
        response = client.post(url, data={"name": "赵阿婆", "phone": "", "key": "k1", "q": ""}, headers=HX)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and html.lstrip().startswith('<section class="card" id="manual">')
        assert "已为 赵阿婆 签到（第 1 位）" in html
        checkin = CheckIn.get()
        assert f"/checkins/{checkin.id}/undo" in html and "撤销这一条" in html
        # the form is empty again, with a new key, and its name field asks for the focus
        assert 'value="赵阿婆"' not in html and 'value="k1"' not in html and "data-focus" in html
        assert 'id="counter"' in html and 'hx-swap-oob="true"' in html and "<strong>1</strong>" in html
        assert 'id="roster" hx-swap-oob="true"' in html and "1. 赵阿婆" in html
        assert not get_flashed(client)

    def test_the_same_name_without_a_phone_twice_warns_but_checks_in(self, client, volunteer, event):
        login(client, volunteer)
        url = f"/events/{event.id}/checkins"
        first = client.post(url, data={"name": "赵阿婆", "phone": "", "key": "k1"}, headers=HX).get_data(as_text=True)
        assert "同名" not in first
        html = client.post(url, data={"name": "赵阿婆", "phone": "", "key": "k2"}, headers=HX).get_data(as_text=True)
        assert "已为 赵阿婆 签到（第 2 位）" in html
        assert "已有同名的“赵阿婆”（第 1 位）签到；如果是同一个人，请撤销这一条" in html
        assert CheckIn.select().count() == 2
        # without JavaScript: the same warning, after the redirect
        page = client.post(url, data={"name": "赵阿婆", "phone": "", "key": "k3"}, follow_redirects=True)
        assert "已有同名的“赵阿婆”" in page.get_data(as_text=True) and CheckIn.select().count() == 3

    def test_a_manual_check_in_with_errors_comes_back_in_place(self, client, volunteer, event):
        login(client, volunteer)
        response = client.post(f"/events/{event.id}/checkins", data={"name": "", "key": "k1"}, headers=HX)
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and 'id="manual"' in html and "请填写姓名" in html
        assert CheckIn.select().count() == 0

    def test_the_just_made_entry_is_undone_with_one_tap(self, client, volunteer, event):
        login(client, volunteer)
        client.post(f"/events/{event.id}/checkins", data={"name": "赵阿婆", "key": "k1"}, headers=HX)
        checkin = CheckIn.get()
        client.post(f"/events/{event.id}/checkins/{checkin.id}/undo", data={"reason": "录入有误，当场撤销"})
        assert CheckIn.get_by_id(checkin.id).undone_at is not None

    def test_the_check_in_link_is_shown_to_copy_but_not_for_a_rotating_code(self, client, volunteer, make_event, org):
        login(client, volunteer)
        static = make_event(org, **OPEN_NOW)
        html = client.get(f"/events/{static.id}/checkins").get_data(as_text=True)
        assert f'value="http://localhost/c/{static.checkin_token}"' in html and "data-copy" in html
        rotating = make_event(org, checkin_mode="rotating", **OPEN_NOW)
        html = client.get(f"/events/{rotating.id}/checkins").get_data(as_text=True)
        assert rotating.checkin_token not in html and "签到二维码显示在现场大屏上" in html


def get_flashed(client):
    """The messages waiting for the next page (none when the answer said everything in place)."""
    with client.session_transaction() as session:
        return session.get("_flashes", [])
