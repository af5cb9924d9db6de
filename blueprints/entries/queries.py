"""Reads about sign-ups: who takes part in a month (for the calendar, the tags, the summary), a street's queue,
what waits on the home page."""
from peewee import fn

from models import Campaign, Membership, MonthEntry, Organization, Street


def confirmed_organizations(campaign):
    """The organizations whose sign-up for ``campaign`` the street confirmed, by name."""
    return (
        Organization.select().join(MonthEntry)
        .where(MonthEntry.campaign == campaign, MonthEntry.status == "confirmed")
        .order_by(Organization.name)
    )


def is_confirmed(organization, campaign):
    """True when ``organization`` takes part in ``campaign`` (its sign-up confirmed)."""
    return MonthEntry.select().where(
        MonthEntry.campaign == campaign, MonthEntry.organization == organization, MonthEntry.status == "confirmed"
    ).exists()


def signable_organizations(user, campaign):
    """The admitted organizations of the month's district that ``user`` is an admin of, by name."""
    if not user.is_authenticated:
        return []
    return list(
        Organization.select().join(Membership).switch(Organization).join(Street)
        .where(Membership.user == user.id, Membership.role == "admin", Organization.status == "active",
               Street.district == campaign.district_id)
        .order_by(Organization.name)
    )


def street_queue(street):
    """Sign-ups of ``street``'s organizations waiting for the street, for published months, the oldest first."""
    return (
        MonthEntry.select(MonthEntry, Organization, Campaign).join(Organization).switch(MonthEntry).join(Campaign)
        .where(Organization.street == street, MonthEntry.status == "pending", Campaign.published == True)  # noqa: E712
        .order_by(MonthEntry.updated_at, MonthEntry.id)
    )


def waiting_count(street):
    """How many sign-ups of ``street`` wait for confirmation (the moderator's 待办)."""
    return street_queue(street).count()


def returned_for(user):
    """Sign-ups of ``user``'s organizations that the street returned, in months still taking sign-ups."""
    return [
        entry for entry in
        MonthEntry.select(MonthEntry, Organization, Campaign).join(Organization).join(Membership)
        .switch(MonthEntry).join(Campaign)
        .where(Membership.user == user.id, Membership.role == "admin", MonthEntry.status == "returned")
        .order_by(MonthEntry.decided_at, MonthEntry.id)
        if entry.campaign.signup_open
    ]


def count_by_status(campaign):
    """{status: number of sign-ups} for ``campaign``."""
    rows = (MonthEntry.select(MonthEntry.status, fn.COUNT(MonthEntry.id).alias("n"))
            .where(MonthEntry.campaign == campaign).group_by(MonthEntry.status))
    return {row.status: row.n for row in rows}
