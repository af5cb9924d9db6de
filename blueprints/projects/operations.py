"""Linking an organization's events to its funded project, with the audit log."""
from flask_babel import gettext as _

from blueprints.projects.policy import Project
from core.errors import ValidationError
from core.policy import require
from models import AuditLog, Event, EventStatus, db, utcnow


def link(proposal, event, by):
    """An admin of the organization links one of its events (not a cancelled one) to the project."""
    require(by, "link", Project(proposal))
    if event is None or event.organization_id != proposal.organization_id:
        raise ValidationError({"event": _("只能关联本组织的活动")})
    if event.status == EventStatus.CANCELLED:
        raise ValidationError({"event": _("已取消的活动不能关联")})
    if event.project_id == proposal.id:
        raise ValidationError({"event": _("这个活动已经关联到本项目了")})
    with db.atomic():
        previous = event.project_id
        Event.update(project=proposal, updated_at=utcnow()).where(Event.id == event.id).execute()
        event.project = proposal
        detail = f"project {proposal.id}" + (f" (was {previous})" if previous else "")
        AuditLog.record(by, "event.link_project", event, detail=detail, street=event.street_id)
    return event


def unlink(proposal, event, by):
    """An admin of the organization takes one of the project's events off it."""
    require(by, "link", Project(proposal))
    with db.atomic():
        Event.update(project=None, updated_at=utcnow()).where(Event.id == event.id).execute()
        event.project = None
        AuditLog.record(by, "event.unlink_project", event, detail=f"project {proposal.id}", street=event.street_id)
    return event
