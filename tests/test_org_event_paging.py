"""An organization's page lists all its events by status, newest first, a page of each status at a time."""
import datetime
import re

import pytest

from blueprints.events.queries import ORG_EVENTS_SHOWN
from tests.conftest import login

DAY = datetime.timedelta(days=1)
HX = {"HX-Request": "true"}


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin, name="睦邻互助会")


def titles(html):
    return re.findall(r"<span>(往期活动\d+|下周活动)</span>", html)


def more_link(html):
    found = re.search(r'<p class="load-more">\s*<a [^>]*hx-get="([^"]+)"', html)
    return found and found.group(1).replace("&amp;", "&")


def test_past_events_newest_first_a_page_at_a_time(client, org_admin, org, make_event):
    total = 2 * ORG_EVENTS_SHOWN + 5
    # Published events whose end has passed are 已结束, as residents see them, counted and listed with the ended.
    for n in range(total):
        make_event(org, title=f"往期活动{n}", status="published" if n % 2 else "ended", starts_in=-(n + 1) * DAY)
    make_event(org, title="下周活动", starts_in=7 * DAY)
    login(client, org_admin)
    html = client.get(f"/orgs/{org.id}/manage").get_data(as_text=True)
    assert f"已结束（{total}）" in html and "已发布（1）" in html
    seen = titles(html)
    assert seen[0] == "下周活动" and seen[1:] == [f"往期活动{n}" for n in range(ORG_EVENTS_SHOWN)]
    link = more_link(html)
    while link:
        part = client.get(link, headers=HX).get_data(as_text=True)
        assert "<h3" not in part
        seen += titles(part)
        link = more_link(part)
    assert seen[1:] == [f"往期活动{n}" for n in range(total)]


def test_more_without_javascript_shows_more_of_that_status(client, org_admin, org, make_event):
    for n in range(ORG_EVENTS_SHOWN + 3):
        make_event(org, title=f"往期活动{n}", status="ended", starts_in=-(n + 1) * DAY)
    make_event(org, title="下周活动", starts_in=7 * DAY)
    login(client, org_admin)
    html = client.get(f"/orgs/{org.id}/manage?status=ended&page=2").get_data(as_text=True)
    assert titles(html) == ["下周活动"] + [f"往期活动{n}" for n in range(ORG_EVENTS_SHOWN + 3)]
    assert more_link(html) is None


@pytest.mark.parametrize("query", ["status=ended&page=abc", "status=nothing&page=2", "status=draft&page=9", "page=-3"])
def test_odd_addresses_are_no_error(client, org_admin, org, make_event, query):
    make_event(org, title="往期活动1", status="ended", starts_in=-DAY)
    login(client, org_admin)
    assert client.get(f"/orgs/{org.id}/manage?{query}").status_code == 200
    assert client.get(f"/orgs/{org.id}/manage?{query}", headers=HX).status_code == 200
