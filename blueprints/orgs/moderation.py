"""What the street office's queue shows of a registration, and the decisions it offers
(admit, decline with a reason)."""
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.moderation import Decision, QueueItem
from core.policy import can
from core.templating import label


def queue_item(organization, street):
    """The organization as a row of ``street``'s queue."""
    return QueueItem(
        obj=organization,
        dom_id=f"org-{organization.id}",
        title=organization.name,
        href=url_for("orgs.manage", org_id=organization.id),
        summary="orgs/_queue_summary.html",
        queue_url=url_for("streets.console", slug=street.slug) + "#queue",
        status=organization.status,
        status_label=label(organization.status, "org_status"),
        note=organization.decline_reason or "",
        approve=Decision(url_for("orgs.admit", slug=street.slug, org_id=organization.id), _("通过"))
        if can(current_user, "admit", organization) else None,
        reject=Decision(
            url_for("orgs.decline", slug=street.slug, org_id=organization.id), _("不予通过"),
            reason_label=_("不予通过的理由（组织会看到）"), confirm=_("确认不予通过"),
        ) if can(current_user, "decline", organization) else None,
    )
