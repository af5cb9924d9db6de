"""Residents' sign-ups (报名): places are confirmed in order, then a waiting list that moves up on cancellation."""
from flask_babel import gettext as _
from peewee import IntegrityError

from core.errors import LifecycleError
from models import Event, Signup, for_update, serialising_transaction, utcnow


def sign_up(event, name, phone):
    """Returns (sign-up, created). Signing up again with the same phone returns the existing sign-up."""
    if not event.signup_enabled:
        raise LifecycleError(_("这个活动不需要报名，到场扫码签到即可"))
    if event.current_status != "published":
        raise LifecycleError(_("活动已结束或已取消，不能报名"))
    try:
        with serialising_transaction():
            # Lock the event row: concurrent sign-ups count the confirmed places one after another.
            event = for_update(Event.select().where(Event.id == event.id)).get()
            signup = Signup.get_or_none(Signup.event == event, Signup.phone == phone)
            if signup is not None and signup.status != "cancelled":
                return signup, False
            status = "confirmed" if has_place(event) else "waitlist"
            if signup is None:
                signup = Signup.create(event=event, name=name.strip(), phone=phone, status=status)
            else:
                signup.name, signup.status, signup.cancelled_at = name.strip(), status, None
                signup.promoted_at = None
                signup.created_at = signup.consent_at = utcnow()
                signup.save()
            return signup, True
    except IntegrityError:  # the same phone, a moment ago, in another request
        return Signup.get(Signup.event == event, Signup.phone == phone), False


def has_place(event):
    return event.capacity is None or confirmed(event).count() < event.capacity


def confirmed(event):
    return event.signups.where(Signup.status == "confirmed")


def cancel_signup(signup):
    """The resident withdraws; the first on the waiting list takes the freed place."""
    with serialising_transaction():
        event = for_update(Event.select().where(Event.id == signup.event_id)).get()
        signup = Signup.get_by_id(signup.id)
        if signup.status == "cancelled":
            return None
        was_confirmed = signup.status == "confirmed"
        signup.status, signup.cancelled_at = "cancelled", utcnow()
        signup.save()
        if was_confirmed and has_place(event):
            first = event.signups.where(Signup.status == "waitlist").order_by(Signup.created_at, Signup.id).first()
            if first is not None:
                first.status, first.promoted_at = "confirmed", utcnow()
                first.save()
                return first
    return None


def position(signup):
    """Place in line among the sign-ups of the same status (1-based)."""
    earlier = Signup.select().where(
        Signup.event == signup.event_id,
        Signup.status == signup.status,
        (Signup.created_at < signup.created_at) | ((Signup.created_at == signup.created_at) & (Signup.id < signup.id)),
    )
    return earlier.count() + 1
