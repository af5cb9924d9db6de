"""Campaign pages: the public list and page, the district admin's create, edit and publish."""
import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.campaigns import bp, operations
from blueprints.campaigns.forms import CampaignForm, ExtensionForm, MonthForm
from blueprints.month import page as month_page
from blueprints.proposals import queries as proposal_queries
from core.access import role_required
from core.errors import LifecycleError, ValidationError
from core.forms import apply_errors
from core.policy import can, require, visible_or_404
from core.timeutil import to_local
from core.uploads import send_stored
from models import Campaign, Organization, utcnow


def campaign_or_404(campaign_id):
    """The campaign if the current user may see it (a draft: its district's admin only)."""
    return visible_or_404(Campaign, campaign_id, current_user)


def timeline(campaign):
    """The phases with their first and last days (Shanghai), the current one marked."""
    now, last = campaign.phase(), datetime.timedelta(days=1)

    def day(value, end=False):
        return format_date((to_local(value) - (last if end else datetime.timedelta())).date(), "long")

    return [
        {"phase": phase, "first": first, "last": until, "current": phase == now}
        for phase, first, until in (
            ("application", day(campaign.application_opens_at), day(campaign.application_closes_at, True)),
            ("eligibility", day(campaign.application_closes_at), day(campaign.eligibility_ends_at, True)),
            ("review", day(campaign.eligibility_ends_at), day(campaign.review_ends_at, True)),
            ("notice", day(campaign.notice_starts_at), day(campaign.notice_ends_at, True)),
            ("results", day(campaign.results_at), None),
        )
    ]


@bp.get("/campaigns/", endpoint="list")
def campaign_list():
    """Published campaigns, those taking applications first; the district admin also sees drafts and 新建大赛."""
    campaigns = sorted(Campaign.public(), key=lambda c: not (c.is_open or c.signup_open))
    drafts = []
    if current_user.is_authenticated and current_user.is_district_admin:
        drafts = Campaign.select().where(
            Campaign.district == current_user.district_id, Campaign.published == False  # noqa: E712
        ).order_by(Campaign.created_at.desc())
    return render_template("campaigns/list.html", campaigns=campaigns, drafts=drafts, now=utcnow())


@bp.get("/campaigns/<int:campaign_id>/")
def detail(campaign_id):
    """A campaign's public page: phases, categories with their caps, budget, rubric."""
    campaign = campaign_or_404(campaign_id)
    if campaign.kind == "month":  # the partner month's page: its calendar and live totals
        return month_page.render_month(campaign)
    return detail_page(campaign)


@bp.get("/campaigns/<int:campaign_id>/cover.jpg")
def cover(campaign_id):
    """A partner month's cover image: public once published, the draft's only to its district's admin."""
    campaign = campaign_or_404(campaign_id)
    if not campaign.cover_key:
        abort(404)
    response = send_stored(StoredCover(campaign.cover_key), download_name="cover.jpg", as_attachment=False)
    if campaign.published:  # anyone may see it: browsers and WeChat's preview may keep it a while
        response.headers["Cache-Control"] = "public, max-age=300"
    return response


class StoredCover:
    """What send_stored needs of a cover: its key and kind (covers are always re-encoded as JPEG)."""

    kind = "jpeg"
    original_name = "cover.jpg"

    def __init__(self, key):
        self.key = key


def extension_form(campaign, formdata=None):
    """The 延期申报 form, its choices the district's admitted organizations."""
    form = ExtensionForm(formdata=formdata)
    form.organization.choices = [("", _("请选择"))] + [
        (str(o.id), o.name) for o in operations.extendable_organizations(campaign)
    ]
    return form


def detail_page(campaign, form=None, status=200):
    """The campaign's page; its district admin also sees the extensions granted and the form to grant one."""
    manager = can(current_user, "manage", campaign)
    return render_template(
        "campaigns/detail.html", campaign=campaign, timeline=timeline(campaign),
        categories=list(campaign.ordered_categories()), criteria=list(campaign.ordered_criteria()),
        extensions=list(campaign.ordered_extensions()) if manager else [],
        extension_form=(form or extension_form(campaign)) if manager else None,
        extended=proposal_queries.extended_windows(current_user, campaign),
        day_before=lambda value: format_date((to_local(value) - datetime.timedelta(days=1)).date(), "long"),
    ), status


