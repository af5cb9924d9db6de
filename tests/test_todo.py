"""待办 on the home page: the org admin's returned proposals and near deadlines, the moderator's proposals to check,
the district admin's contests whose 资格审查 phase ended with proposals unchecked — each only their own."""
import datetime

import pytest

from models import District, Extension, Proposal, utcnow
from tests.conftest import login
from tests.test_campaigns import make_campaign, phase_dates

DAY = datetime.timedelta(days=1)


@pytest.fixture
def district_admin(make_user):
    return make_user("district_admin")


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin, name="睦邻互助会")


def contest(admin, closes_in, name="第十届公益创投大赛"):
    """A published contest whose applications close ``closes_in`` from now."""
    return make_campaign(admin, published=True, name=name, **phase_dates(utcnow() + closes_in - 30 * DAY))


def home(client, user):
    login(client, user)
    return client.get("/").get_data(as_text=True)


def todo_card(html):
    assert 'id="todo"' in html
    card = html[html.index('id="todo"'):]
    return card[:card.index("</section>")]


def test_nothing_waiting_shows_no_card(client, org_admin, org, district_admin, make_user):
    contest(district_admin, 20 * DAY)
    for user in (org_admin, district_admin, make_user("street_moderator", street="xinhua")):
        assert 'id="todo"' not in home(client, user)


def test_a_returned_proposal_shows_its_revise_by_date_to_its_org_admin_only(client, org_admin, org, district_admin,
                                                                           make_org, make_user):
    campaign = contest(district_admin, -DAY)
    revise_by = datetime.datetime(2031, 5, 12, 16)  # 2031-05-13 00:00 in Shanghai
    returned = Proposal.create(campaign=campaign, organization=org, title="独居老人助餐", status="returned",
                               revise_by=revise_by, check_note="请补充预算")
    other_admin = make_user(name="别的组织管理员")
    Proposal.create(campaign=campaign, organization=make_org("xinhua", admin=other_admin), title="别家的申报",
                    status="returned", revise_by=revise_by)
    card = todo_card(home(client, org_admin))
    assert "独居老人助餐" in card and "2031年5月13日 00:00" in card
    assert f'href="/proposals/{returned.id}/"' in card
    assert "别家的申报" not in card
    assert "独居老人助餐" not in home(client, make_user("street_moderator", street="tianshan"))


def test_a_returned_proposal_past_its_revise_by_date_no_longer_waits(client, org_admin, org, district_admin):
    campaign = contest(district_admin, -DAY)
    Proposal.create(campaign=campaign, organization=org, title="过期的退回", status="returned",
                    revise_by=utcnow() - DAY)
    assert 'id="todo"' not in home(client, org_admin)


def test_a_deadline_in_three_days_shows_one_in_four_days_does_not(client, org_admin, org, district_admin):
    soon = contest(district_admin, 2 * DAY + 12 * datetime.timedelta(hours=1), name="快截止的大赛")
    contest(district_admin, 4 * DAY, name="还早的大赛")
    draft = Proposal.create(campaign=soon, organization=org, title="写了一半")
    card = todo_card(home(client, org_admin))
    assert "快截止的大赛" in card and "还早的大赛" not in card
    assert f'href="/proposals/{draft.id}/"' in card and "草稿未提交" in card


def test_nothing_started_links_to_the_contest_and_a_sent_proposal_does_not_wait(client, org_admin, org,
                                                                               district_admin):
    soon = contest(district_admin, DAY)
    card = todo_card(home(client, org_admin))
    assert f'href="/campaigns/{soon.id}/"' in card
    Proposal.create(campaign=soon, organization=org, title="已经交了", status="submitted", submitted_at=utcnow())
    assert 'id="todo"' not in home(client, org_admin)


def test_an_extension_moves_the_reminder(client, org_admin, org, district_admin):
    closed = contest(district_admin, -DAY, name="已截止的大赛")
    assert 'id="todo"' not in home(client, org_admin)
    Extension.create(campaign=closed, organization=org, until=utcnow() + 2 * DAY, granted_by=district_admin)
    assert "已截止的大赛" in todo_card(home(client, org_admin))


def test_the_moderator_counts_only_their_streets_proposals(client, district_admin, make_org, make_user):
    campaign = contest(district_admin, -DAY)
    for street in ("xinhua", "xinhua", "tianshan"):
        Proposal.create(campaign=campaign, organization=make_org(street), status="submitted", submitted_at=utcnow())
    Proposal.create(campaign=campaign, organization=make_org("xinhua"), status="eligible", submitted_at=utcnow())
    card = todo_card(home(client, make_user("street_moderator", street="xinhua")))
    assert "2 份申报待资格审查" in card and 'href="/streets/xinhua/#proposal-queue"' in card
    assert "1 份申报待资格审查" in todo_card(home(client, make_user("street_moderator", street="tianshan")))
    assert 'id="todo"' not in home(client, make_user("street_moderator", street="jiangsu"))


def test_the_district_admin_sees_a_finished_check_phase_with_proposals_unchecked(client, district_admin, make_org,
                                                                               make_user):
    over = contest(district_admin, -8 * DAY, name="资格审查已结束的大赛")
    still_checking = contest(district_admin, -2 * DAY, name="还在资格审查的大赛")
    for campaign in (over, still_checking):
        Proposal.create(campaign=campaign, organization=make_org("xinhua"), status="submitted", submitted_at=utcnow())
    card = todo_card(home(client, district_admin))
    assert "资格审查已结束的大赛" in card and "仍有 1 份申报未审查" in card
    assert f'href="/campaigns/{over.id}/checks"' in card and "还在资格审查的大赛" not in card

    xuhui = make_user("district_admin", district=District.create(code="310104", name="徐汇区"))
    assert 'id="todo"' not in home(client, xuhui)


def test_a_finished_check_phase_with_everything_checked_does_not_wait(client, district_admin, make_org):
    over = contest(district_admin, -8 * DAY)
    Proposal.create(campaign=over, organization=make_org("xinhua"), status="eligible", submitted_at=utcnow())
    assert 'id="todo"' not in home(client, district_admin)
