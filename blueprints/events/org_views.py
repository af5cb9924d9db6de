"""The organization's side, on a phone: draft, edit, submit, cancel and copy events; see who signed up."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from blueprints.events import bp, operations
from blueprints.events.forms import EventForm
from blueprints.month import forms as month_forms
from blueprints.month import queries as month_queries
from blueprints.projects import queries as project_queries
from core.access import event_or_404, membership_of, organization_or_404
from core.errors import LifecycleError, ValidationError
from core.forms import ReasonForm, apply_errors
from core.policy import require
from models import Campaign, Event, Proposal, Signup, Street


def event_form(organization, event=None):
    form = EventForm(obj=event) if event is not None and request.method == "GET" else EventForm()
    form.street.choices = [
        SelectChoice(str(s.id), s.name)
        for s in Street.select().where(Street.district == organization.street.district).order_by(Street.code)
    ]
    projects = project_queries.projects_of(organization)
    form.project.choices = [SelectChoice("", _("无"))] + [
        SelectChoice(str(p.id), _("%(title)s（%(campaign)s）", title=p.title, campaign=p.campaign.name))
        for p in projects
    ] if projects else []
    months = month_queries.open_months(organization)
    if event is not None and event.campaign_id and event.campaign_id not in {c.id for c in months}:
        months.append(event.campaign)  # a tag made earlier stays choosable
    form.campaign.choices = [SelectChoice("", _("无"))] + [SelectChoice(str(c.id), c.name) for c in months] \
        if months else []
    return form


def form_data(form):
    starts_at, ends_at = form.times()
    return {
        "title": form.title.data.strip(), "description": (form.description.data or "").strip(),
        "category": form.category.data, "starts_at": starts_at, "ends_at": ends_at, "venue": form.venue.data.strip(),
        "street": Street.get_by_id(int(form.street.data)), "capacity": form.capacity.data,
        "signup_enabled": form.signup_enabled.data, "checkin_lead_minutes": form.checkin_lead_minutes.data,
        "checkin_mode": form.checkin_mode.data,
        "project": Proposal.get_by_id(int(form.project.data)) if form.project.data else None,
        "campaign": Campaign.get_by_id(int(form.campaign.data)) if form.campaign.data else None,
    }


@bp.route("/orgs/<int:org_id>/events/new", methods=["GET", "POST"])
@login_required
def create(org_id):
    """Draft an event in one short form."""
    organization = organization_or_404(org_id, member=True)
    form = event_form(organization)
    if request.method == "GET":
        form.fill_defaults(organization, organization.events.order_by(Event.created_at.desc()).first())
    if form.validate_on_submit():
        try:
            event = operations.create_draft(organization, current_user, form_data(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash(_("草稿已保存。确认无误后请提交街镇审核。"), "success")
            return redirect(url_for("events.manage", event_id=event.id), code=303)
    return (
        render_template("events/form.html", form=form, organization=organization, event=None),
        200 if not form.errors else 422,
    )


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id):
    """Edit a draft, a returned event, or a published one (time or place changes go back to the street office)."""
    event = event_or_404(event_id, manage=True)
    try:
        require(current_user, "edit", event)  # the wrong person meets the 403 page with the reason
    except LifecycleError as error:
        flash(str(error), "error")
        return redirect(url_for("events.manage", event_id=event.id), code=303)
    form = event_form(event.organization, event)
    if request.method == "GET":
        form.fill_from(event)
    if form.validate_on_submit():
        try:
            back_to_queue = operations.update_event(event, current_user, form_data(form))
        except ValidationError as error:
            apply_errors(form, error)
        except LifecycleError as error:
            flash(str(error), "error")
            return redirect(url_for("events.manage", event_id=event.id), code=303)
        else:
            flash(_("时间或地点已修改，活动需要街镇重新审核") if back_to_queue else _("已保存"), "success")
            return redirect(url_for("events.manage", event_id=event.id), code=303)
    return (
        render_template("events/form.html", form=form, organization=event.organization, event=event),
        200 if not form.errors else 422,
    )


@bp.get("/events/<int:event_id>/manage")
@login_required
def manage(event_id):
    """The event for its organization: status, what can be done next, who signed up (phones masked)."""
    event = event_or_404(event_id, manage=True)
    membership = membership_of(current_user, event.organization)
    signups = event.signups.where(Signup.status != "cancelled").order_by(Signup.status, Signup.created_at, Signup.id)
    return render_template("events/manage.html", event=event, membership=membership, signups=signups,
                           month_form=month_forms.tag_form(month_queries.taggable_months(event)))


@bp.post("/events/<int:event_id>/submit")
@login_required
def submit(event_id):
    """Send the event to its street office."""
    return act(event_id, lambda event: operations.submit(event, current_user), _("已提交，等待街镇审核"))


@bp.post("/events/<int:event_id>/cancel")
@login_required
def cancel(event_id):
    """Cancel before the end, with a reason residents will read."""
    form = ReasonForm()
    return act(event_id, lambda event: operations.cancel(event, current_user, form.reason.data), _("活动已取消"))


@bp.post("/events/<int:event_id>/copy")
@login_required
def copy(event_id):
    """Copy an event into a new draft, a week on: recurring activities are the norm."""
    new = operations.copy_event(event_or_404(event_id, manage=True), current_user)
    flash(_("已复制为新草稿，请核对日期后提交"), "success")
    return redirect(url_for("events.edit", event_id=new.id), code=303)


def act(event_id, operation, success):
    event = event_or_404(event_id, manage=True)
    try:
        operation(event)
    except (ValidationError, LifecycleError) as error:
        flash(str(error), "error")
    else:
        flash(success, "success")
    return redirect(url_for("events.manage", event_id=event.id), code=303)
