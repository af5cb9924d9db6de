"""签到管理 of a big event: the roster a page at a time, searched on the server; exports streamed whole."""
import csv
import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from blueprints.checkins.volunteer_views import ROSTER_PAGE
from models import CheckIn, Membership, db
from tests.conftest import login

MINUTE = datetime.timedelta(minutes=1)
HX = {"HX-Request": "true"}


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin, name="睦邻互助会")


@pytest.fixture
def event(make_event, org):
    return make_event(org, title="社区健康讲座", venue="愚园路 1000 号", status="published", starts_in=-10 * MINUTE,
                      hours=2)


@pytest.fixture
def volunteer(make_user, org):
    user = make_user(name="志愿者小红")
    Membership.create(user=user, organization=org, role="volunteer")
    return user


def crowd(event, count, start=1):
    """``count`` residents checked in, numbered from ``start``: 居民1 with phone 13900000001, and so on."""
    now = datetime.datetime.utcnow()
    rows = [
        {"event": event.id, "name": f"居民{n}", "phone": f"139{n:08d}", "number": n, "method": "qr",
         "created_at": now - datetime.timedelta(seconds=count - n)}
        for n in range(start, start + count)
    ]
    with db.atomic():
        for i in range(0, len(rows), 200):
            CheckIn.insert_many(rows[i:i + 200]).execute()


def numbers(html):
    return [int(n) for n in re.findall(r"<span>(\d+)\. ", html)]


def more_link(html):
    found = re.search(r'<li class="load-more">\s*<a [^>]*href="([^"]+)"', html)
    return found and found.group(1).replace("&amp;", "&")


def test_the_roster_shows_the_newest_page_and_loads_the_rest_in_order(client, volunteer, event):
    crowd(event, 2 * ROSTER_PAGE + 20)
    login(client, volunteer)
    html = client.get(f"/events/{event.id}/checkins").get_data(as_text=True)
    total = 2 * ROSTER_PAGE + 20
    assert f"<strong>{total}</strong>" in html  # the counter counts everyone, the roster shows a page
    assert numbers(html) == list(range(total, total - ROSTER_PAGE, -1))
    seen, link = numbers(html), more_link(html)
    while link:
        part = client.get(link, headers=HX).get_data(as_text=True)
        assert "<ul" not in part and "<html" not in part  # only the next items, appended where the button was
        seen += numbers(part)
        link = more_link(part)
    assert seen == list(range(total, 0, -1))  # every check-in once, none twice, newest first


def test_check_ins_arriving_meanwhile_do_not_shift_the_next_page(client, volunteer, event):
    crowd(event, ROSTER_PAGE + 5)
    login(client, volunteer)
    link = more_link(client.get(f"/events/{event.id}/checkins").get_data(as_text=True))
    crowd(event, 30, start=ROSTER_PAGE + 6)  # thirty more residents scan before the volunteer taps 加载更多
    assert numbers(client.get(link, headers=HX).get_data(as_text=True)) == [5, 4, 3, 2, 1]


def test_more_works_without_javascript(client, volunteer, event):
    crowd(event, ROSTER_PAGE + 3)
    login(client, volunteer)
    link = more_link(client.get(f"/events/{event.id}/checkins").get_data(as_text=True))
    html = client.get(link).get_data(as_text=True)
    assert "签到管理" in html and numbers(html) == [3, 2, 1] and more_link(html) is None


def test_search_finds_a_resident_beyond_the_first_page(client, volunteer, event):
    crowd(event, 3 * ROSTER_PAGE)
    login(client, volunteer)
    first = client.get(f"/events/{event.id}/checkins").get_data(as_text=True)
    assert "居民7<" not in first
    by_name = client.get(f"/events/{event.id}/checkins?q=居民7", headers=HX).get_data(as_text=True)
    assert by_name.lstrip().startswith('<ul class="plain roster"')
    assert set(numbers(by_name)) == {7, *range(70, 80)}
    by_phone = client.get(f"/events/{event.id}/checkins?q=0007", headers=HX).get_data(as_text=True)
    assert numbers(by_phone) == [7] and "139****0007" in by_phone and "13900000007" not in by_phone
    nobody = client.get(f"/events/{event.id}/checkins?q=张三", headers=HX).get_data(as_text=True)
    assert "没有找到" in nobody and more_link(nobody) is None


def test_searched_pages_keep_the_search(client, volunteer, event):
    crowd(event, 3 * ROSTER_PAGE)
    login(client, volunteer)
    html = client.get(f"/events/{event.id}/checkins?q=居民1", headers=HX).get_data(as_text=True)
    link = more_link(html)
    assert link and "q=" in link
    rest = numbers(client.get(link, headers=HX).get_data(as_text=True))
    assert all(str(n).startswith("1") for n in numbers(html) + rest) and len(numbers(html) + rest) == 1 + 10 + 51


def test_the_poll_brings_the_first_page_only(client, volunteer, event):
    crowd(event, 2 * ROSTER_PAGE)
    login(client, volunteer)
    html = client.get(f"/events/{event.id}/checkins/count?roster=1", headers=HX).get_data(as_text=True)
    assert f"<strong>{2 * ROSTER_PAGE}</strong>" in html and len(numbers(html)) == ROSTER_PAGE


def test_the_page_does_not_grow_with_the_event(client, volunteer, event, make_event, org):
    crowd(event, ROSTER_PAGE)
    login(client, volunteer)
    small = len(client.get(f"/events/{event.id}/checkins").data)
    crowd(event, 1000, start=ROSTER_PAGE + 1)
    large = len(client.get(f"/events/{event.id}/checkins").data)
    assert large < small * 1.1


@pytest.mark.parametrize("before", ["abc", "-1", "0", "1.5", "９", "9" * 40])
def test_an_odd_page_address_is_no_error(client, volunteer, event, before):
    crowd(event, 3)
    login(client, volunteer)
    response = client.get(f"/events/{event.id}/checkins?before={before}", headers=HX)
    assert response.status_code == 200


def test_exports_stream_every_check_in(client, org_admin, event):
    crowd(event, 1200)
    login(client, org_admin)
    response = client.get(f"/events/{event.id}/checkins.csv")
    assert response.status_code == 200 and response.is_streamed
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "序号" and [int(r[0]) for r in rows[1:]] == list(range(1, 1201))
    assert rows[1][2] == "139****0001"
    response = client.get(f"/events/{event.id}/checkins.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == list(range(1, 1201))
    assert 'filename="checkins-' in response.headers["Content-Disposition"]