@bp.post("/campaigns/<int:campaign_id>/extensions")
@login_required
def extend(campaign_id):
    """延期申报: the district admin lets one organization keep writing after the deadline, until a date."""
    campaign = campaign_or_404(campaign_id)
    require(current_user, "manage", campaign)
    if campaign.kind != "contest":  # 延期申报 is the contest's; a month's sign-up window is edited instead
        abort(404)
    form = extension_form(campaign, request.form)
    if form.validate_on_submit():
        offered = {value for value, _label in form.organization.choices if value}
        wanted = form.organization.data
        organization = Organization.get_or_none(Organization.id == int(wanted)) if wanted in offered else None
        try:
            operations.grant_extension(campaign, organization, form.until_utc(), current_user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash(_("已为%(name)s延期申报", name=organization.name), "success")
            return redirect(url_for("campaigns.detail", campaign_id=campaign.id), code=303)
    return detail_page(campaign, form, 422)


def save(form, campaign=None):
    """Run the operation for a valid form; the campaign, or None with the operation's messages on the form."""
    try:
        if campaign is None:
            return operations.create_campaign(current_user.district, current_user, form.operation_data())
        return operations.update_campaign(campaign, current_user, form.operation_data())
    except ValidationError as error:
        apply_errors(form, error)
        return None


@bp.route("/campaigns/new", methods=["GET", "POST"])
@role_required("district_admin")
def create():
    """Set up a contest, the usual phases, categories and rubric filled in."""
    form = CampaignForm()
    if request.method == "GET":
        form.fill_defaults(operations.default_categories(0), operations.default_criteria())
    if form.validate_on_submit() and (campaign := save(form)) is not None:
        flash(_("大赛已保存为草稿。核对无误后请发布。"), "success")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id), code=303)
    return render_template("campaigns/form.html", form=form, campaign=None), 200 if not form.errors else 422


def save_month(form, campaign=None):
    """Run the month's operation for a valid form (with the uploaded cover, if any); None with the messages."""
    cover_file = request.files.get("cover")
    cover_file = cover_file if cover_file and cover_file.filename else None
    try:
        if campaign is None:
            return operations.create_month(current_user.district, current_user, form.operation_data(), cover_file)
        return operations.update_month(campaign, current_user, form.operation_data(), cover_file)
    except ValidationError as error:
        apply_errors(form, error)
        return None


def month_form_page(form, campaign):
    return render_template("campaigns/month_form.html", form=form, campaign=campaign), 422 if form.errors else 200


@bp.route("/campaigns/new/month", methods=["GET", "POST"])
@role_required("district_admin")
def create_month():
    """Set up a partner month (公益伙伴月): name, theme, days, sign-up window, introduction, cover."""
    form = MonthForm()
    if request.method == "GET":
        form.fill_defaults()
    if form.validate_on_submit() and (campaign := save_month(form)) is not None:
        flash(_("伙伴月已保存为草稿。核对无误后请发布。"), "success")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id), code=303)
    return month_form_page(form, None)


def edit_month(campaign):
    """Edit a partner month (the district admin, checked by the caller)."""
    form = MonthForm(obj=campaign) if request.method == "GET" else MonthForm()
    if request.method == "GET":
        form.fill_from(campaign)
    if form.validate_on_submit() and save_month(form, campaign) is not None:
        flash(_("已保存"), "success")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id), code=303)
    return month_form_page(form, campaign)


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@login_required
def edit(campaign_id):
    """Edit a campaign: a contest's phases, categories, budget and rubric; a partner month's days and cover."""
    campaign = campaign_or_404(campaign_id)
    require(current_user, "manage", campaign)  # the wrong person meets the 403 page with the reason
    if campaign.kind == "month":
        return edit_month(campaign)
    form = CampaignForm(obj=campaign) if request.method == "GET" else CampaignForm()
    if request.method == "GET":
        form.fill_from(campaign)
    if form.validate_on_submit() and save(form, campaign) is not None:
        flash(_("已保存"), "success")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id), code=303)
    return render_template("campaigns/form.html", form=form, campaign=campaign), 200 if not form.errors else 422


@bp.post("/campaigns/<int:campaign_id>/publish")
@login_required
def publish(campaign_id):
    """Publish a draft: everyone sees it."""
    campaign = campaign_or_404(campaign_id)
    try:
        operations.publish(campaign, current_user)
    except LifecycleError as error:
        flash(str(error), "error")
    else:
        flash(_("伙伴月已发布") if campaign.kind == "month" else _("大赛已发布"), "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id), code=303)
