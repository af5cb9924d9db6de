"""The report on an org admin's phone in real Chromium: what is typed is saved on the server at a pause, without a
tap on 保存, and the field being typed in stays as it is."""
import datetime
import os

import pytest

from models import Report

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM}", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright Python package")
expect = sync_api.expect

pytestmark = pytest.mark.browser


def test_what_is_typed_is_saved_at_a_pause(app, open_tab, make_user, make_org, make_event):
    admin = make_user(name="报告管理员")
    event = make_event(make_org("xinhua", admin=admin), status="ended", starts_in=-datetime.timedelta(hours=5))
    tab = open_tab()
    tab.log_in(admin)
    tab.goto(f"/events/{event.id}/report")
    page = tab.page
    outcomes = page.locator("#outcomes-input")
    outcomes.tap()
    page.keyboard.type("二十位老人学会了视频通话")
    expect(page.locator("#outcomes-autosave")).to_contain_text("已自动保存")
    assert Report.get(Report.event == event).outcomes == "二十位老人学会了视频通话"
    # The textarea was not replaced: the caret is still in it, and more typing is saved too.
    assert page.evaluate("() => document.activeElement.id") == "outcomes-input"
    with page.expect_response(lambda response: response.url.endswith("/report/save")):
        page.keyboard.type("，还互相加了微信")
    expect(outcomes).to_have_value("二十位老人学会了视频通话，还互相加了微信")
    assert Report.get(Report.event == event).outcomes.endswith("还互相加了微信")
    # A number that cannot be saved says so in the status line, and what was typed stays in the field.
    page.locator("#beneficiaries-input").fill("三十")
    expect(page.locator("#attendance-autosave")).to_contain_text("尚未保存")
    expect(page.locator("#beneficiaries-input")).to_have_value("三十")
    tab.assert_fits_the_phone()
    tab.assert_no_errors()
