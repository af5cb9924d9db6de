"""The street console: the street office's queue and its organizations."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from peewee import fn

from core.access import street_or_404, street_organization_or_404
from core.errors import PermissionDenied, ValidationError
from core.forms import apply_errors
from core.htmx import render_part, wants_fragment
from blueprints.orgs import operations
from blueprints.orgs.forms import DeclineForm, OrganizationForm
from blueprints.orgs.views import form_data, street_choices
from blueprints.streets import bp
from blueprints.events.forms import ReasonForm
from models import ORG_STATUSES, Event, Organization

PER_PAGE = 50


@bp.get("/<slug>/")
@login_required
def console(slug):
    """The queue of organizations to admit, then every organization of the street, searchable."""
    street = street_or_404(slug)
    queue = street.organizations.where(Organization.status == "pending").order_by(Organization.created_at)
    event_queue = (
        Event.select(Event, Organization).join(Organization)
        .where(Event.street == street, Event.status == "submitted").order_by(Event.starts_at)
    )
    counts = dict(
        street.organizations.select(Organization.status, fn.COUNT(Organization.id)).group_by(Organization.status).tuples()
    )
    q, status = request.args.get("q", "").strip(), request.args.get("status", "")
    page = max(request.args.get("page", 1, type=int), 1)
    organizations = street.organizations.order_by(Organization.name)
    if q:
        organizations = organizations.where(Organization.name.contains(q) | (Organization.credit_code == q.upper()))
    if status in ORG_STATUSES:
        organizations = organizations.where(Organization.status == status)
    context = dict(
        street=street, queue=queue, event_queue=event_queue, reason_form=ReasonForm(), counts=counts, organizations=organizations.paginate(page, PER_PAGE),
        total=organizations.count(), page=page, per_page=PER_PAGE, q=q, status=status, decline_form=DeclineForm(),
    )
    return render_part("streets/console.html", "streets/_org_list.html", **context)


@bp.post("/<slug>/orgs/<int:org_id>/admit")
@login_required
def admit(slug, org_id):
    """Admit a pending organization, in place."""
    street = street_or_404(slug)
    organization = street_organization_or_404(street, org_id)
    try:
        operations.admit(organization, current_user)
    except PermissionDenied as error:
        flash(str(error), "error")
    return queue_row(street, organization)


@bp.post("/<slug>/orgs/<int:org_id>/decline")
@login_required
def decline(slug, org_id):
    """Decline a pending organization with a reason the organization will read, in place."""
    street = street_or_404(slug)
    organization = street_organization_or_404(street, org_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            operations.decline(organization, current_user, form.reason.data)
        except PermissionDenied as error:
            flash(str(error), "error")
        return queue_row(street, organization)
    return queue_row(street, organization, form, status=422)


def queue_row(street, organization, form=None, status=200):
    if wants_fragment():
        form = form or DeclineForm()
        return render_template("streets/_queue_row.html", street=street, org=organization, decline_form=form), status
    if form is not None and form.errors:
        flash(_("请写明不予通过的理由"), "error")
    return redirect(url_for("streets.console", slug=street.slug) + "#queue", code=303)


@bp.route("/<slug>/orgs/new", methods=["GET", "POST"])
@login_required
def add_organization(slug):
    """The street office adds an organization it already knows; it is active at once."""
    street = street_or_404(slug)
    form = OrganizationForm()
    form.street.choices = street_choices([street])
    if not form.is_submitted():
        form.street.data = str(street.id)
    if form.validate_on_submit():
        try:
            organization = operations.add_organization(current_user, form_data(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash(_("已添加 %(name)s", name=organization.name), "success")
            return redirect(url_for("streets.console", slug=slug), code=303)
    return render_template("streets/add_org.html", street=street, form=form), 200 if not form.errors else 422
