"""Reads of proposals for the street office's console and the home page's 待办."""
import datetime

from peewee import fn

from models import Campaign, Extension, Membership, Organization, Proposal, Street, utcnow


def eligibility_queue(street):
    """Submitted proposals of published contests from ``street``'s organizations, waiting for 资格审查, oldest first."""
    return (
        Proposal.select(Proposal, Organization, Campaign)
        .join(Organization).switch(Proposal).join(Campaign)
        .where(Organization.street == street, Proposal.status == "submitted", Campaign.published == True)  # noqa: E712
        .order_by(Proposal.submitted_at, Proposal.id)
    )


# 待办 on the home page: what waits for each role.

#: How far ahead an org admin is reminded of a contest's deadline.
DEADLINE_WARNING = datetime.timedelta(days=3)
#: Statuses that count as sent: the organization has nothing left to submit to that contest.
SENT = ("submitted", "eligible", "ineligible", "returned")


def admin_organizations(user):
    """The organizations ``user`` is an admin of."""
    return (
        Organization.select().join(Membership)
        .where(Membership.user == user.id, Membership.role == "admin")
    )


def returned_for_revision(user, now=None):
    """Proposals of ``user``'s organizations returned for revision and still revisable, the most urgent first."""
    now = now or utcnow()
    return (
        Proposal.select(Proposal, Organization, Campaign)
        .join(Organization).switch(Proposal).join(Campaign)
        .where(Proposal.status == "returned", Proposal.organization.in_(admin_organizations(user)),
               (Proposal.revise_by.is_null()) | (Proposal.revise_by > now))
        .order_by(Proposal.revise_by, Proposal.id)
    )


def deadlines_near(user, now=None):
    """(campaign, organization, draft or None, deadline) for published contests whose deadline for one of ``user``'s
    admitted organizations falls within DEADLINE_WARNING, or is an extension still running (延期申报: it is past
    everyone else's deadline), while it has a draft there or has sent nothing yet."""
    now = now or utcnow()
    organizations = list(admin_organizations(user).where(Organization.status == "active").order_by(Organization.name))
    if not organizations:
        return []
    extended = Extension.select(Extension.campaign).where(
        Extension.organization.in_(organizations), Extension.until > now)
    campaigns = list(
        Campaign.select()
        .where(Campaign.published == True, Campaign.application_opens_at <= now,  # noqa: E712
               (Campaign.eligibility_ends_at > now) | Campaign.id.in_(extended))
        .order_by(Campaign.application_closes_at, Campaign.id)
    )
    items = []
    for campaign in campaigns:
        for organization in organizations:
            deadline = campaign.deadline_for(organization)
            if not now < deadline or (deadline > now + DEADLINE_WARNING and deadline <= campaign.application_closes_at):
                continue
            proposals = list(
                Proposal.select().where(Proposal.campaign == campaign, Proposal.organization == organization)
                .order_by(Proposal.id)
            )
            draft = next((p for p in proposals if p.status == "draft"), None)
            if draft is not None or not any(p.status in SENT for p in proposals):
                items.append((campaign, organization, draft, deadline))
    return sorted(items, key=lambda item: item[3])


def extended_windows(user, campaign, now=None):
    """延期申报 on a contest past its deadline: (organization, until, draft or None) for each organization ``user``
    is an admin of whose extension still runs and that has a draft there or has sent nothing yet."""
    now = now or utcnow()
    if not user.is_authenticated or not campaign.published or now < campaign.application_closes_at:
        return []
    extensions = (
        Extension.select(Extension, Organization).join(Organization)
        .where(Extension.campaign == campaign, Extension.until > now, Organization.status == "active",
               Extension.organization.in_(admin_organizations(user)))
        .order_by(Extension.until, Organization.name)
    )
    windows = []
    for extension in extensions:
        proposals = list(Proposal.select().where(Proposal.campaign == campaign,
                                                 Proposal.organization == extension.organization_id))
        draft = next((p for p in proposals if p.status == "draft"), None)
        if draft is not None or not any(p.status in SENT for p in proposals):
            windows.append((extension.organization, extension.until, draft))
    return windows


def waiting_for_check(street, now=None):
    """How many of ``street``'s proposals wait for 资格审查 while its phase lasts (after it they are the district
    admin's to decide)."""
    return eligibility_queue(street).where(Campaign.eligibility_ends_at > (now or utcnow())).count()


def campaign_checks(campaign, street=None):
    """A contest's proposals waiting for 资格审查 from every street of its district (or from ``street``), by street,
    oldest first."""
    query = (
        Proposal.select(Proposal, Organization, Street).join(Organization).join(Street)
        .where(Proposal.campaign == campaign, Proposal.status == "submitted")
    )
    if street is not None:
        query = query.where(Organization.street == street)
    return query.order_by(Street.code, Proposal.submitted_at, Proposal.id)


def checks_by_street(campaign):
    """{street id: how many of a contest's proposals from there wait for 资格审查}."""
    count = fn.COUNT(Proposal.id)
    rows = (
        Organization.select(Organization.street, count.alias("n")).join(Proposal)
        .where(Proposal.campaign == campaign, Proposal.status == "submitted")
        .group_by(Organization.street)
    )
    return {row.street_id: row.n for row in rows}


def phases_overdue(user, now=None):
    """Published contests of ``user``'s district whose 资格审查 phase is over with proposals still unchecked, each
    with that count: (campaign, count)."""
    now = now or utcnow()
    count = fn.COUNT(Proposal.id)
    rows = (
        Campaign.select(Campaign, count.alias("unchecked"))
        .join(Proposal)
        .where(Campaign.district == user.district_id, Campaign.published == True,  # noqa: E712
               Campaign.eligibility_ends_at <= now, Proposal.status == "submitted")
        .group_by(Campaign.id)
        .order_by(Campaign.eligibility_ends_at, Campaign.id)
    )
    return [(campaign, campaign.unchecked) for campaign in rows]
