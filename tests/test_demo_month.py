"""The demo's 第十七届公益伙伴月: running now whatever day it is seeded, a dozen sign-ups across the streets, tagged
events (some on now, with check-ins), partners, needs and offers with responses, one matched; seeding again (and
another day) changes nothing but the dates."""
import datetime

import pytest

from blueprints.demo import month
from models import Campaign, CheckIn, Event, Need, Organization, Response, User, utcnow
from tests.conftest import login


@pytest.fixture
def demo(app, runner, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path / "uploads")
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return runner


def the_month():
    return Campaign.get(Campaign.name == "第十七届公益伙伴月")


def test_the_month_is_running_with_its_sign_up_window_still_open(demo):
    campaign = the_month()
    now = utcnow()
    assert campaign.kind == "month" and campaign.published and campaign.theme and campaign.description
    assert campaign.starts_at <= now - datetime.timedelta(days=9)
    assert campaign.ends_at >= now + datetime.timedelta(days=19)
    assert campaign.application_opens_at < now < campaign.application_closes_at
    assert campaign.application_closes_at < now + datetime.timedelta(days=7)
    assert campaign.cover_key and campaign.eligibility_ends_at is None


def test_a_dozen_sign_ups_across_the_streets_most_confirmed(demo):
    entries = list(the_month().entries)
    assert len(entries) >= 12
    assert len({e.organization.street_id for e in entries}) >= 5
    statuses = [e.status for e in entries]
    assert statuses.count("confirmed") >= 10 and statuses.count("pending") == 1
    [returned] = [e for e in entries if e.status == "returned"]
    assert returned.note and returned.decided_by.role == "street_moderator"
    assert all(e.organization.status == "active" for e in entries)


def test_tagged_events_across_streets_and_days_some_on_now_with_check_ins(demo):
    campaign, now = the_month(), utcnow()
    events = list(Event.select().where(Event.campaign == campaign))
    assert len({e.street_id for e in events}) >= 5
    assert all(campaign.starts_at <= e.starts_at and e.ends_at <= campaign.ends_at for e in events)
    confirmed = {e.organization_id for e in campaign.entries if e.status == "confirmed"}
    assert {e.organization_id for e in events} <= confirmed
    on_now = [e for e in events if e.starts_at <= now < e.ends_at and e.status == "published"]
    assert on_now and any(e.checkins.count() for e in on_now)
    assert any(e.status in ("ended", "reported") and e.checkins.count() for e in events)
    assert any(e.status == "reported" for e in events)
    assert any(e.starts_at > now + datetime.timedelta(days=1) for e in events)


def test_partners_needs_and_offers_with_responses_one_matched(demo, app):
    partners = list(User.select().where(User.role == "partner"))
    assert len(partners) == 2 and all(p.affiliation and p.district_id for p in partners)
    needs = list(the_month().needs)
    assert {n.kind for n in needs} == {"need", "offer"}
    assert sum(n.status == "published" for n in needs) >= 2
    assert [n.status for n in needs].count("submitted") == 1
    [matched] = [n for n in needs if n.status == "matched"]
    assert matched.responses.where(Response.matched_at.is_null(False)).count() == 1
    responses = Response.select().join(Need).where(Need.campaign == the_month())
    assert responses.count() >= 4 and {r.responder.role for r in responses} >= {"partner", "member"}
    for partner in partners:
        response = app.test_client().post("/login", data={"phone": partner.phone, "password": "ningshe2026"})
        assert response.status_code == 303


def test_the_district_admin_reads_the_summary_so_far(demo, app):
    client = app.test_client()
    login(client, User.get(User.phone == "13900000000"))
    html = client.get(f"/campaigns/{the_month().id}/summary").get_data(as_text=True)
    assert "伙伴月正在进行" in html and "新泾镇爱心助餐志愿队" in html


def counts():
    campaign = the_month()
    events = Event.select().where(Event.campaign == campaign)
    return (Campaign.select().count(), campaign.entries.count(), events.count(),
            CheckIn.select().where(CheckIn.event.in_(events)).count(), campaign.needs.count(),
            Response.select().count(), User.select().count(), Organization.select().count())


def test_seeding_again_changes_nothing(demo):
    before, dates = counts(), (the_month().starts_at, the_month().ends_at)
    result = demo.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert counts() == before
    assert (the_month().starts_at, the_month().ends_at) == dates


def test_another_day_the_month_moves_with_everything_in_it(demo):
    campaign = the_month()
    back = datetime.timedelta(days=3)
    Campaign.update(starts_at=campaign.starts_at - back, ends_at=campaign.ends_at - back,
                    application_opens_at=campaign.application_opens_at - back,
                    application_closes_at=campaign.application_closes_at - back).where(
        Campaign.id == campaign.id).execute()
    held = Event.select().where(Event.campaign == campaign, Event.status == "reported").order_by(Event.id).first()
    was = held.starts_at
    before = counts()
    assert month.move_to_today() == 3
    campaign = the_month()
    assert campaign.application_opens_at < utcnow() < campaign.application_closes_at
    assert Event.get_by_id(held.id).starts_at == was + back
    assert counts() == before
    now = utcnow()
    assert Event.select().where(Event.campaign == campaign, Event.starts_at <= now, Event.ends_at > now).exists()
