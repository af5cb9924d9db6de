"""Proposal pages: start a draft from the contest's page, write it section by section (each saves in place with
htmx, or by a plain POST), attach files, submit or withdraw."""
import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.proposals import bp, operations
from blueprints.proposals.forms import SECTIONS
from blueprints.proposals.policy import EDITABLE
from core.errors import LifecycleError, PermissionDenied, ValidationError
from core.forms import apply_errors
from core.htmx import wants_fragment
from core.moderation import message
from core.policy import can, require, visible_or_404
from core.uploads import send_stored
from models import Campaign, Membership, Organization, Proposal, ProposalFile, Street

#: The name of each field, for the list of what is still missing.
SECTION_LABELS = {name: field.args[0] for _heading, form_class in SECTIONS.values()
                  for name, field in vars(form_class).items() if hasattr(field, "field_class")}


def proposal_or_404(proposal_id):
    """The proposal, for those who may see it; nobody else learns that it exists."""
    return visible_or_404(Proposal, proposal_id, current_user)


def campaign_or_404(campaign_id):
    """The contest if the current user may see it (a draft: its district's admin only); a partner month is none."""
    campaign = visible_or_404(Campaign, campaign_id, current_user)
    if campaign.kind != "contest":
        abort(404)
    return campaign


def admin_organizations(user, campaign):
    """The admitted organizations of the campaign's district that ``user`` is an admin of."""
    return list(
        Organization.select().join(Membership).switch(Organization).join(Street)
        .where(Membership.user == user, Membership.role == "admin", Organization.status == "active",
               Street.district == campaign.district_id)
        .order_by(Organization.name)
    )


def section_form(proposal, section, formdata=None):
    """The form of one section, filled from ``formdata`` (a POST) or from the proposal."""
    form_class = SECTIONS[section][1]
    names = operations.SECTION_FIELDS[section]
    data = {name: getattr(proposal, name + "_id" if name in ("category", "street") else name) for name in names}
    form = form_class(formdata=formdata, data=data)
    if section == "basics":
        streets = Street.select().where(Street.district == proposal.campaign.district_id).order_by(Street.id)
        form.set_choices(proposal.campaign, streets)
    return form


def section_item(name, form, saved=False):
    """One section for _section.html; the budget's with the sum of what its table holds and any mismatch."""
    item = {"name": name, "heading": SECTIONS[name][0], "form": form, "saved": saved}
    if name == "budget":
        total = form.total_budget.data if isinstance(form.total_budget.data, int) else None
        item["budget_sum"] = operations.budget_sum(form.budget_items.data)
        item["mismatch"] = operations.budget_mismatch(total, form.budget_items.data)
    return item


def lock_reason(proposal):
    """Why an admin of the organization can no longer change the proposal, or "" (also for everyone else)."""
    try:
        require(current_user, "edit", proposal)
    except LifecycleError as error:
        return str(error)
    except PermissionDenied:
        pass
    return ""


def page(proposal, forms=None, status=200):
    forms = forms or {}
    sections = [section_item(name, forms.get(name) or section_form(proposal, name)) for name in SECTIONS]
    editable_until = None
    if proposal.status in EDITABLE and can(current_user, "edit", proposal):
        # The deadline is the exclusive midnight after the last day: shown as that day's 23:59.
        editable_until = proposal.campaign.deadline_for(proposal.organization) - datetime.timedelta(minutes=1)
    return render_template(
        "proposals/detail.html", proposal=proposal, sections=sections,
        missing=operations.missing(proposal), files=list(proposal.ordered_files()), editable_until=editable_until,
        lock_reason=lock_reason(proposal),
    ), status


