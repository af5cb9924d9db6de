"""The street office's side: admit or decline registrations in place, add an organization it already knows."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.orgs import bp, operations
from blueprints.orgs.forms import DeclineForm, OrganizationForm, form_data, street_choices
from blueprints.orgs.moderation import queue_item
from core.access import street_or_404, street_organization_or_404
from core.errors import ValidationError
from core.forms import apply_errors
from core.moderation import decide


@bp.post("/streets/<slug>/orgs/<int:org_id>/admit")
@login_required
def admit(slug, org_id):
    """Admit a pending organization, in place."""
    street = street_or_404(slug)
    organization = street_organization_or_404(street, org_id)
    return decide(lambda o: queue_item(o, street), organization, lambda: operations.admit(organization, current_user))


@bp.post("/streets/<slug>/orgs/<int:org_id>/decline")
@login_required
def decline(slug, org_id):
    """Decline a pending organization with a reason the organization will read, in place."""
    street = street_or_404(slug)
    organization = street_organization_or_404(street, org_id)
    form = DeclineForm()
    return decide(
        lambda o: queue_item(o, street), organization,
        lambda: operations.decline(organization, current_user, form.reason.data), form,
    )


@bp.route("/streets/<slug>/orgs/new", methods=["GET", "POST"])
@login_required
def add(slug):
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
    return render_template("orgs/add.html", street=street, form=form), 200 if not form.errors else 422
