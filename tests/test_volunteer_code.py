"""The event's volunteer code (scan, log in, 签到上岗, 签退), the organization's hours over a date range with its CSV,
and the SHIFT_ROUNDING setting."""
import csv
import datetime
import io
from decimal import Decimal
from urllib.parse import unquote, urlsplit

import pytest
import zxingcpp
from PIL import Image

from app import create_app
from blueprints.shifts.codes import volunteer_code
from blueprints.shifts.hours import DEFAULT_ROUNDING, parse_rounding
from models import AuditLog, Membership, Shift
from models.base import utcnow
from tests.conftest import PASSWORD, login

BASE = "https://ningshe.example.cn"
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def app_config():
    return {"BASE_URL": BASE}


@pytest.fixture
def org_admin(make_user):
    return make_user(name="组织管理员", phone="13911112222")


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin, name="睦邻互助会")


@pytest.fixture
def volunteer(make_user, org):
    user = make_user(name="李志愿", phone="13812345678")
    Membership.create(user=user, organization=org, role="volunteer")
    return user


@pytest.fixture
def event(make_event, org):
    """On now: started ten minutes ago, two hours long."""
    return make_event(org, title="重阳敬老", starts_in=-datetime.timedelta(minutes=10), hours=2)


def signed_code(app, event):
    """The signed part of ``event``'s volunteer code (for the access matrix and the hostile sweep)."""
    with app.app_context():
        return volunteer_code(event)


def decode(png):
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def scanned_code(client, org_admin, event):
    """What a phone reads off the code the org admin shows on the manage page: the path of /v/<signed>."""
    login(client, org_admin)
    html = client.get(f"/events/{event.id}/manage").get_data(as_text=True)
    assert "志愿者签到上岗码" in html and f"/events/{event.id}/shifts/code.png" in html
    png = client.get(f"/events/{event.id}/shifts/code.png")
    assert png.mimetype == "image/png"
    [url] = decode(png.data)
    assert url.startswith(f"{BASE}/v/")
    client.post("/logout")
    return urlsplit(url).path