@bp.route("/campaigns/<int:campaign_id>/proposals/new", methods=["GET", "POST"])
@login_required
def start(campaign_id):
    """Start a draft for one of the user's organizations (chosen here when they admin several)."""
    campaign = campaign_or_404(campaign_id)
    organizations = admin_organizations(current_user, campaign)
    if not organizations:
        raise PermissionDenied(_("只有已通过审核的社会组织的管理员可以申报"))
    # After the deadline only an organization with an extension may start: offer those alone when there are any.
    startable = [o for o in organizations if can(current_user, "start", Proposal(campaign=campaign, organization=o))]
    organizations = startable or organizations
    chosen = organizations[0] if len(organizations) == 1 else None
    if request.method == "POST" and chosen is None:
        wanted = request.form.get("organization", "")
        chosen = next((o for o in organizations if str(o.id) == wanted), None)
    if request.method == "GET" or chosen is None:
        return render_template("proposals/start.html", campaign=campaign, organizations=organizations)
    try:
        proposal = operations.start(campaign, chosen, current_user)
    except ValidationError as error:
        flash(str(error), "error")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id), code=303)
    flash(_("申报书草稿已建立，每一部分填好后点“保存”即可"), "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id), code=303)


@bp.get("/proposals/<int:proposal_id>/")
@login_required
def detail(proposal_id):
    """The proposal by sections: forms for its authors while it may be changed, the text for everyone else."""
    return page(proposal_or_404(proposal_id))


@bp.post("/proposals/<int:proposal_id>/sections/<section>")
@login_required
def save_section(proposal_id, section):
    """Save one section: the section again (已保存, or the messages beside the fields) for htmx, else the page."""
    proposal = proposal_or_404(proposal_id)
    if section not in SECTIONS:
        abort(404)
    require(current_user, "edit", proposal)
    form = section_form(proposal, section, formdata=request.form)
    saved = False
    if form.validate_on_submit():
        try:
            operations.save_section(proposal, current_user, section, form.data)
            saved = True
        except ValidationError as error:
            apply_errors(form, error)
    if wants_fragment():  # htmx swaps only a 2xx answer: the messages come back with 200
        return render_template("proposals/_section.html", proposal=proposal, section=section_item(section, form, saved))
    if saved:
        flash(_("已保存"), "success")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id) + f"#section-{section}", code=303)
    return page(proposal, {section: form}, status=422)


@bp.post("/proposals/<int:proposal_id>/submit")
@login_required
def submit(proposal_id):
    """Send a complete draft to the contest."""
    return send(proposal_id, operations.submit, _("申报书已提交"))


@bp.post("/proposals/<int:proposal_id>/resubmit")
@login_required
def resubmit(proposal_id):
    """Send a returned proposal, revised, back for 资格审查 (before its revise-by date)."""
    return send(proposal_id, operations.resubmit, _("申报书已重新提交"))


def send(proposal_id, operation, success):
    """Submit or resubmit; what is still empty is named in one message."""
    proposal = proposal_or_404(proposal_id)
    try:
        operation(proposal, current_user)
    except ValidationError as error:
        empty = [name for name, text in error.errors.items() if name and str(text) == str(operations.MISSING)]
        others = [str(text) for name, text in error.errors.items() if name not in empty]
        if empty:
            names = "、".join(str(SECTION_LABELS.get(name, name)) for name in empty)
            flash(_("还不能提交，请先填写：%(names)s", names=names), "error")
        for text in others:
            flash(_("还不能提交：%(reason)s", reason=text), "error")
    else:
        flash(success, "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id), code=303)


@bp.post("/proposals/<int:proposal_id>/withdraw")
@login_required
def withdraw(proposal_id):
    """Take a proposal back before the deadline (it no longer counts against the organization's limit)."""
    proposal = proposal_or_404(proposal_id)
    operations.withdraw(proposal, current_user)
    flash(_("申报书已撤回"), "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id), code=303)


@bp.post("/proposals/<int:proposal_id>/files")
@login_required
def upload(proposal_id):
    """Attach a file; a refused one is explained and the rest of the proposal stays as it was."""
    proposal = proposal_or_404(proposal_id)
    require(current_user, "edit", proposal)
    file_storage = request.files.get("file")
    if file_storage is None or not file_storage.filename:
        flash(_("请选择要上传的文件"), "error")
    else:
        try:
            row = operations.attach(proposal, current_user, file_storage)
        except ValidationError as error:
            flash(_("附件没有上传：%(reason)s", reason=str(error)), "error")
        else:
            flash(_("已上传：%(name)s", name=row.original_name), "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id) + "#files", code=303)


@bp.post("/proposals/<int:proposal_id>/files/<int:file_id>/delete")
@login_required
def delete_file(proposal_id, file_id):
    """Delete an attachment while the proposal may be changed: the list again in place for htmx, else the page."""
    proposal = proposal_or_404(proposal_id)
    require(current_user, "edit", proposal)
    row = ProposalFile.get_or_none(ProposalFile.id == file_id, ProposalFile.proposal == proposal)
    if row is None:
        abort(404)
    operations.detach(proposal, current_user, row)
    text = _("已删除附件：%(name)s", name=row.original_name)
    if wants_fragment():
        html = render_template("proposals/_files.html", proposal=proposal, files=list(proposal.ordered_files()))
        return html + message(text, "success")
    flash(text, "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id) + "#files", code=303)


@bp.get("/proposals/<int:proposal_id>/files/<int:file_id>")
@login_required
def download(proposal_id, file_id):
    """An attachment, as a download, for those who may see the proposal."""
    proposal = proposal_or_404(proposal_id)
    row = ProposalFile.get_or_none(ProposalFile.id == file_id, ProposalFile.proposal == proposal)
    if row is None:
        abort(404)
    return send_stored(row, download_name=row.original_name)
