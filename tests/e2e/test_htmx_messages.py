"""htmx failures are shown in the page's message area, never dropped silently."""
import pytest

from blueprints.events import operations

pytestmark = pytest.mark.browser


def test_a_lost_connection_during_a_search_is_said_in_the_message_area(open_tab, make_user, make_org, live_server):
    make_org("xinhua", name="合唱团")
    moderator = make_user("street_moderator", street="xinhua")
    tab = open_tab(service_workers="block")  # page.route cannot see requests a service worker makes
    tab.log_in(moderator)
    tab.goto("/streets/xinhua/")
    tab.page.route("**/streets/xinhua/orgs?*", lambda route: route.abort("internetdisconnected"))
    tab.page.fill("#q", "合唱")
    message = tab.page.locator("#messages .msg-error")
    message.wait_for()
    assert message.inner_text() == "网络不稳定，请稍后再试。"


def test_an_error_answer_to_an_in_place_action_is_said_in_the_message_area(open_tab, make_user, make_org, live_server):
    org = make_org("xinhua", status="pending", name="读书会")
    moderator = make_user("street_moderator", street="xinhua")
    tab = open_tab()
    tab.log_in(moderator)
    tab.goto("/streets/xinhua/")
    # Another moderator's session ends this one's rights: the server now answers 404 for the organization.
    org.street = org.street.__class__.get(org.street.__class__.slug == "tianshan")
    org.save()
    tab.page.locator(f"#org-{org.id}").get_by_role("button", name="通过", exact=True).click()
    message = tab.page.locator("#messages .msg-error")
    message.wait_for()
    assert "找不到这个页面" in message.inner_text()
    assert tab.page.locator(f"#org-{org.id}").is_visible()  # the row stays as it was



def test_a_decision_someone_else_took_first_is_said_at_once_beside_the_row(
    app, open_tab, make_user, make_org, make_event
):
    """Two staff on one queue: the second to tap 发布 sees the event as published, and why nothing happened, now."""
    event = make_event(make_org("xinhua"), status="submitted", title="社区义诊")
    moderator, colleague = make_user("street_moderator", street="xinhua"), make_user("district_admin")
    tab = open_tab()
    tab.log_in(moderator)
    tab.goto("/streets/xinhua/")
    row = tab.page.locator(f"#event-{event.id}")
    publish = row.get_by_role("button", name="发布", exact=True)
    publish.wait_for()
    tab.page.evaluate("() => { window.stillTheSamePage = true; }")
    with app.app_context():  # the colleague publishes while this page is open
        operations.publish(event, colleague)

    publish.click()
    message = tab.page.locator("#messages .msg-error")
    message.wait_for()
    assert message.inner_text() == "活动当前状态（已发布）不能进行这项操作"
    assert "已发布" in row.inner_text() and publish.count() == 0
    assert tab.page.evaluate("() => window.stillTheSamePage") is True  # in place, not on the next page
    box = message.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= tab.page.viewport_size["height"]  # in sight
    tab.assert_no_errors()