class TestVolunteerCode:
    def test_scan_log_in_sign_in_and_out(self, client, org_admin, volunteer, event):
        path = scanned_code(client, org_admin, event)
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        assert unquote(response.headers["Location"]).endswith(f"next={path}")
        response = client.post(response.headers["Location"], data={"phone": volunteer.phone, "password": PASSWORD})
        assert response.headers["Location"] == path
        html = client.get(path).get_data(as_text=True)
        assert "重阳敬老" in html and "睦邻互助会" in html and "签到上岗" in html
        assert f'name="next" value="{path}"' in html
        response = client.post(f"/events/{event.id}/shifts/start", data={"next": path})
        assert response.status_code == 303 and response.headers["Location"] == path
        html = client.get(path).get_data(as_text=True)
        assert "已签到上岗" in html and f"/events/{event.id}/shifts/stop" in html
        shift = Shift.get(Shift.event == event, Shift.volunteer == volunteer)
        assert shift.ended_at is None
        Shift.update(started_at=utcnow() - datetime.timedelta(minutes=50)).execute()
        response = client.post(f"/events/{event.id}/shifts/stop", data={"next": path}, follow_redirects=True)
        html = response.get_data(as_text=True)
        assert "已签退，本次计 1.0 小时" in html and f"/events/{event.id}/shifts/start" in html
        assert Shift.get_by_id(shift.id).ended_at is not None

    def test_before_the_event_says_when(self, client, org_admin, volunteer, make_event, org):
        later = make_event(org, starts_in=datetime.timedelta(days=1))
        path = scanned_code(client, org_admin, later)
        login(client, volunteer)
        html = client.get(path).get_data(as_text=True)
        assert "结束后 3 小时内" in html and "/shifts/start" not in html

    def test_a_cancelled_event_says_so(self, client, org_admin, volunteer, event):
        path = scanned_code(client, org_admin, event)
        event.status = "cancelled"
        event.save()
        login(client, volunteer)
        html = client.get(path).get_data(as_text=True)
        assert "这个活动已取消" in html and "/shifts/start" not in html

    def test_a_non_member_is_told_plainly(self, client, org_admin, event, make_user, make_org):
        path = scanned_code(client, org_admin, event)
        for user in (make_user(name="居民"), make_org("tianshan").memberships.get().user,
                     make_user("street_moderator", street="xinhua")):
            login(client, user)
            response = client.get(path)
            html = response.get_data(as_text=True)
            assert response.status_code == 403 and "只有该组织的成员可以使用" in html and "重阳敬老" not in html
        assert Shift.select().count() == 0

    @pytest.mark.parametrize("signed", ["abc", "MQ.forged", "MQ", "%00x", "a" * 300])
    def test_a_bad_signature_is_not_found(self, client, volunteer, signed):
        login(client, volunteer)
        assert client.get(f"/v/{signed}").status_code in (400, 404)

    def test_the_codes_do_not_cross(self, client, org_admin, volunteer, event):
        """The residents' check-in token opens no volunteer page, the volunteer code no check-in page."""
        path = scanned_code(client, org_admin, event)
        signed = path.removeprefix("/v/")
        login(client, volunteer)
        assert client.get(f"/v/{event.checkin_token}").status_code == 404
        assert client.get(f"/c/{signed}").status_code == 404
        client.post("/logout")
        assert client.get(f"/c/{signed}").status_code == 404
        assert event.checkin_token not in path

    def test_another_events_code_is_another(self, client, org_admin, event, make_event, org):
        other = make_event(org, starts_in=datetime.timedelta(days=1))
        assert scanned_code(client, org_admin, event) != scanned_code(client, org_admin, other)

    def test_the_printable_sheet(self, client, org_admin, event):
        login(client, org_admin)
        html = client.get(f"/events/{event.id}/shifts/code").get_data(as_text=True)
        assert "志愿者扫码 签到上岗 / 签退" in html and f"/events/{event.id}/shifts/code.png" in html
        assert "重阳敬老" in html

    def test_only_the_admins_get_the_code(self, client, volunteer, event):
        login(client, volunteer)
        assert "/shifts/code.png" not in client.get(f"/events/{event.id}/manage").get_data(as_text=True)
        assert client.get(f"/events/{event.id}/shifts/code.png").status_code == 403
        assert client.get(f"/events/{event.id}/shifts/code").status_code == 403


def shift_on(user, event, started, minutes, **extra):
    return Shift.create(event=event, volunteer=user, started_at=started,
                        ended_at=started + datetime.timedelta(minutes=minutes), **extra)


@pytest.fixture
def year_of_hours(org, org_admin, volunteer, make_event, make_user, make_org):
    """Shanghai dates: two shifts on 2026-03-01 (one event), one corrected in May, one in 2025, one still open, and
    one of another organization's event."""
    march = make_event(org, title="三月学雷锋", starts_at=datetime.datetime(2026, 3, 1, 1), status="ended",
                       ends_at=datetime.datetime(2026, 3, 1, 5))
    may = make_event(org, title="五月义诊", starts_at=datetime.datetime(2026, 5, 9, 1), status="ended",
                     ends_at=datetime.datetime(2026, 5, 9, 5))
    old = make_event(org, title="去年的活动", starts_at=datetime.datetime(2025, 12, 31, 1), status="ended",
                     ends_at=datetime.datetime(2025, 12, 31, 5))
    wang = make_user(name="王阿姨", phone="13900001111")
    Membership.create(user=wang, organization=org, role="volunteer")
    shift_on(volunteer, march, datetime.datetime(2026, 3, 1, 1), 75)  # 1.5
    shift_on(volunteer, march, datetime.datetime(2026, 3, 1, 3), 46)  # 1
    shift_on(volunteer, may, datetime.datetime(2026, 5, 9, 1), 10, corrected_hours=Decimal("3"),
             correction_reason="补录")
    shift_on(wang, may, datetime.datetime(2026, 5, 9, 1), 120)  # 2
    shift_on(wang, old, datetime.datetime(2025, 12, 31, 1), 120)  # last year
    Shift.create(event=may, volunteer=org_admin, started_at=datetime.datetime(2026, 5, 9, 1))  # still signed in
    stranger = make_org("tianshan")
    theirs = make_event(stranger, title="别人的活动", starts_at=datetime.datetime(2026, 4, 1, 1))
    shift_on(stranger.memberships.get().user, theirs, datetime.datetime(2026, 4, 1, 1), 120)
    return march, may


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


