"""Reads of 资源对接: the month's board, the street's queue, the poster's responses, the matches counted."""
from peewee import fn

from core.timeutil import local_now
from models import Campaign, Membership, Need, Organization, Response, Street, utcnow


def board(campaign, kind="", category="", street=None):
    """The month's published needs and offers, not past their deadline, soonest deadline first."""
    query = (
        Need.select(Need, Organization, Street).join(Organization).switch(Need).join(Street)
        .where(Need.campaign == campaign, Need.status == "published", Need.deadline >= local_now().date())
    )
    if kind:
        query = query.where(Need.kind == kind)
    if category:
        query = query.where(Need.category == category)
    if street is not None:
        query = query.where(Need.street == street)
    return query.order_by(Need.deadline, Need.id)


def street_queue(street):
    """Needs and offers waiting for ``street`` to publish them (the street of the need, not of its organization)."""
    return (
        Need.select(Need, Organization).join(Organization)
        .where(Need.street == street, Need.status == "submitted").order_by(Need.created_at, Need.id)
    )


def waiting_count(street):
    return Need.select().where(Need.street == street, Need.status == "submitted").count()


def responses_of(need):
    return Response.select().where(Response.need == need).order_by(Response.created_at, Response.id)


def matched_responses(campaign):
    return Response.select().join(Need).where(Need.campaign == campaign, Response.matched_at.is_null(False))


def matches_made(campaign):
    """How many responses of the month were marked as matches."""
    return matched_responses(campaign).count()


def matches_by_street(campaign):
    """{street_id: matches made}, by the street of the need or offer."""
    rows = (
        matched_responses(campaign).select(Need.street, fn.COUNT(Response.id).alias("n"))
        .group_by(Need.street).tuples()
    )
    return {street_id: n for street_id, n in rows}


def _admin_orgs(user):
    return Membership.select(Membership.organization).where(Membership.user == user.id, Membership.role == "admin")


def returned_needs(user):
    """The needs of the user's organizations that their street returned (待办)."""
    return (
        Need.select(Need, Organization).join(Organization)
        .where(Need.organization.in_(_admin_orgs(user)), Need.status == "returned").order_by(Need.updated_at)
    )


def answered_needs(user):
    """(need, responses) for the open needs of the user's organizations that have responses not yet matched (待办)."""
    rows = (
        Need.select(Need, fn.COUNT(Response.id).alias("waiting")).join(Response)
        .where(Need.organization.in_(_admin_orgs(user)), Need.status == "published", Response.matched_at.is_null())
        .group_by(Need).order_by(Need.deadline)
    )
    return [(need, need.waiting) for need in rows]


def open_months(district_id):
    """The district's published partner months that have not ended: where the boards are."""
    return (
        Campaign.select()
        .where(Campaign.district == district_id, Campaign.kind == "month", Campaign.published == True,  # noqa: E712
               (Campaign.ends_at.is_null()) | (Campaign.ends_at > utcnow()))
        .order_by(Campaign.id.desc())
    )


def admin_organizations(user, district_id):
    """The admitted organizations of the district that ``user`` administers: those it may post for."""
    return (
        Organization.select().join(Membership).switch(Organization).join(Street)
        .where(Membership.user == user.id, Membership.role == "admin", Organization.status == "active",
               Street.district == district_id)
        .order_by(Organization.name)
    )


def boards_for(user, memberships):
    """The running months whose boards the home page links to: for a partner account, its district's; for an
    organization's admin, its organizations' districts'."""
    if not user.is_authenticated:
        return []
    if user.role == "partner":
        districts = {user.district_id}
    else:
        districts = {m.organization.street.district_id for m in memberships if m.role == "admin"}
    return [campaign for district_id in sorted(d for d in districts if d) for campaign in open_months(district_id)]


def waiting_by_street(streets):
    """[(street, needs waiting to be published)] for the streets where some wait (the moderator's 待办)."""
    counts = [(street, waiting_count(street)) for street in streets]
    return [(street, count) for street, count in counts if count]


def posted_by(user, campaign):
    """What the organizations ``user`` administers posted for the month, in every state, newest first."""
    return (
        Need.select(Need, Organization).join(Organization)
        .where(Need.campaign == campaign, Need.organization.in_(_admin_orgs(user)))
        .order_by(Need.created_at.desc(), Need.id.desc())
    )
