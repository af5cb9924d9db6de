"""The project's public page, and its organization's admins linking their events to it (in place with htmx)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.projects import bp, operations, queries
from blueprints.projects.forms import LinkEventForm
from blueprints.projects.policy import Project
from core.access import organization_or_404
from core.errors import ValidationError
from core.forms import apply_errors
from core.htmx import wants_fragment
from core.moderation import message
from core.policy import can, require
from core.validators import parse_id
from models import Event, OrgStatus


def project_or_404(proposal_id):
    """A published 立项 proposal of an organization the public may see; any other proposal does not exist here."""
    proposal = queries.project_or_none(proposal_id)
    if proposal is None or proposal.organization.status not in OrgStatus.PUBLIC:
        abort(404)
    return proposal


def project_to_manage(proposal_id):
    """The project, for its organization's admins: others who may see the organization meet a 403, the rest a 404."""
    proposal = project_or_404(proposal_id)
    organization_or_404(proposal.organization_id)
    require(current_user, "link", Project(proposal))
    return proposal


def link_form(proposal, formdata=None):
    form = LinkEventForm(formdata=formdata)
    form.event.choices = [("", _("请选择"))] + [
        (str(e.id), _("%(title)s（%(day)s）", title=e.title, day=format_date(e.starts_at, "long")))
        for e in queries.linkable_events(proposal)
    ]
    return form


def events_context(proposal, form=None):
    """What the events part of the page shows; the admins' form and unpublished events only to them."""
    manager = can(current_user, "link", Project(proposal))
    return {
        "proposal": proposal, "manager": manager,
        "events": queries.project_events(proposal),
        "unpublished": queries.unpublished_events(proposal) if manager else [],
        "form": (form if form is not None else link_form(proposal)) if manager else None,
    }


def events_part(proposal, form=None, status=200):
    """The events part alone for htmx (which swaps only a 2xx answer), else the whole page."""
    if wants_fragment():
        return render_template("projects/_events.html", **events_context(proposal, form))
    return page(proposal, form, status)


def page(proposal, form=None, status=200):
    period = None
    if proposal.starts_on and proposal.ends_on:
        period = _("%(first)s 至 %(last)s", first=format_date(proposal.starts_on, "long"),
                   last=format_date(proposal.ends_on, "long"))
    return render_template("projects/detail.html", period=period, **events_context(proposal, form)), status


@bp.get("/projects/<int:proposal_id>/")
def detail(proposal_id):
    """The funded project: what it is, its grant, and what it has done so far."""
    return page(project_or_404(proposal_id))


@bp.post("/projects/<int:proposal_id>/events")
@login_required
def link(proposal_id):
    """Link one of the organization's events to the project."""
    proposal = project_to_manage(proposal_id)
    form = link_form(proposal, request.form)
    if form.validate_on_submit():
        event_id = parse_id(form.event.data)
        event = Event.get_or_none(Event.id == event_id) if event_id is not None else None
        try:
            operations.link(proposal, event, current_user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return done(proposal, _("已关联活动：%(title)s", title=event.title))
    return events_part(proposal, form, status=422)


@bp.post("/projects/<int:proposal_id>/events/<int:event_id>/unlink")
@login_required
def unlink(proposal_id, event_id):
    """Take an event off the project (the event itself stays as it is)."""
    proposal = project_to_manage(proposal_id)
    event = Event.get_or_none(Event.id == event_id, Event.project == proposal.id)
    if event is None:
        abort(404)
    operations.unlink(proposal, event, current_user)
    return done(proposal, _("已取消关联：%(title)s", title=event.title))


def done(proposal, text):
    """The events part and the message at once for htmx; else back to the page (303) with the message."""
    if wants_fragment():
        return events_part(proposal) + message(text, "success")
    flash(text, "success")
    return redirect(url_for("projects.detail", proposal_id=proposal.id, _anchor="project-events"), code=303)