class TestOrganizationHours:
    RANGE = {"from": "2026-01-01", "to": "2026-12-31"}

    def test_the_table_with_totals_and_masked_phones(self, client, org_admin, org, year_of_hours):
        login(client, org_admin)
        response = client.get(f"/orgs/{org.id}/hours", query_string=self.RANGE)
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "李志愿" in html and "138****5678" in html and "13812345678" not in html
        assert "王阿姨" in html and "139****1111" in html
        assert "三月学雷锋" in html and "五月义诊" in html
        assert "去年的活动" not in html and "别人的活动" not in html
        assert "2 位志愿者" in html and "2 场活动" in html and "合计 7.5 小时" in html
        assert "<strong>5.5</strong>" in html and "<strong>2.0</strong>" in html  # 李: 1.5 + 1 + 3; 王: 2
        assert "hours.csv?from=2026-01-01&amp;to=2026-12-31" in html

    def test_this_year_by_default(self, client, org_admin, org, volunteer, event):
        shift_on(volunteer, event, utcnow() - HOUR, 60)
        login(client, org_admin)
        html = client.get(f"/orgs/{org.id}/hours").get_data(as_text=True)
        year = (utcnow() + 8 * HOUR).year
        assert f'value="{year}-01-01"' in html and f'value="{year}-12-31"' in html
        assert "重阳敬老" in html and "合计 1.0 小时" in html

    def test_a_narrower_range(self, client, org_admin, org, year_of_hours):
        login(client, org_admin)
        html = client.get(f"/orgs/{org.id}/hours", query_string={"from": "2026-05-01", "to": "2026-05-31"}
                          ).get_data(as_text=True)
        assert "五月义诊" in html and "三月学雷锋" not in html and "合计 5.0 小时" in html

    def test_the_configured_rule_counts(self, app, client, org_admin, org, year_of_hours):
        app.config["SHIFT_ROUNDING"] = ((30, "0"),)  # whole hours from 30 minutes: 75 → 1, 46 → 1, 120 → 2
        login(client, org_admin)
        html = client.get(f"/orgs/{org.id}/hours", query_string=self.RANGE).get_data(as_text=True)
        assert "合计 7.0 小时" in html
        march = year_of_hours[0]
        html = client.get(f"/events/{march.id}/shifts").get_data(as_text=True)
        assert "本平台设置的规则" in html and "不满 15 分钟不计" not in html

    @pytest.mark.parametrize(("query", "field", "message"), [
        ({"from": "2026-13-01"}, "from", "请按 2026-01-31 的格式选择日期"),
        ({"to": "昨天"}, "to", "请按 2026-01-31 的格式选择日期"),
        ({"from": "9999-12-31", "to": "9999-12-31"}, "from", "2000 年至 2100 年"),
        ({"from": "0001-01-01"}, "from", "2000 年至 2100 年"),
        ({"from": "2026-06-01", "to": "2026-05-01"}, "to", "结束日期不能早于开始日期"),
    ])
    def test_bad_dates_are_refused_beside_the_field(self, client, org_admin, org, year_of_hours, query, field,
                                                    message):
        login(client, org_admin)
        for path in (f"/orgs/{org.id}/hours", f"/orgs/{org.id}/hours.csv"):
            response = client.get(path, query_string=query)
            html = response.get_data(as_text=True)
            assert response.status_code == 422 and response.mimetype == "text/html"
            at = html.index(f'name="{field}"')
            block = html[html.rindex('<div class="field', 0, at):html.index("</div>", at)]
            assert message in block and f'value="{query[field]}"' in block
            assert "请先改正上面的日期" in html and "还没有签退" not in html
        assert AuditLog.select().where(AuditLog.action == "shift.export_org").count() == 0

    def test_the_csv_for_the_platforms(self, client, org_admin, org, year_of_hours):
        login(client, org_admin)
        response = client.get(f"/orgs/{org.id}/hours.csv", query_string=self.RANGE)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        rows = csv_rows(response)
        assert rows[0] == ["姓名", "手机号", "活动", "日期", "时长（小时）"]
        assert sorted(rows[1:]) == sorted([
            ["李志愿", "13812345678", "三月学雷锋", "2026-03-01", "2.5"],  # two shifts that day add up
            ["李志愿", "13812345678", "五月义诊", "2026-05-09", "3.0"],
            ["王阿姨", "13900001111", "五月义诊", "2026-05-09", "2.0"],
        ])
        entry = AuditLog.get(AuditLog.action == "shift.export_org")
        assert entry.actor_id == org_admin.id and entry.target_id == org.id and "2026-01-01" in entry.detail

    def test_the_shanghai_date_decides(self, client, org_admin, org, volunteer, make_event):
        """23:30 UTC on 12-31 is already New Year's Day in Shanghai."""
        late = make_event(org, title="跨年", starts_at=datetime.datetime(2025, 12, 31, 23), status="ended",
                          ends_at=datetime.datetime(2026, 1, 1, 2))
        shift_on(volunteer, late, datetime.datetime(2025, 12, 31, 23, 30), 60)
        login(client, org_admin)
        rows = csv_rows(client.get(f"/orgs/{org.id}/hours.csv", query_string={"from": "2026-01-01",
                                                                               "to": "2026-01-01"}))
        assert rows[1][3] == "2026-01-01"
        rows = csv_rows(client.get(f"/orgs/{org.id}/hours.csv", query_string={"from": "2025-12-31",
                                                                               "to": "2025-12-31"}))
        assert len(rows) == 1

    def test_linked_from_the_organizations_page_for_its_admins(self, client, org_admin, volunteer, org):
        login(client, org_admin)
        assert f"/orgs/{org.id}/hours" in client.get(f"/orgs/{org.id}/manage").get_data(as_text=True)
        login(client, volunteer)
        assert f"/orgs/{org.id}/hours" not in client.get(f"/orgs/{org.id}/manage").get_data(as_text=True)

    def test_only_its_admins(self, client, volunteer, org, make_user, make_org):
        for user in (volunteer, make_user("street_moderator", street="xinhua"), make_user("district_admin"),
                     make_org("tianshan").memberships.get().user):
            login(client, user)
            assert client.get(f"/orgs/{org.id}/hours").status_code == 404
            assert client.get(f"/orgs/{org.id}/hours.csv").status_code == 404
        assert AuditLog.select().where(AuditLog.action == "shift.export_org").count() == 0


