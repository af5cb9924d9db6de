"""Who may read an organization's year: its members, its street's moderator and the admin of its district."""
from dataclasses import dataclass

from core.access import can_watch_street, membership_of
from core.policy import Policy, member
from models import Organization


@dataclass
class Year:
    """One organization's calendar year (Asia/Shanghai): what the page acts on."""

    organization: Organization
    year: int


class YearPolicy(Policy):
    model = Year

    def view(self, user, page):
        """The organization's members, and the watchers of its street (as its manage page)."""
        organization = page.organization
        if membership_of(user, organization) is None and not can_watch_street(user, organization.street):
            member(user, organization)
