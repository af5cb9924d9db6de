"""Every event transition, allowed and refused, with its actor checks and audit log; the concurrent sign-ups."""
import datetime
import threading

import pytest

from blueprints.events import operations
from blueprints.events.policy import LIFECYCLE
from blueprints.events.signups import cancel_signup, position, sign_up
from core.errors import LifecycleError, PermissionDenied, ValidationError
from models import EVENT_STATUSES, AuditLog, Event, Membership, Signup, db, utcnow
from tests.conftest import login

DAY = datetime.timedelta(days=1)


@pytest.fixture
def org(make_org, org_admin):
    return make_org("xinhua", admin=org_admin)


@pytest.fixture
def moderator(make_user):
    return make_user("street_moderator", street="xinhua")


def actor_for(action, org_admin, moderator):
    return moderator if action in ("publish", "return") else org_admin


def run(action, event, by):
    if action == "submit":
        return operations.submit(event, by)
    if action == "publish":
        return operations.publish(event, by)
    if action == "return":
        return operations.return_event(event, by, "请补充安全预案")
    if action == "cancel":
        return operations.cancel(event, by, "场地临时维修")
    if action == "end":
        return operations.end_event(event)
    return operations.mark_reported(event, by)


@pytest.mark.parametrize("action", LIFECYCLE.transitions)
@pytest.mark.parametrize("status", EVENT_STATUSES)
def test_each_transition_is_allowed_only_from_its_statuses(app, make_event, org, org_admin, moderator, action, status):
    sources, target = LIFECYCLE.transitions[action]
    # "end" needs an event whose end has passed; everything else happens before the event.
    starts_in = -DAY if action == "end" else DAY
    event = make_event(org, status=status, starts_in=starts_in)
    by = actor_for(action, org_admin, moderator)
    with app.app_context():
        if status in sources:
            run(action, event, by)
            assert Event.get_by_id(event.id).status == target
            entry = AuditLog.select().where(AuditLog.action == f"event.{action}").get()
            assert entry.target_id == event.id and entry.actor_id == (None if action == "end" else by.id)
        else:
            with pytest.raises(LifecycleError):
                run(action, event, by)
            assert Event.get_by_id(event.id).status == status
            assert not AuditLog.select().where(AuditLog.action == f"event.{action}").exists()


def test_a_published_event_cannot_be_cancelled_after_its_end(app, make_event, org, org_admin):
    event = make_event(org, status="published", starts_in=-DAY)
    with app.app_context(), pytest.raises(LifecycleError):
        operations.cancel(event, org_admin, "太晚了")


def test_a_published_event_is_not_ended_before_its_end(app, make_event, org):
    event = make_event(org, status="published", starts_in=-datetime.timedelta(minutes=30), hours=2)
    with app.app_context(), pytest.raises(LifecycleError):
        operations.end_event(event)
    assert event.current_status == "published"


def test_ending_past_events_in_one_go(app, make_event, org):
    past = make_event(org, status="published", starts_in=-DAY)
    future = make_event(org, status="published")
    with app.app_context():
        assert operations.end_past_events() == 1
    assert Event.get_by_id(past.id).status == "ended" and Event.get_by_id(future.id).status == "published"


@pytest.mark.parametrize("action", ["return", "cancel"])
def test_returning_and_cancelling_need_a_reason(app, make_event, org, org_admin, moderator, action):
    event = make_event(org, status="submitted")
    with app.app_context(), pytest.raises(ValidationError) as caught:
        if action == "return":
            operations.return_event(event, moderator, "  ")
        else:
            operations.cancel(event, org_admin, "")
    assert "reason" in caught.value.errors
    assert Event.get_by_id(event.id).status == "submitted"


def test_only_the_org_admin_submits_and_cancels(app, make_event, make_user, org):
    volunteer = make_user()
    Membership.create(user=volunteer, organization=org, role="volunteer")
    event = make_event(org, status="draft")
    with app.app_context():
        with pytest.raises(PermissionDenied):
            operations.submit(event, volunteer)
        with pytest.raises(PermissionDenied):
            operations.cancel(event, volunteer, "不办了")
    assert Event.get_by_id(event.id).status == "draft"