class TestRoundingSetting:
    def test_the_written_form(self):
        assert parse_rounding("15:0,46:0.5") == DEFAULT_ROUNDING
        assert parse_rounding(" 30 : 0 ") == ((30, "0"),)

    @pytest.mark.parametrize("text", ["", "abc", "15", "46:0.5,15:0", "15:2", "15:-1", "0:0", "61:0", "15:NaN",
                                      "15:0,,46:0.5", "__import__('os')"])
    def test_a_malformed_rule_stops_start_up(self, text):
        with pytest.raises(ValueError, match="SHIFT_ROUNDING"):
            parse_rounding(text)

    def test_read_from_the_environment(self, monkeypatch, tmp_path):
        monkeypatch.setenv("SHIFT_ROUNDING", "30:0")
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "SECRET_KEY": "x"})
        assert app.config["SHIFT_ROUNDING"] == ((30, "0"),)
        monkeypatch.setenv("SHIFT_ROUNDING", "30")
        with pytest.raises(ValueError, match="SHIFT_ROUNDING"):
            create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/y.db", "SECRET_KEY": "x"})
        monkeypatch.delenv("SHIFT_ROUNDING")
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/z.db", "SECRET_KEY": "x"})
        assert app.config["SHIFT_ROUNDING"] == DEFAULT_ROUNDING
