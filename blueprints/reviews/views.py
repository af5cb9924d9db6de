"""Review pages: the district admin's assignment and progress pages of a campaign, a reviewer's 回避 declarations
(the scoring sheets are in reviewer_views)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.reviews import bp, operations, queries
from blueprints.reviews.forms import AddReviewerForm, AutoAssignForm, ConflictForm
from core.access import role_required
from core.errors import ValidationError
from core.forms import apply_errors
from core.policy import can, require, visible_or_404
from core.validators import parse_id
from models import Assignment, Campaign, Proposal, User


def campaign_or_404(campaign_id):
    """The contest if the current user may see it (a draft: its district's admin only); a partner month is none."""
    campaign = visible_or_404(Campaign, campaign_id, current_user)
    if campaign.kind != "contest":
        abort(404)
    return campaign


def proposal_for_assigning(proposal_id):
    """The proposal (404 when its campaign is hidden from the user); 403 unless they assign its reviewers."""
    proposal = Proposal.get_or_none(Proposal.id == proposal_id)
    if proposal is None or not can(current_user, "view", proposal.campaign):
        abort(404)
    require(current_user, "assign", Assignment(proposal=proposal))
    return proposal


def reviewer_form(proposal, formdata=None):
    form = AddReviewerForm(formdata=formdata)
    taken = {user.id for user in queries.assigned(proposal)}
    form.reviewer.choices = [("", _("请选择"))] + [
        (str(user.id), user.name) for user in queries.eligible_reviewers(proposal) if user.id not in taken
    ]
    return form


def assignments_page(campaign, auto_form=None, failed=None, status=200):
    rows = [
        {"proposal": proposal, "reviewers": list(queries.assigned(proposal)),
         "form": failed[1] if failed and failed[0] == proposal.id else reviewer_form(proposal)}
        for proposal in queries.eligible_proposals(campaign)
    ]
    load = queries.loads(campaign)
    return render_template(
        "reviews/assignments.html", campaign=campaign, rows=rows, auto_form=auto_form or AutoAssignForm(),
        loads=[(user, load.get(user.id, 0)) for user in queries.district_reviewers(campaign.district_id)],
    ), status


@bp.get("/campaigns/<int:campaign_id>/assignments")
@login_required
def assignments(campaign_id):
    """Each eligible proposal with its reviewers, a select of eligible ones to add, and auto-assign."""
    campaign = campaign_or_404(campaign_id)
    require(current_user, "assign", Assignment(proposal=Proposal(campaign=campaign)))
    return assignments_page(campaign)


@bp.get("/campaigns/<int:campaign_id>/progress")
@login_required
def progress(campaign_id):
    """Scoring progress: each proposal's reviewers with their state and total, the combined score, the outliers
    (偏离); each reviewer's submitted / assigned."""
    campaign = campaign_or_404(campaign_id)
    require(current_user, "assign", Assignment(proposal=Proposal(campaign=campaign)))
    rows, reviewers = queries.progress(campaign)
    return render_template("reviews/progress.html", campaign=campaign, rows=rows, reviewers=reviewers)


@bp.post("/campaigns/<int:campaign_id>/assignments/auto")
@login_required
def auto_assign(campaign_id):
    campaign = campaign_or_404(campaign_id)
    require(current_user, "assign", Assignment(proposal=Proposal(campaign=campaign)))
    form = AutoAssignForm(request.form)
    if form.validate_on_submit():
        try:
            added, short = operations.auto_assign(campaign, form.per_proposal.data, current_user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash(_("已分配 %(n)s 人次", n=added), "success")
            if short:
                flash(_("%(n)s 份申报书可分配的评审专家不足 %(per)s 位", n=short, per=form.per_proposal.data), "info")
            return redirect(url_for("reviews.assignments", campaign_id=campaign.id), code=303)
    return assignments_page(campaign, auto_form=form, status=422)


@bp.post("/proposals/<int:proposal_id>/reviewers")
@login_required
def add_reviewer(proposal_id):
    proposal = proposal_for_assigning(proposal_id)
    form = reviewer_form(proposal, request.form)
    if form.validate_on_submit():
        wanted = form.reviewer.data
        reviewer_id = parse_id(wanted)
        reviewer = User.get_or_none(User.id == reviewer_id) if reviewer_id is not None else None
        try:
            operations.assign(proposal, reviewer, current_user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash(_("已分配评审专家%(name)s", name=reviewer.name), "success")
            return redirect(url_for("reviews.assignments", campaign_id=proposal.campaign_id,
                                    _anchor=f"proposal-{proposal.id}"), code=303)
    return assignments_page(proposal.campaign, failed=(proposal.id, form), status=422)


@bp.post("/proposals/<int:proposal_id>/reviewers/<int:user_id>/remove")
@login_required
def remove_reviewer(proposal_id, user_id):
    proposal = proposal_for_assigning(proposal_id)
    reviewer = User.get_or_none(User.id == user_id)
    if reviewer is not None and operations.unassign(proposal, reviewer, current_user):
        flash(_("已移除评审专家%(name)s", name=reviewer.name), "success")
    return redirect(url_for("reviews.assignments", campaign_id=proposal.campaign_id,
                            _anchor=f"proposal-{proposal.id}"), code=303)


@bp.route("/reviews/conflicts", methods=["GET", "POST"])
@role_required("reviewer")
def conflicts():
    """A reviewer declares 回避 with an organization of their district, and sees those declared."""
    form = ConflictForm(request.form if request.method == "POST" else None)
    organizations = list(queries.district_organizations(current_user.district_id)) \
        if current_user.district_id is not None else []
    form.organization.choices = [("", _("请选择"))] + [(str(o.id), o.name) for o in organizations]
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            offered = {str(o.id): o for o in organizations}
            organization = offered.get(form.organization.data)
            if organization is None:
                form.organization.errors = [*form.organization.errors, _("请选择组织")]
            else:
                try:
                    _conflict, removed = operations.declare_conflict(current_user._get_current_object(),
                                                                     organization, form.note.data)
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    flash(_("已声明回避%(name)s", name=organization.name), "success")
                    if removed:
                        flash(_("已移除你对该组织 %(n)s 份申报书的评审分配", n=removed), "info")
                    return redirect(url_for("reviews.conflicts"), code=303)
    return render_template("reviews/conflicts.html", form=form,
                           conflicts=list(queries.conflicts_of(current_user.id))), status


