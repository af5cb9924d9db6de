"""An organization's own pages: registration, its page for members, volunteer invitations."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.events.queries import ORG_EVENTS_SHOWN, org_events_by_status
from blueprints.orgs import bp, operations
from blueprints.orgs.forms import OrganizationForm, form_data, street_choices
from blueprints.projects import queries as project_queries
from core.access import can_watch_street, membership_of, organization_or_404
from core.errors import LifecycleError, ValidationError
from core.forms import apply_errors
from core.htmx import page_arg, wants_fragment
from core.qr import qr_png_response
from core.urls import absolute_url
from models import EVENT_STATUSES, Event, Invite, Membership, Organization, OrgStatus, User, utcnow


@bp.route("/orgs/new", methods=["GET", "POST"])
@login_required
def create():
    """Register an organization; its street office admits or declines it."""
    form = OrganizationForm()
    form.street.choices = street_choices()
    if not form.is_submitted():
        form.contact_name.data, form.contact_phone.data = current_user.name, current_user.phone
    if form.validate_on_submit():
        try:
            organization = operations.register_organization(current_user, form_data(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash(_("已提交，请等待 %(street)s 审核", street=organization.street.name), "success")
            return redirect(url_for("orgs.manage", org_id=organization.id), code=303)
    return render_template("orgs/new.html", form=form), 200 if not form.errors else 422


@bp.get("/orgs/<int:org_id>/")
def detail(org_id):
    """The organization's public page: who they are, their upcoming events and funded projects."""
    organization = Organization.get_or_none(Organization.id == org_id)
    if organization is None or organization.status not in OrgStatus.PUBLIC:
        if organization is not None and current_user.is_authenticated:
            return redirect(url_for("orgs.manage", org_id=org_id))
        abort(404)
    events = Event.upcoming().where(Event.organization == organization)
    can_manage = (
        membership_of(current_user, organization) is not None
        or can_watch_street(current_user, organization.street)
    )
    return render_template("orgs/public.html", organization=organization, events=events, can_manage=can_manage,
                           projects=project_queries.projects_of(organization))


@bp.get("/orgs/<int:org_id>/manage")
@login_required
def manage(org_id):
    """The organization's own page, for its members and its street office: details, events by status, members."""
    organization = organization_or_404(org_id)
    membership = membership_of(current_user, organization)
    members = (
        Membership.select(Membership, User)
        .join(User)
        .where(Membership.organization == organization)
        .order_by(Membership.role, User.name)
    )
    invites = organization.invites.where(Invite.expires_at > utcnow()).order_by(Invite.created_at.desc())
    # All its events by status, newest first, ORG_EVENTS_SHOWN of each; 加载更多 (?status=…&page=…) brings the next
    # ones in place (htmx), or, without JavaScript, the page again with that many more of that status.
    status, page = request.args.get("status", ""), page_arg()
    if status in EVENT_STATUSES and wants_fragment():
        found = org_events_by_status(organization, [status], offset=(page - 1) * ORG_EVENTS_SHOWN)
        count, items = found.get(status, (0, []))
        return render_template("orgs/_event_rows.html", organization=organization, status=status, items=items,
                               page=page, more=count > page * ORG_EVENTS_SHOWN)
    events_by_status = org_events_by_status(organization, EVENT_STATUSES)
    if status in events_by_status and page > 1:
        events_by_status[status] = org_events_by_status(organization, [status], shown=page * ORG_EVENTS_SHOWN)[status]
    return render_template(
        "orgs/manage.html",
        events_by_status=events_by_status, event_pages={s: page if s == status else 1 for s in events_by_status},
        shown_per_page=ORG_EVENTS_SHOWN,
        organization=organization,
        membership=membership,
        is_admin=membership is not None and membership.role == "admin",
        members=members,
        invites=invites,
    )


@bp.post("/orgs/<int:org_id>/invites")
@login_required
def create_invite_link(org_id):
    """The org admin makes a volunteer invitation link (and QR code) that expires."""
    organization = organization_or_404(org_id, admin=True)
    try:
        operations.create_invite(organization, current_user)
    except LifecycleError as error:
        flash(str(error), "error")
    else:
        flash(_("邀请链接已生成，7 天内有效"), "success")
    return redirect(url_for("orgs.manage", org_id=org_id) + "#invites", code=303)


@bp.get("/orgs/<int:org_id>/invites/<int:invite_id>/qr.png")
@login_required
def invite_qr(org_id, invite_id):
    """The invitation link as a QR code, for a volunteer to scan from the admin's phone."""
    organization = organization_or_404(org_id, admin=True)
    invite = Invite.get_or_none(Invite.id == invite_id, Invite.organization == organization)
    if invite is None or invite.expired:
        abort(404)
    return qr_png_response(absolute_url("orgs.join", token=invite.token), box_size=8)


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token):
    """A volunteer opens the invitation link (or scans its QR code) and joins the organization."""
    invite = Invite.get_or_none(Invite.token == token)
    if invite is None:
        abort(404)
    if invite.expired:
        return render_template("orgs/join.html", invite=invite), 410
    if not current_user.is_authenticated:
        return render_template("orgs/join.html", invite=invite)
    if request.method == "POST":  # CSRFProtect has checked the token
        try:
            operations.accept_invite(invite, current_user)
        except ValidationError as error:
            flash(str(error), "error")
            return redirect(url_for("orgs.join", token=token), code=303)
        flash(_("您已加入 %(org)s", org=invite.organization.name), "success")
        return redirect(url_for("orgs.manage", org_id=invite.organization_id), code=303)
    return render_template("orgs/join.html", invite=invite)
