"""The shell every page shares: headers, language, manifest, service worker, health, error pages."""
import json
import re
from pathlib import Path

import pytest

from tests.conftest import login

STATIC = Path(__file__).resolve().parent.parent / "static"


def test_healthz_reports_ok_after_a_database_round_trip(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_home_page_is_chinese_and_loads_nothing_from_other_hosts(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN"' in html
    assert "宁社通" in html
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/") or u.startswith("#") for u in urls), urls


def test_every_response_carries_csp_and_nosniff(client):
    for path in ("/", "/login", "/static/css/app.css", "/no-such-page", "/healthz"):
        response = client.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp
        response.close()


def test_manifest_links_both_icons_and_they_are_served(client):
    html = client.get("/").get_data(as_text=True)
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    icons = {icon["sizes"]: icon["src"] for icon in json.loads(manifest.data)["icons"]}
    assert set(icons) == {"192x192", "512x512"}
    for size, src in icons.items():
        with client.get(src) as png:
            assert png.status_code == 200 and png.mimetype == "image/png"
            assert png.data[16:24] == int(size.split("x")[0]).to_bytes(4, "big") * 2  # PNG IHDR width and height


def test_service_worker_is_served_from_the_root_and_precaches_the_offline_page(client):
    html = client.get("/").get_data(as_text=True)
    assert 'data-sw="/sw.js"' in html
    sw = client.get("/sw.js")
    assert sw.status_code == 200 and sw.mimetype == "application/javascript"
    body = sw.get_data(as_text=True)
    assert "/offline" in body and "/static/css/app.css" in body
    for asset in re.search(r"const ASSETS = (\[.*?\]);", body).group(1).strip("[]").replace('"', "").split(", "):
        with client.get(asset) as response:
            assert response.status_code == 200, asset


def test_htmx_is_vendored_version_2(client):
    html = client.get("/").get_data(as_text=True)
    src = re.search(r'src="(/static/vendor/htmx-(\d)\.[^"]+)"', html)
    assert src and src.group(2) == "2"
    with client.get(src.group(1)) as response:
        assert b"htmx" in response.data[:2000]


def test_no_inline_script_in_any_page(client, make_user):
    login(client, make_user("district_admin"))
    for path in ("/", "/admin/", "/admin/accounts", "/orgs/new", "/login", "/offline"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+=\"", html), path


def test_unknown_page_says_so_in_chinese(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "找不到这个页面" in response.get_data(as_text=True)


def test_htmx_request_for_a_missing_page_gets_a_short_message(client):
    response = client.get("/no-such-page", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
    assert "找不到这个页面" in response.get_data(as_text=True)


def test_forbidden_page_says_so_in_chinese(client, make_user):
    login(client, make_user("reviewer"))
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "没有权限" in response.get_data(as_text=True)


def test_server_error_page_is_chinese_and_logged(app, client, caplog):
    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    assert response.status_code == 500
    assert "系统出了点问题" in response.get_data(as_text=True)
    assert "500 on /boom" in caplog.text


def test_english_can_be_chosen_and_is_remembered(client):
    response = client.get("/lang/en?next=/login")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en"' in html
    assert "Log in" in html and "手机号" not in html
    client.get("/lang/zh_CN")
    assert "手机号" in client.get("/login").get_data(as_text=True)


def test_language_switch_never_redirects_off_site(client):
    response = client.get("/lang/en?next=//evil.example/")
    assert response.headers["Location"] == "/"


def test_elder_mode_is_remembered_across_pages(client):
    assert 'class="elder"' not in client.get("/").get_data(as_text=True)
    response = client.post("/settings/elder?next=/login")
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert 'class="elder"' in client.get("/login").get_data(as_text=True)
    assert "长辈模式：已开启" in client.get("/").get_data(as_text=True)
    client.post("/settings/elder")
    assert 'class="elder"' not in client.get("/").get_data(as_text=True)


def test_session_cookie_is_httponly_and_lax(client):
    client.get("/login")
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


@pytest.mark.parametrize("development, secure", [(False, True), (True, False)])
def test_session_cookie_is_secure_outside_development(monkeypatch, tmp_path, development, secure):
    from app import create_app

    monkeypatch.setenv("NINGSHE_ENV", "development" if development else "production")
    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert app.config["SESSION_COOKIE_SECURE"] is secure
    assert app.config["REMEMBER_COOKIE_SECURE"] is secure


def test_css_sets_elderly_friendly_sizes():
    css = (STATIC / "css" / "app.css").read_text()
    assert "font-size: 18px" in css and "line-height: 1.6" in css
    assert "--target: 48px" in css and "html.elder { font-size: 22px; --target: 60px; }" in css


def test_static_assets_carry_a_content_version_and_are_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', html)
    assert css, "the stylesheet URL carries a version"
    with client.get(css.group(1)) as response:
        assert response.status_code == 200
        assert response.cache_control.max_age == 365 * 24 * 3600


def test_an_htmx_request_after_the_session_ended_gets_401_not_the_login_page(client):
    response = client.get("/streets/xinhua/", headers={"HX-Request": "true"})
    assert response.status_code == 401 and response.mimetype == "text/plain"
    assert "登录已过期" in response.get_data(as_text=True)
    assert client.get("/streets/xinhua/").headers["Location"] == "/login?next=/streets/xinhua/"


def test_postgresql_urls_get_a_connection_pool_unless_they_name_their_own():
    from core.database import pooled

    assert pooled("postgresql://u@h/db") == (
        "postgresql+pool://u@h/db?max_connections=20&timeout=10&stale_timeout=300&connect_timeout=5"
    )
    assert pooled("postgresql://u@h/db?max_connections=5").startswith("postgresql+pool://u@h/db?max_connections=5&timeout=10")
    assert pooled("postgresql://u@h/db?connect_timeout=2").endswith("?connect_timeout=2&max_connections=20&timeout=10"
                                                                   "&stale_timeout=300")
    assert pooled("postgresql+pool://u@h/db?max_connections=5") == "postgresql+pool://u@h/db?max_connections=5"
    assert pooled("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


def test_pages_for_signed_in_staff_are_never_stored(client, make_user, make_org, make_event):
    """Rosters, manage pages, exports and consoles carry residents' phones: not on the office PC's disk, not in a
    proxy, not behind the back button."""
    org_admin = make_user(name="组织管理员")
    org = make_org("xinhua", admin=org_admin)
    event = make_event(org)
    pages = {
        org_admin: ["/", f"/events/{event.id}/manage", f"/events/{event.id}/checkins", f"/orgs/{org.id}/manage",
                    f"/events/{event.id}/checkins.csv", f"/events/{event.id}/checkins.xlsx"],
        make_user("street_moderator", street="xinhua"): ["/streets/xinhua/"],
        make_user("district_admin"): ["/admin/", "/admin/accounts"],
    }
    for user, paths in pages.items():
        login(client, user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            assert "no-store" in response.headers["Cache-Control"], path
            assert "Cookie" in response.headers["Vary"], path


def test_caching_rules_of_their_own_stand_for_signed_in_users(client, make_user):
    login(client, make_user())
    html = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', html).group(1)
    with client.get(css) as response:
        assert response.cache_control.max_age == 365 * 24 * 3600 and not response.cache_control.no_store
    assert client.get("/sw.js").headers["Cache-Control"] == "no-cache"


def test_public_pages_for_visitors_may_be_cached_but_vary_by_cookie(client):
    response = client.get("/events/")
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert "Cookie" in response.headers["Vary"]  # the language and 长辈模式 cookies change the page
