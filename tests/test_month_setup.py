"""The partner month (公益伙伴月) as a campaign: the district admin sets it up with a cover image, edits and publishes
it; the list shows it beside the contests, in its own phase."""
import datetime
import io

import flask
import pytest
from PIL import Image

from core.timeutil import local_now
from models import AuditLog, Campaign, utcnow
from tests.conftest import login
from tests.test_campaigns import make_campaign
from tests.test_uploads import exif_with_gps, image_bytes

DAY = datetime.timedelta(days=1)


def month_form(**changes):
    """What the district admin's browser sends for a month next month, sign-up open from today."""
    today = local_now().date()
    day = lambda n: (today + n * DAY).isoformat()  # noqa: E731
    return {
        "name": "第十七届公益伙伴月", "theme": "携手同行 共建共享", "starts_on": day(10), "ends_on": day(40),
        "signup_opens": day(0), "signup_closes": day(9), "description": "全区社会组织、企业、基金会和居民一起做公益",
        **changes,
    }


@pytest.fixture
def admin(make_user):
    return make_user("district_admin")


@pytest.fixture
def uploads(app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    return tmp_path / "uploads"


def photo(**kwargs):
    return io.BytesIO(image_bytes("JPEG", size=(800, 600), exif=exif_with_gps(), **kwargs)), "cover.jpg"


def test_the_district_admin_sets_up_a_month_with_a_cover(client, admin, uploads):
    login(client, admin)
    listing = client.get("/campaigns/").get_data(as_text=True)
    assert "新建伙伴月" in listing and "/campaigns/new/month" in listing
    assert client.get("/campaigns/new/month").status_code == 200
    response = client.post("/campaigns/new/month", data={**month_form(), "cover": photo()},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    month = Campaign.get(Campaign.kind == "month")
    assert month.name == "第十七届公益伙伴月" and month.theme == "携手同行 共建共享" and not month.published
    assert month.eligibility_ends_at is None and month.cover_key
    assert month.month_phase() == "signup" and not month.signup_open  # a draft takes no sign-ups
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and "第十七届公益伙伴月" in page.get_data(as_text=True)
    cover = client.get(f"/campaigns/{month.id}/cover.jpg")
    data = cover.get_data()
    cover.close()
    assert cover.status_code == 200 and cover.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and not image.getexif() and b"PhoneMaker" not in data
    assert AuditLog.get(AuditLog.action == "campaign.create").target_id == month.id


def test_a_draft_cover_is_only_for_its_admin_and_public_once_published(app, client, admin, uploads, make_user):
    login(client, admin)
    client.post("/campaigns/new/month", data={**month_form(), "cover": photo()}, content_type="multipart/form-data")
    month = Campaign.get(Campaign.kind == "month")
    anonymous = app.test_client()
    assert anonymous.get(f"/campaigns/{month.id}/cover.jpg").status_code == 404
    assert anonymous.get(f"/campaigns/{month.id}/").status_code == 404
    assert client.post(f"/campaigns/{month.id}/publish").status_code == 303
    cover = anonymous.get(f"/campaigns/{month.id}/cover.jpg")
    cover.close()
    assert cover.status_code == 200
    page = anonymous.get(f"/campaigns/{month.id}/")
    assert page.status_code == 200 and "第十七届公益伙伴月" in page.get_data(as_text=True)


def test_a_file_that_is_no_image_is_refused_beside_the_field_and_the_rest_kept(client, admin, uploads):
    login(client, admin)
    not_an_image = (io.BytesIO(b"%PDF-1.4 no"), "c.jpg")
    response = client.post("/campaigns/new/month", content_type="multipart/form-data",
                           data={**month_form(name="第十八届公益伙伴月"), "cover": not_an_image})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "照片格式不支持" in html and 'value="第十八届公益伙伴月"' in html
    assert not Campaign.select().where(Campaign.kind == "month").exists()
    assert not any(path.is_file() for path in uploads.rglob("*")) if uploads.exists() else True


def test_dates_out_of_order_are_named_beside_their_fields(client, admin, uploads):
    login(client, admin)
    today = local_now().date()
    response = client.post("/campaigns/new/month", data=month_form(
        ends_on=(today + 5 * DAY).isoformat(), signup_closes=(today - DAY).isoformat(), starts_on="2026-02-30"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "请选择日期" in html
    response = client.post("/campaigns/new/month", data=month_form(signup_closes=(today + 50 * DAY).isoformat()))
    assert response.status_code == 422 and "报名截止日期不能晚于伙伴月的最后一天" in response.get_data(as_text=True)
    assert not Campaign.select().where(Campaign.kind == "month").exists()


def test_editing_a_month_keeps_its_cover_unless_a_new_one_comes(client, admin, uploads):
    login(client, admin)
    client.post("/campaigns/new/month", data={**month_form(), "cover": photo()}, content_type="multipart/form-data")
    month = Campaign.get(Campaign.kind == "month")
    form = client.get(f"/campaigns/{month.id}/edit").get_data(as_text=True)
    assert 'value="第十七届公益伙伴月"' in form and "cover.jpg" in form and "报名截止日期" in form
    response = client.post(f"/campaigns/{month.id}/edit", data=month_form(theme="新主题"),
                           content_type="multipart/form-data")
    assert response.status_code == 303
    edited = Campaign.get_by_id(month.id)
    assert edited.theme == "新主题" and edited.cover_key == month.cover_key
    response = client.post(f"/campaigns/{month.id}/edit", content_type="multipart/form-data",
                           data={**month_form(), "cover": (io.BytesIO(image_bytes("PNG")), "new.png")})
    assert response.status_code == 303 and Campaign.get_by_id(month.id).cover_key != month.cover_key


def test_only_the_district_admin_sets_up_a_month(client, make_user, make_org):
    org = make_org("xinhua")
    login(client, org.memberships.get().user)
    assert client.get("/campaigns/new/month").status_code == 403
    assert client.post("/campaigns/new/month", data=month_form()).status_code == 403
    assert not Campaign.select().exists()


def test_the_list_shows_months_and_contests_in_their_own_phases(app, client, admin):
    make_campaign(admin, published=True)
    now = utcnow()
    Campaign.create(district=admin.district, kind="month", name="第十六届公益伙伴月", published=True,
                    application_opens_at=now - 60 * DAY, application_closes_at=now - 40 * DAY,
                    starts_at=now - 35 * DAY, ends_at=now - 5 * DAY)
    html = client.get("/campaigns/").get_data(as_text=True)
    assert "第十六届公益伙伴月" in html and "第十届长宁区公益创投项目大赛" in html
    assert "已结束" in html and "申报" in html


def test_month_phases_follow_its_dates(admin):
    now = utcnow()
    month = Campaign(district=admin.district, kind="month", name="m", application_opens_at=now + DAY,
                     application_closes_at=now + 5 * DAY, starts_at=now + 10 * DAY, ends_at=now + 40 * DAY)
    assert month.month_phase() == "upcoming"
    assert month.month_phase(now + 2 * DAY) == "signup"
    assert month.month_phase(now + 7 * DAY) == "upcoming"
    assert month.month_phase(now + 11 * DAY) == "running"
    assert month.month_phase(now + 41 * DAY) == "over"
    assert not month.is_open  # a month never takes contest applications


@pytest.mark.parametrize("over", [False, True])
def test_no_page_of_a_month_fails_on_the_contest_dates_it_has_not(app, admin, make_org, make_user, over):
    """Every /campaigns/<id>/… route, asked about a month by each kind of user, answers without a 500: the contest's
    pages (延期申报, 资格审查, 评审, 排名, 结果) answer 404."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    now = utcnow()
    dates = ((now - 60 * DAY, now - 40 * DAY, now - 35 * DAY, now - 5 * DAY) if over
             else (now - DAY, now + 9 * DAY, now + 10 * DAY, now + 40 * DAY))
    month = Campaign.create(district=admin.district, kind="month", name="第十七届公益伙伴月", published=True,
                            **dict(zip(("application_opens_at", "application_closes_at", "starts_at", "ends_at"),
                                       dates, strict=True)))
    org = make_org("xinhua")
    failures = []
    for user in (None, admin, org.memberships.get().user, make_user("street_moderator", street="xinhua")):
        client = app.test_client()
        if user is not None:
            login(client, user)
        for rule in app.url_map.iter_rules():
            if set(rule.arguments) != {"campaign_id"}:
                continue
            with app.test_request_context():
                url = flask.url_for(rule.endpoint, campaign_id=month.id)
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = client.open(url, method=method)
                response.close()
                if response.status_code >= 500:
                    failures.append(f"{method} {url} ({rule.endpoint})")
    assert not failures, "\n".join(failures)
    login(client, admin)
    assert client.get(f"/campaigns/{month.id}/ranking").status_code == 404
    assert client.post(f"/campaigns/{month.id}/extensions").status_code == 404
