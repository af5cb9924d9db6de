"""Reads of organizations for the street office's console."""
from peewee import fn

from models import ORG_STATUSES, Organization, OrgStatus, Street


def pending(street):
    """Registrations waiting for ``street``'s office, oldest first."""
    return (
        Organization.select(Organization, Street)
        .join(Street)
        .where(Organization.street == street, Organization.status == OrgStatus.PENDING)
        .order_by(Organization.created_at, Organization.id)
    )


def count_by_status(street):
    """{status: how many} of ``street``'s organizations."""
    return dict(
        street.organizations.select(Organization.status, fn.COUNT(Organization.id))
        .group_by(Organization.status)
        .tuples()
    )


def search(street, q="", status=""):
    """``street``'s organizations by name, or by exact credit code, of one status or any."""
    organizations = street.organizations.order_by(Organization.name)
    if q:
        organizations = organizations.where(Organization.name.contains(q) | (Organization.credit_code == q.upper()))
    if status in ORG_STATUSES:
        organizations = organizations.where(Organization.status == status)
    return organizations