def test_only_the_venue_streets_moderator_or_district_admin_publishes(app, make_event, make_user, org):
    event = make_event(org, status="submitted")
    with app.app_context():
        with pytest.raises(PermissionDenied):
            operations.publish(event, make_user("street_moderator", street="tianshan"))
        with pytest.raises(PermissionDenied):
            operations.publish(event, make_user("reviewer"))
        operations.publish(event, make_user("district_admin"))
    assert Event.get_by_id(event.id).status == "published"


def test_a_pending_organization_cannot_submit(app, make_event, make_org, org_admin):
    pending = make_org("xinhua", admin=org_admin, status="pending")
    event = make_event(pending, status="draft")
    with app.app_context(), pytest.raises(LifecycleError):
        operations.submit(event, org_admin)


def test_a_returned_event_is_edited_and_resubmitted(app, make_event, org, org_admin):
    event = make_event(org, status="returned", return_reason="请写明房间号")
    data = {f: getattr(event, f) for f in operations.FIELDS}
    data["venue"] = "愚园路 1000 号 3 楼 302 室"
    with app.app_context():
        operations.update_event(event, org_admin, data)
        operations.submit(Event.get_by_id(event.id), org_admin)
    assert Event.get_by_id(event.id).status == "submitted"


@pytest.mark.parametrize(
    "change, back_to_queue",
    [
        ({"venue": "另一个地点"}, True),
        ({"starts_at": 3600}, True),
        ({"title": "新名称"}, False),
        ({"capacity": 99}, False),
    ],
)
def test_published_event_changes_residents_would_notice_go_back_to_the_queue(
    app, make_event, org, org_admin, change, back_to_queue
):
    event = make_event(org, status="published")
    data = {f: getattr(event, f) for f in operations.FIELDS}
    for name, value in change.items():
        data[name] = event.starts_at + datetime.timedelta(seconds=value) if name == "starts_at" else value
    with app.app_context():
        assert operations.update_event(event, org_admin, data) is back_to_queue
    assert Event.get_by_id(event.id).status == ("submitted" if back_to_queue else "published")
    assert AuditLog.get(AuditLog.target_id == event.id).action == ("event.resubmit" if back_to_queue else "event.edit")


def test_ended_and_cancelled_events_cannot_be_edited(app, make_event, org, org_admin):
    for event in (make_event(org, status="cancelled"), make_event(org, status="published", starts_in=-DAY)):
        data = {f: getattr(event, f) for f in operations.FIELDS}
        data["starts_at"], data["ends_at"] = utcnow() + DAY, utcnow() + 2 * DAY
        with app.app_context(), pytest.raises(LifecycleError):
            operations.update_event(event, org_admin, data)


def test_copy_moves_a_past_event_to_the_same_weekday_and_time_ahead(app, make_event, org, org_admin):
    past = make_event(org, status="ended", starts_in=-datetime.timedelta(days=9, hours=1))
    with app.app_context():
        copy = operations.copy_event(past, org_admin)
    assert copy.status == "draft" and copy.title == past.title and copy.venue == past.venue
    assert copy.starts_at > utcnow() and copy.starts_at - past.starts_at == datetime.timedelta(days=14)
    assert copy.ends_at - copy.starts_at == past.ends_at - past.starts_at


