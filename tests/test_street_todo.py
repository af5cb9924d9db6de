"""The street console opens with one 待办 view: every queue with its count, each count the number of items its
queue shows (or its total when the queue shows only the oldest), quiet when nothing waits; and a fresh demo shows
its signals."""
import re

import pytest

from blueprints.demo.data import DEMO_PASSWORD
from models import Signal, Street, User

#: The 待办 entries and the section each links to (signals: their own page).
SECTIONS = {"org": "queue", "event": "event-queue", "proposal": "proposal-queue", "entry": "entry-queue",
            "need": "need-queue", "report": "report-queue", "overdue": "report-overdue"}


@pytest.fixture
def demo(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return runner


def moderator_client(app, slug):
    moderator = User.get(User.role == "street_moderator", User.street == Street.get(Street.slug == slug))
    client = app.test_client()
    response = client.post("/login", data={"phone": moderator.phone, "password": DEMO_PASSWORD})
    assert response.status_code in (302, 303)
    return client


def todo_counts(html):
    """{key: (count, address, quiet)} of the 待办 view."""
    view = html.split('id="street-todo"')[1].split("</section>")[0]
    found = re.findall(r'<li( class="quiet")?><a id="todo-(\w+)" href="([^"]+)"><strong>(\d+)</strong>', view)
    return {key: (int(n), href, bool(quiet)) for quiet, key, href, n in found}


def section(html, anchor):
    return html.split(f'id="{anchor}"')[1].split("</section>")[0]


def shown_in(html, key):
    """How many items the console's section of ``key`` shows, or its total when it says it shows only some."""
    part = section(html, SECTIONS[key])
    total = re.search(r"共 (\d+) (?:项|场活动)", part)
    if total:
        return int(total.group(1))
    return len(re.findall(r'class="queue-row"', part)) if key != "overdue" else part.count('class="row-link"')


def open_signals_listed(client, slug):
    page = client.get(f"/streets/{slug}/signals").get_data(as_text=True)
    return int(re.search(r"共 (\d+) 条", page).group(1))


def test_each_count_matches_its_queue(app, demo):
    for street in Street.select():
        check_counts(app, street.slug)


def check_counts(app, slug):
    client = moderator_client(app, slug)
    html = client.get(f"/streets/{slug}/").get_data(as_text=True)
    counts = todo_counts(html)
    assert set(counts) == {*SECTIONS, "signal"}
    for key, anchor in SECTIONS.items():
        n, href, quiet = counts[key]
        assert href == f"#{anchor}"
        assert n == shown_in(html, key), key
        assert quiet == (n == 0)
    n, href, quiet = counts["signal"]
    assert href == f"/streets/{slug}/signals"
    assert n == open_signals_listed(client, slug) == Signal.select().where(
        Signal.street == Street.get(Street.slug == slug), Signal.status == "open").count()


def test_something_waits_somewhere_in_the_demo(app, demo):
    """The demo's 待办 is not all zeros: the walkthrough has queues to act on."""
    client = moderator_client(app, "huayang")
    counts = todo_counts(client.get("/streets/huayang/").get_data(as_text=True))
    assert sum(n for n, _href, _quiet in counts.values()) > 0
    assert any(not quiet for _n, _href, quiet in counts.values())


def test_a_capped_queue_counts_all_that_wait(app, demo, monkeypatch):
    from blueprints.streets import views

    monkeypatch.setattr(views, "QUEUE_SHOWN", 1)
    for street in Street.select():
        client = moderator_client(app, street.slug)
        html = client.get(f"/streets/{street.slug}/").get_data(as_text=True)
        counts = todo_counts(html)
        for key in ("org", "event", "proposal", "entry", "need", "report"):
            rows = len(re.findall(r'class="queue-row"', section(html, SECTIONS[key])))
            assert rows == min(counts[key][0], 1)
            assert counts[key][0] == shown_in(html, key)


def test_zero_counts_are_quiet_and_the_street_sees_only_its_own(client, make_user, make_org):
    make_org("tianshan", status="pending")
    make_org("xinhua", status="pending", name="新华路待审核的组织")
    from tests.conftest import login

    login(client, make_user("street_moderator", street="xinhua"))
    html = client.get("/streets/xinhua/").get_data(as_text=True)
    counts = todo_counts(html)
    assert counts["org"] == (1, "#queue", False)
    for key in ("event", "proposal", "entry", "need", "report", "overdue", "signal"):
        assert counts[key][0] == 0 and counts[key][2], key


def test_the_demo_shows_signals_from_the_start(app, demo):
    kinds = {kind for (kind,) in Signal.select(Signal.kind).where(Signal.status == "open").tuples()}
    assert {"report_overdue", "zero_checkin"} <= kinds
    client = moderator_client(app, "huayang")
    page = client.get("/streets/huayang/signals").get_data(as_text=True)
    assert open_signals_listed(client, "huayang") > 0
    assert "报告应在" in page and "已逾期" in page  # each with its reason
