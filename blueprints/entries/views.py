"""The organization's side: sign up for a partner month from a phone, change the sign-up, withdraw it."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.entries import bp, operations, queries
from blueprints.entries.forms import EntryForm
from blueprints.entries.policy import window_closed_message
from core.errors import LifecycleError, PermissionDenied, ValidationError
from core.forms import apply_errors
from core.policy import can, visible_or_404
from models import Campaign, MonthEntry


def month_or_404(campaign_id):
    """The partner month if the current user may see it."""
    campaign = visible_or_404(Campaign, campaign_id, current_user)
    if campaign.kind != "month":
        abort(404)
    return campaign


def chosen(campaign, wanted):
    """(the user's organizations that may sign up, the one ``wanted`` names or the only one, else None)."""
    organizations = queries.signable_organizations(current_user, campaign)
    if not organizations:
        raise PermissionDenied(_("只有本区已通过审核的社会组织的管理员可以报名"))
    if len(organizations) == 1:
        return organizations, organizations[0]
    return organizations, next((o for o in organizations if str(o.id) == (wanted or "").strip()), None)


def signup_url(campaign, organization):
    return url_for("entries.signup", campaign_id=campaign.id, organization=organization.id)


def entry_form(entry):
    """The form for ``entry``: as stored, or for a new one the organization's contact filled in."""
    if request.method == "POST":
        form = EntryForm()
    elif entry.id:
        form = EntryForm(obj=entry)
    else:
        form = EntryForm(contact_name=entry.organization.contact_name,
                         contact_phone=entry.organization.contact_phone)
    form.organization.data = str(entry.organization_id)
    return form


@bp.route("/campaigns/<int:campaign_id>/signup", methods=["GET", "POST"])
@login_required
def signup(campaign_id):
    """我要报名 / 查看报名: the organization's sign-up, editable while it waits or was returned, in the window."""
    campaign = month_or_404(campaign_id)
    wanted = request.form.get("organization") if request.method == "POST" else request.args.get("organization")
    organizations, organization = chosen(campaign, wanted)
    if organization is None:  # an admin of several: which one signs up
        entries = {e.organization_id: e for e in MonthEntry.select().where(
            MonthEntry.campaign == campaign, MonthEntry.organization.in_(organizations))}
        status = 422 if request.method == "POST" else 200
        return render_template("entries/choose.html", campaign=campaign, organizations=organizations,
                               entries=entries), status
    entry = operations.entry_for(campaign, organization)
    form, status = entry_form(entry), 200
    if request.method == "POST":
        status = 422
        if form.validate():
            try:
                operations.save(entry, current_user, form.operation_data())
            except ValidationError as error:
                apply_errors(form, error)
            except (LifecycleError, PermissionDenied) as error:
                form.form_errors.append(str(error))
                status = 409 if isinstance(error, LifecycleError) else 403
            else:
                flash(_("已报名，等待街镇确认"), "success")
                return redirect(signup_url(campaign, organization), code=303)
    return render_template(
        "entries/signup.html", campaign=campaign, entry=entry, form=form, several=len(organizations) > 1,
        editable=can(current_user, "edit", entry),
        closed=None if campaign.signup_open else window_closed_message(campaign),
    ), status


@bp.post("/campaigns/<int:campaign_id>/signup/withdraw")
@login_required
def withdraw(campaign_id):
    """Withdraw the organization's sign-up (it may sign up again while the window is open)."""
    campaign = month_or_404(campaign_id)
    organizations = queries.signable_organizations(current_user, campaign)
    wanted = (request.form.get("organization") or "").strip()
    organization = organizations[0] if len(organizations) == 1 and not wanted else next(
        (o for o in organizations if str(o.id) == wanted), None)
    entry = operations.entry_for(campaign, organization) if organization else None
    if entry is None or entry.id is None:
        abort(404)
    try:
        operations.withdraw(entry, current_user)
    except (LifecycleError, PermissionDenied) as error:
        flash(str(error), "error")
    else:
        flash(_("报名已撤回"), "success")
    return redirect(signup_url(campaign, organization), code=303)
