"""The organization's lifecycle and who may act on it: one place for the buttons, the views' checks
and the operations."""
from flask_babel import gettext as _

from core.errors import LifecycleError
from core.lifecycle import Lifecycle
from core.policy import Policy, member, watcher
from models import Organization
from models import OrgStatus as S

LIFECYCLE = Lifecycle(
    "organization",
    {
        "admit": ({S.PENDING}, S.ACTIVE),
        "decline": ({S.PENDING}, S.DECLINED),
    },
    labels="org_status",
    refusal=lambda organization, status: _("这个组织已经处理过了"),
)


#: The statuses the street office sets by hand once an organization is admitted: 正常, 活动异常, 已注销.
SETTABLE_STATUSES = (S.ACTIVE, S.FLAGGED, S.CLOSED)


class OrganizationPolicy(Policy):
    model = Organization
    lifecycle = LIFECYCLE

    def admit(self, user, organization):
        """Its street office decides on a registration."""
        watcher(user, organization.street)

    def decline(self, user, organization):
        watcher(user, organization.street)

    def oversee(self, user, organization):
        """Its street office keeps its record: grade, 年报, remarks on its timeline."""
        watcher(user, organization.street)

    def set_status(self, user, organization):
        """Its street office sets an admitted organization's status; a registration's is set by admit or decline."""
        watcher(user, organization.street)
        if organization.status not in SETTABLE_STATUSES:
            raise LifecycleError(_("待审核或未通过的组织，其状态由审核决定"))

    def draft_event(self, user, organization):
        """Its members draft events (its admins submit them)."""
        member(user, organization)

    def invite(self, user, organization):
        """Its admins invite volunteers, once the street office has admitted it."""
        member(user, organization, admin=True)
        if organization.status != S.ACTIVE:
            raise LifecycleError(_("组织通过审核后才能邀请志愿者"))