class TestSignups:
    def test_places_fill_then_a_waiting_list_moves_up_on_cancellation(self, app, make_event, org):
        event = make_event(org, signup_enabled=True, capacity=2)
        first, _ = sign_up(event, "甲", "13600000001")
        second, _ = sign_up(event, "乙", "13600000002")
        third, _ = sign_up(event, "丙", "13600000003")
        fourth, _ = sign_up(event, "丁", "13600000004")
        assert [s.status for s in (first, second, third, fourth)] == ["confirmed", "confirmed", "waitlist", "waitlist"]
        assert (position(third), position(fourth)) == (1, 2)

        promoted = cancel_signup(first)
        assert promoted.id == third.id
        assert Signup.get_by_id(third.id).status == "confirmed"
        assert position(Signup.get_by_id(fourth.id)) == 1
        # cancelling a waiting sign-up promotes nobody
        assert cancel_signup(Signup.get_by_id(fourth.id)) is None

    def test_signing_up_twice_keeps_one_sign_up(self, app, make_event, org):
        event = make_event(org, signup_enabled=True, capacity=5)
        one, created = sign_up(event, "甲", "13600000001")
        again, created_again = sign_up(event, "甲", "13600000001")
        assert created and not created_again and one.id == again.id
        assert event.signups.count() == 1

    def test_a_cancelled_resident_can_sign_up_again_at_the_back(self, app, make_event, org):
        event = make_event(org, signup_enabled=True, capacity=1)
        mine, _ = sign_up(event, "甲", "13600000001")
        sign_up(event, "乙", "13600000002")
        cancel_signup(mine)
        again, created = sign_up(event, "甲", "13600000001")
        assert created and again.id == mine.id and again.status == "waitlist"

    def test_no_sign_up_where_the_event_does_not_ask_for_it_or_has_ended(self, app, make_event, org):
        with app.test_request_context():
            with pytest.raises(LifecycleError):
                sign_up(make_event(org, signup_enabled=False), "甲", "13600000001")
            with pytest.raises(LifecycleError):
                sign_up(make_event(org, signup_enabled=True, starts_in=-DAY), "甲", "13600000001")
            with pytest.raises(LifecycleError):
                sign_up(make_event(org, status="cancelled", signup_enabled=True), "甲", "13600000001")

    def test_sixty_concurrent_sign_ups_for_fifty_places_confirm_exactly_fifty(self, app, make_event, org):
        event = make_event(org, signup_enabled=True, capacity=50)
        db.close()  # the threads open their own connections
        barrier = threading.Barrier(60)
        errors = []

        def resident(n):
            try:
                barrier.wait()
                sign_up(event, f"居民{n}", f"136{n:08d}")
            except Exception as exc:  # reported below: any failure fails the test
                errors.append(exc)
            finally:
                db.close()

        threads = [threading.Thread(target=resident, args=(n,)) for n in range(60)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        counts = {status: event.signups.where(Signup.status == status).count() for status in ("confirmed", "waitlist")}
        assert counts == {"confirmed": 50, "waitlist": 10}


#: The event page's buttons, by the form each one posts to, and the operation behind it.
BUTTONS = {
    "submit": lambda event, by: operations.submit(event, by),
    "cancel": lambda event, by: operations.cancel(event, by, "场地临时维修"),
    "copy": lambda event, by: operations.copy_event(event, by),
}


@pytest.mark.parametrize("who", ["org_admin", "volunteer", "moderator"])
@pytest.mark.parametrize("status", EVENT_STATUSES)
def test_the_event_page_offers_exactly_what_the_operations_allow(
    app, client, make_event, make_user, org, org_admin, moderator, status, who
):
    volunteer = make_user(name="志愿者")
    Membership.create(user=volunteer, organization=org, role="volunteer")
    user = {"org_admin": org_admin, "volunteer": volunteer, "moderator": moderator}[who]
    event = make_event(org, status=status)
    login(client, user)
    page = client.get(f"/events/{event.id}/manage").get_data(as_text=True)
    for action, operation in BUTTONS.items():
        offered = f'action="/events/{event.id}/{action}"' in page
        with app.app_context():
            try:
                operation(Event.get_by_id(event.id), user)
                allowed = True
            except (LifecycleError, PermissionDenied, ValidationError):
                allowed = False
        assert offered == allowed, f"{action} as {who} on a {status} event: button {offered}, operation {allowed}"
        Event.update(status=status).where(Event.id == event.id).execute()
    edit_offered = f'href="/events/{event.id}/edit"' in page
    edit_status = client.get(f"/events/{event.id}/edit").status_code
    assert edit_offered == (edit_status == 200), f"edit as {who} on a {status} event: {edit_status}"
