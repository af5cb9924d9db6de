"""Real Chromium at a phone viewport: log in, 长辈模式, the service worker, and pages without service workers."""
import os
import re

import pytest

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM}", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright Python package")

pytestmark = pytest.mark.browser

def test_moderator_logs_in_and_elder_mode_enlarges_text_and_targets(open_tab, make_user):
    moderator = make_user("street_moderator", street="xinhua", phone="13900000103", password=PASSWORD)
    tab = open_tab()
    tab.log_in(moderator)
    console_link = tab.page.get_by_role("link", name=re.compile("新华路街道工作台"))
    assert console_link.is_visible()
    tab.assert_fits_and_targets_at_least(48)

    console_link.click()
    tab.page.wait_for_url(re.compile(r"/streets/xinhua/$"))
    assert tab.page.get_by_role("heading", level=1).inner_text().strip() == "新华路街道工作台"
    assert tab.page.evaluate("() => document.documentElement.classList.contains('elder')") is False
    normal_size = tab.font_size()
    assert normal_size == 18
    tab.assert_fits_and_targets_at_least(48)

    tab.page.locator("footer button", has_text="长辈模式").click()
    tab.page.wait_for_selector("html.elder", state="attached")
    tab.page.wait_for_url(re.compile(r"/streets/xinhua/\??$"))
    assert tab.font_size() >= 22 > normal_size
    tab.assert_fits_and_targets_at_least(60)
    assert tab.page.locator("footer button", has_text="长辈模式").get_attribute("aria-pressed") == "true"

    tab.page.reload()
    assert tab.page.evaluate("() => document.documentElement.classList.contains('elder')") is True
    assert tab.font_size() >= 22
    tab.assert_fits_and_targets_at_least(60)
    tab.assert_no_errors()


def test_elder_mode_pages_fit_a_phone_before_login(open_tab):
    tab = open_tab()
    for path in ("/", "/login", "/signup"):
        tab.goto(path)
        tab.assert_fits_and_targets_at_least(48)
    tab.page.locator("footer button", has_text="长辈模式").click()
    tab.page.wait_for_selector("html.elder", state="attached")
    for path in ("/", "/login", "/signup", "/offline"):
        tab.goto(path)
        tab.assert_fits_and_targets_at_least(60)
    tab.assert_no_errors()


def test_service_worker_registers_and_precaches_the_offline_page(open_tab, live_server):
    tab = open_tab()
    tab.goto("/")
    worker = tab.page.evaluate(
        """async () => {
          const timeout = new Promise(
            (_, reject) => setTimeout(() => reject(new Error('service worker not ready')), 10000));
          const registration = await Promise.race([navigator.serviceWorker.ready, timeout]);
          const offline = await caches.match('/offline');
          return {script: registration.active.scriptURL, scope: registration.scope,
                  offline: offline ? await offline.text() : null};
        }"""
    )
    assert worker["script"] == live_server.base_url + "/sw.js"
    assert worker["scope"] == live_server.base_url + "/"
    assert worker["offline"] and "网络好像断开了" in worker["offline"]
    tab.assert_no_errors()


def test_offline_page_is_shown_when_the_server_is_gone(open_tab, live_server):
    tab = open_tab()
    tab.goto("/")
    tab.page.evaluate("() => navigator.serviceWorker.ready")
    tab.page.reload()  # now controlled by the worker
    assert tab.page.evaluate("() => !!navigator.serviceWorker.controller")
    live_server.shutdown()
    live_server.server_close()
    tab.page.goto(live_server.base_url + "/login")
    assert "网络好像断开了" in tab.page.get_by_role("heading", level=1).inner_text()
    assert tab.page.locator("link[rel=stylesheet]").evaluate("(link) => !!link.sheet")  # styled from the cache


def test_pages_work_where_service_workers_are_missing(open_tab, make_user):
    # WeChat's browser on iOS has no service worker: app.js must not depend on one.
    member = make_user("member", phone="13900000104", password=PASSWORD)
    tab = open_tab(init_script="delete Navigator.prototype.serviceWorker")
    tab.goto("/login")
    assert tab.page.evaluate("() => 'serviceWorker' in navigator") is False
    tab.log_in(member)
    assert tab.page.get_by_role("heading", name=re.compile("您好")).is_visible()
    tab.assert_no_errors()
