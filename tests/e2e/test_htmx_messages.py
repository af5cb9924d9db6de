"""htmx failures are shown in the page's message area, never dropped silently."""
import pytest

pytestmark = pytest.mark.browser


def test_a_lost_connection_during_a_search_is_said_in_the_message_area(open_tab, make_user, make_org, live_server):
    make_org("xinhua", name="合唱团")
    moderator = make_user("street_moderator", street="xinhua")
    tab = open_tab(service_workers="block")  # page.route cannot see requests a service worker makes
    tab.log_in(moderator)
    tab.goto("/streets/xinhua/")
    tab.page.route("**/streets/xinhua/?q=*", lambda route: route.abort("internetdisconnected"))
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
