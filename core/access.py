"""What each user may see. Every view loads streets and organizations through these helpers,
so scoping lives here and nowhere else: whatever a user may not see does not exist for them (404)."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from models import Event, Membership, Organization, Street


def can_watch_street(user, street):
    """A street's moderator, or the admin of its district."""
    if not user.is_authenticated:
        return False
    if user.is_moderator:
        return user.street_id == street.id
    return user.is_district_admin and user.district_id == street.district_id


def membership_of(user, organization):
    if not user.is_authenticated:
        return None
    return Membership.get_or_none(Membership.user == user, Membership.organization == organization)


def street_or_404(slug):
    """The street with ``slug`` if the current user watches over it."""
    street = Street.get_or_none(Street.slug == slug)
    if street is None or not can_watch_street(current_user, street):
        abort(404)
    return street


def organization_or_404(org_id, admin=False, member=False):
    """The organization if the current user is its member or watches its street.

    ``member``: only its members; ``admin``: only its admins. The street office oversees an organization,
    it does not act for it.
    """
    organization = Organization.get_or_none(Organization.id == org_id)
    if organization is None:
        abort(404)
    if not (admin or member) and can_watch_street(current_user, organization.street):
        return organization
    membership = membership_of(current_user, organization)
    if membership is None or (admin and membership.role != "admin"):
        abort(404)
    return organization


def watched_streets(user):
    """The streets a user's consoles cover, as a query."""
    if user.is_moderator:
        return Street.select().where(Street.id == user.street_id)
    if user.is_district_admin:
        return Street.select().where(Street.district == user.district_id)
    return Street.select().where(False)


def role_required(*roles):
    """Log in first; then only these site roles may pass (403 for the rest)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def street_organization_or_404(street, org_id):
    """An organization of ``street`` (already scoped by street_or_404)."""
    organization = Organization.get_or_none(Organization.id == org_id, Organization.street == street)
    if organization is None:
        abort(404)
    return organization


def can_manage_event(user, event):
    """The organization's members, and the watchers of the venue's street or the organization's street."""
    return (
        membership_of(user, event.organization) is not None
        or can_watch_street(user, event.street)
        or can_watch_street(user, event.organization.street)
    )


def event_or_404(event_id, manage=False):
    """A public event for anyone; any event for those who may manage it (``manage``: only for them)."""
    event = Event.get_or_none(Event.id == event_id)
    if event is None:
        abort(404)
    if can_manage_event(current_user, event):
        return event
    if manage or not event.is_public:
        abort(404)
    return event


def street_event_or_404(street, event_id):
    """An event whose venue is in ``street`` (already scoped by street_or_404)."""
    event = Event.get_or_none(Event.id == event_id, Event.street == street)
    if event is None:
        abort(404)
    return event
