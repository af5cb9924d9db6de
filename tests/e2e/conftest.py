"""What the browser test modules share: the app on a live localhost port, one headless Debian Chromium, and
phone-sized tabs that record console errors (CSP violations among them)."""
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def live_server(app, backend):
    """The test app on a free localhost port, served from a background thread."""
    if backend != "sqlite":
        pytest.skip("the browser tests exercise the pages, not the database: SQLite is enough")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.base_url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session (``playwright install`` is never run)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright Python package")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


PHONE = dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN")
WIDTH = PHONE["viewport"]["width"]

#: Every tap target a visitor can see, with its size; a checkbox or radio is tapped through its label.
TARGETS_JS = """() => Array.from(document.querySelectorAll('button, .button, input, select, textarea, main a'))
  .filter((el) => el.type !== 'hidden' && el.checkVisibility())
  .map((el) => {
    const target = el.matches('input[type=checkbox], input[type=radio]') ? (el.closest('label') || el) : el;
    const box = target.getBoundingClientRect();
    return {what: el.outerHTML.slice(0, 90), width: box.width, height: box.height};
  })
  .filter((t) => t.width > 0 && t.height > 0)"""


@pytest.fixture
def app_config():
    """The real forms, CSRF token included; no BASE_URL, so QR codes carry the live server's own host.

    The volunteers' counter and the venue screen refresh every second, so that tests do not wait for them.
    """
    return {"WTF_CSRF_ENABLED": True, "BASE_URL": "", "COUNTER_POLL_SECONDS": 1, "SCREEN_REFRESH_SECONDS": 1}


class Tab:
    """A page that records console errors and uncaught exceptions, with the measurements the tests make."""

    def __init__(self, context, base_url):
        self.context, self.base_url, self.errors = context, base_url, []
        # An htmx form answered with 422 (its errors beside the fields) is logged by Chromium, but it is no fault.
        self.expected_statuses = {422}
        self.page = context.new_page()
        self.page.set_default_timeout(10_000)
        self.page.on("console", self.on_console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def on_console(self, msg):
        if msg.type == "error" and not any(f"status of {s}" in msg.text for s in self.expected_statuses):
            self.errors.append(f"console: {msg.text} ({msg.location.get('url')})")

    def goto(self, url, status=200):
        self.expected_statuses.add(status)
        response = self.page.goto(url if url.startswith("http") else self.base_url + url)
        assert response.status == status, (url, response.status)
        return response

    def log_in(self, user, password=PASSWORD):
        self.goto("/login")
        self.page.fill("input[name=phone]", user.phone)
        self.page.fill("input[name=password]", password)
        self.page.locator("main form button[type=submit]").click()
        self.page.wait_for_url(self.base_url + "/")

    def targets(self):
        return self.page.evaluate(TARGETS_JS)

    def font_size(self):
        return float(self.page.evaluate("() => getComputedStyle(document.body).fontSize").removesuffix("px"))

    def scroll_width(self):
        return self.page.evaluate("() => document.documentElement.scrollWidth")

    def assert_fits_the_phone(self):
        assert self.scroll_width() <= WIDTH, f"the page is wider than the phone: {self.scroll_width()}px"

    def assert_fits_and_targets_at_least(self, size):
        self.assert_fits_the_phone()
        small = [t for t in self.targets() if t["height"] < size or t["width"] < size]
        assert not small, f"tap targets under {size}px: {small}"

    def assert_no_errors(self):
        assert not self.errors, self.errors


@pytest.fixture
def open_tab(browser, live_server):
    """open_tab(**context_options) → a Tab in a fresh context (a phone unless told otherwise), or in ``context``;
    ``init_script`` runs before every page. Every context is closed afterwards."""
    contexts = []

    def open_(context=None, init_script=None, **options):
        if context is None:
            context = browser.new_context(**{**PHONE, **options})
            contexts.append(context)
        if init_script:
            context.add_init_script(init_script)
        return Tab(context, live_server.base_url)

    yield open_
    for context in contexts:
        context.close()


#: The live server's static files: when Chromium drops a download half way (a page closing, a context ending while
#: app.js is still arriving), werkzeug's development server leaves the file to the garbage collector, whose
#: ResourceWarning pytest reports at some later teardown. Nothing of ours is open; only the browser tests see it.
DROPPED_STATIC_FILE = (
    r"ignore:Exception ignored in. <_io.FileIO name='.*static/.*' mode='rb' closefd=True>"
    r":pytest.PytestUnraisableExceptionWarning"
)


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.filterwarnings(DROPPED_STATIC_FILE))
