"""资源对接 pages: the month's board, a need's page with its responses, posting and changing a need, responding,
marking the match."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from blueprints.partners import bp, operations, queries
from blueprints.partners.forms import NeedForm, ResponseForm
from blueprints.partners.policy import responder_organization
from core.errors import LifecycleError, PermissionDenied, ValidationError
from core.forms import apply_errors
from core.policy import can, require, visible_or_404
from core.templating import LABELS
from core.validators import parse_id
from models import Campaign, Need, Response, Street, utcnow


def month_or_404(campaign_id):
    """A published partner month (a draft: only to its district's admin)."""
    campaign = Campaign.get_or_none(Campaign.id == campaign_id, Campaign.kind == "month") if campaign_id else None
    if campaign is None:
        abort(404)
    if not campaign.published and not (current_user.is_authenticated and current_user.is_district_admin
                                       and current_user.district_id == campaign.district_id):
        abort(404)
    return campaign


def arg(name, group):
    """A filter from the query string, if it names one of ``group``'s keys."""
    value = request.args.get(name, "")
    return value if value in LABELS[group] else ""


@bp.get("/campaigns/<int:campaign_id>/needs")
def board(campaign_id):
    """The month's published needs and offers, by kind, category and street; no contacts here."""
    campaign = month_or_404(campaign_id)
    streets = list(Street.select().where(Street.district == campaign.district_id).order_by(Street.code))
    slug = request.args.get("street", "")
    street = next((s for s in streets if s.slug == slug), None)
    kind, category = arg("kind", "need_kind"), arg("category", "need_category")
    needs = list(queries.board(campaign, kind, category, street))
    signed_in = current_user.is_authenticated
    return render_template(
        "partners/board.html", campaign=campaign, needs=needs, streets=streets, kind=kind, category=category,
        street=street, may_post=signed_in and queries.admin_organizations(current_user, campaign.district_id).exists(),
        mine=list(queries.posted_by(current_user, campaign)) if signed_in else [],
    )


def set_choices(form, organizations, streets):
    form.organization.choices = [SelectChoice(str(o.id), o.name) for o in organizations]
    form.street.choices = [SelectChoice("", _("请选择"))] + [SelectChoice(str(s.id), s.name) for s in streets]


def posted(form, streets):
    """What the form says, with the street as a row of the district (or None)."""
    street_id = parse_id(form.street.data or "")
    return {
        "kind": form.kind.data, "category": form.category.data, "title": form.title.data,
        "description": form.description.data, "street": next((s for s in streets if s.id == street_id), None),
        "deadline": form.deadline.data, "contact_name": form.contact_name.data,
        "contact_phone": form.contact_phone.data,
    }


def district_streets(district_id):
    return list(Street.select().where(Street.district == district_id).order_by(Street.code))


def current_month():
    """The month ``?campaign=`` names; without it, the latest partner month still running."""
    campaign_id = parse_id(request.args.get("campaign", ""))
    if campaign_id is None:
        latest = (Campaign.select()
                  .where(Campaign.kind == "month", Campaign.published == True,  # noqa: E712
                         Campaign.ends_at.is_null() | (Campaign.ends_at > utcnow()))
                  .order_by(Campaign.id.desc()).first())
        campaign_id = latest.id if latest else None
    return month_or_404(campaign_id)


@bp.route("/needs/new", methods=["GET", "POST"])
@login_required
def create():
    """An admitted organization's admin posts a need or an offer for the month; it waits for its street."""
    campaign = current_month()
    organizations = list(queries.admin_organizations(current_user, campaign.district_id))
    if not organizations:
        raise PermissionDenied(_("只有本区已通过审核的组织的管理员可以发布资源对接信息"))
    streets = district_streets(campaign.district_id)
    form = NeedForm()
    set_choices(form, organizations, streets)
    chosen = parse_id(form.organization.data or "")
    organization = next((o for o in organizations if o.id == chosen), organizations[0])
    need = Need(campaign=campaign, organization=organization)
    require(current_user, "create", need)
    if request.method == "GET":
        form.street.data = str(organization.street_id)
        form.contact_name.data, form.contact_phone.data = current_user.name, current_user.phone
    elif form.validate():
        try:
            operations.create_need(need, current_user, posted(form, streets))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash(_("已提交，等待 %(street)s 审核发布", street=need.street.name), "success")
            return redirect(url_for("partners.detail", need_id=need.id), code=303)
    return render_template("partners/form.html", form=form, campaign=campaign, need=None,
                           organizations=organizations), 422 if form.errors else 200


@bp.route("/needs/<int:need_id>/edit", methods=["GET", "POST"])
@login_required
def edit(need_id):
    """The poster changes a need that waits or was returned, and sends it (again) to its street."""
    need = visible_or_404(Need, need_id, current_user)
    require(current_user, "edit", need)
    streets = district_streets(need.street.district_id)
    form = NeedForm(data={name: getattr(need, name) for name in operations.FIELDS} | {"street": str(need.street_id)})
    set_choices(form, [need.organization], streets)
    if request.method == "POST" and form.validate():
        try:
            operations.edit_need(need, current_user, posted(form, streets))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash(_("已重新提交，等待 %(street)s 审核发布", street=need.street.name), "success")
            return redirect(url_for("partners.detail", need_id=need.id), code=303)
    return render_template("partners/form.html", form=form, campaign=need.campaign, need=need,
                           organizations=[need.organization]), 422 if form.errors else 200


def render_detail(need, form=None, status=200):
    manage = can(current_user, "manage", need)
    mine = (Response.get_or_none(Response.need == need.id, Response.responder == current_user.id)
            if current_user.is_authenticated else None)
    if form is None and can(current_user, "respond", need):
        form = ResponseForm(formdata=None, data={"contact_name": current_user.name,
                                                 "contact_phone": current_user.phone})
    return render_template(
        "partners/detail.html", need=need, manage=manage, mine=mine, form=form,
        responses=list(queries.responses_of(need)) if manage else [],
    ), status


@bp.get("/needs/<int:need_id>")
def detail(need_id):
    """The need or offer; to the poster its responses with their contacts, to a responder the poster's contact."""
    return render_detail(visible_or_404(Need, need_id, current_user))


@bp.post("/needs/<int:need_id>/responses")
@login_required
def respond(need_id):
    """A partner account or another organization's admin responds, with a message and a contact."""
    need = visible_or_404(Need, need_id, current_user)
    require(current_user, "respond", need)
    form = ResponseForm()
    if form.validate():
        organization = None if current_user.role == "partner" else responder_organization(current_user, need)
        operations.respond(need, current_user, organization, form.message.data, form.contact_name.data,
                           form.contact_phone.data)
        flash(_("已回应，对方会看到您的联系方式"), "success")
        return redirect(url_for("partners.detail", need_id=need.id) + "#mine", code=303)
    return render_detail(need, form, 422)


@bp.post("/responses/<int:response_id>/match")
@login_required
def match(response_id):
    """The poster marks a response as the match (对接成功)."""
    response = Response.get_or_none(Response.id == response_id)
    if response is None:
        abort(404)
    response.need = visible_or_404(Need, response.need_id, current_user)
    try:
        operations.match(response, current_user)
    except LifecycleError as error:
        flash(str(error), "error")
    else:
        flash(_("已标记为对接成功"), "success")
    return redirect(url_for("partners.detail", need_id=response.need_id) + "#responses", code=303)
