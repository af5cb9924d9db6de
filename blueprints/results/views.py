"""Results pages: the district admin's ranking with staged decisions (in place with htmx, or plain forms), publish,
the public results page with 公示 and the objection form, the objections and their handling, the Excel export."""
import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from blueprints.results import bp, export, operations, queries
from blueprints.results.forms import DecisionForm, HandleForm, ObjectionForm
from blueprints.results.policy import Results
from core.errors import LifecycleError, ValidationError
from core.forms import apply_errors
from core.htmx import wants_fragment
from core.limits import limiter
from core.moderation import message
from core.policy import can, require, visible_or_404
from core.timeutil import to_local
from models import Campaign, Objection, Proposal, utcnow

TOO_OFTEN = _l("提交太频繁了，请一小时后再试，或按页面上的联系方式反映")


def campaign_or_404(campaign_id):
    """The contest if the current user may see it (a draft: its district's admin only); a partner month is none."""
    campaign = visible_or_404(Campaign, campaign_id, current_user)
    if campaign.kind != "contest":
        abort(404)
    return campaign


def managed_results(campaign_id):
    """The campaign's results, for its district admin (404 when the campaign is hidden, 403 for the rest)."""
    results = Results(campaign_or_404(campaign_id))
    require(current_user, "rank", results)
    return results


def decision_form(proposal, formdata=None):
    """The row's decision form, its amount the grant staged or else the ask."""
    amount = proposal.amount_granted if proposal.decision == "funded" else proposal.amount_requested
    return DecisionForm(formdata=formdata, data={"amount": amount})


def ranking_context(results, failed=None):
    """The ranking's rows, each with its decision form, and the staged grants against the budget."""
    funding = queries.funding(results.campaign)
    rows = queries.ranking(results.campaign)
    for row in rows:
        row.refused = funding.errors.get(row.proposal.id, [])
        row.form = failed[1] if failed and failed[0] == row.proposal.id else decision_form(row.proposal)
    return {
        "campaign": results.campaign, "results": results, "rows": rows, "funding": funding,
        "funded_count": sum(1 for row in rows if row.proposal.decision == "funded"),
        "undecided": sum(1 for row in rows if row.proposal.decision is None),
        "may_decide": can(current_user, "decide", results), "may_publish": can(current_user, "publish", results),
        "criteria": list(results.campaign.ordered_criteria()),
    }


@bp.get("/campaigns/<int:campaign_id>/ranking")
@login_required
def ranking(campaign_id):
    """Every eligible proposal ranked by its combined score, with the reviewers' scores and the decision in place."""
    results = managed_results(campaign_id)
    return render_template("results/ranking.html", **ranking_context(results))


@bp.post("/proposals/<int:proposal_id>/decision")
@login_required
def decide(proposal_id):
    """Stage 立项 (with the amount) / 未立项 / clear: the row again in place, with the budget's total out of band."""
    proposal = Proposal.get_or_none(Proposal.id == proposal_id)
    if proposal is None or not can(current_user, "view", proposal.campaign):
        abort(404)
    results = Results(proposal.campaign)
    require(current_user, "rank", results)
    if proposal.status != "eligible":
        abort(404)  # not in the ranking: nothing to decide
    form = DecisionForm(request.form)
    refusal = None
    if form.validate_on_submit():
        try:
            operations.decide(proposal, current_user, form.decision.data, form.amount.data)
        except ValidationError as error:
            apply_errors(form, error)
        except LifecycleError as error:
            refusal = str(error)
    elif not form.errors:
        form.decision.errors = [_("请选择立项或未立项")]
    failed = (proposal.id, form) if form.errors else None
    if wants_fragment():
        return decided_fragment(results, proposal.id, failed, refusal)
    if refusal or not failed:
        flash(refusal or _("已保存"), "error" if refusal else "success")
        return redirect(url_for("results.ranking", campaign_id=proposal.campaign_id,
                                _anchor=f"proposal-{proposal.id}"), code=303)
    return render_template("results/ranking.html", **ranking_context(results, failed)), 422


def decided_fragment(results, proposal_id, failed, refusal):
    """The row in its new state (or with its messages), the total out of band, and a refusal in the message area."""
    context = ranking_context(results, failed)
    row = next(row for row in context["rows"] if row.proposal.id == proposal_id)
    html = render_template("results/_row.html", row=row, **context)
    html += render_template("results/_total.html", oob=True, **context)
    if refusal:
        html += message(refusal)
    return html, 422 if failed else 200


@bp.post("/campaigns/<int:campaign_id>/results/publish")
@login_required
def publish(campaign_id):
    """Publish the staged decisions: the results page goes public and the 公示 begins."""
    results = managed_results(campaign_id)
    try:
        operations.publish(results.campaign, current_user)
    except (ValidationError, LifecycleError) as error:
        flash(str(error), "error")
        return redirect(url_for("results.ranking", campaign_id=campaign_id), code=303)
    flash(_("评审结果已公布"), "success")
    return redirect(url_for("results.public", campaign_id=campaign_id), code=303)


def day(value, end=False):
    """A stored boundary as the Shanghai date it names: an exclusive end names the day before."""
    local = to_local(value) - (datetime.timedelta(days=1) if end else datetime.timedelta())
    return local.date()


def workdays(first, last):
    """Monday to Friday from ``first`` to ``last``, both included."""
    return sum(1 for n in range((last - first).days + 1) if (first + datetime.timedelta(days=n)).weekday() < 5)


def notice_period(campaign):
    first, last = day(campaign.notice_starts_at), day(campaign.notice_ends_at, end=True)
    return {"first": format_date(first, "long"), "last": format_date(last, "long"),
            "workdays": workdays(first, last), "days": (last - first).days + 1}


def objection_form(projects, formdata=None):
    form = ObjectionForm(formdata=formdata)
    form.project.choices = [SelectChoice("", _("对整个评审结果"))] + [
        SelectChoice(str(p.id), f"{p.organization.name} · {p.title}") for p in projects]
    return form


def public_page(results, form=None, status=200):
    projects = queries.funded(results.campaign)
    has_projects = "projects.detail" in current_app.view_functions
    return render_template(
        "results/public.html", campaign=results.campaign, results=results, projects=projects,
        total=sum(p.amount_granted or 0 for p in projects), notice=notice_period(results.campaign),
        open_for_objections=results.in_notice(), notice_over=utcnow() >= results.campaign.notice_ends_at,
        form=form or objection_form(projects),
        project_url=(lambda p: url_for("projects.detail", proposal_id=p.id)) if has_projects else None,
    ), status


def visible_results(campaign_id):
    """The results page's results: public once published, before that the district admin's preview; else 404."""
    results = Results(campaign_or_404(campaign_id))
    if not can(current_user, "view", results):
        abort(404)
    return results


@bp.get("/campaigns/<int:campaign_id>/results")
def public(campaign_id):
    """The funded projects with their amounts, the 公示 period and how to object."""
    return public_page(visible_results(campaign_id))


@bp.post("/campaigns/<int:campaign_id>/objections", endpoint="object")
@limiter.limit("10 per hour", methods=["POST"], error_message=TOO_OFTEN)
def raise_objection(campaign_id):
    """An objection during 公示: it reaches the district admin; outside the period it is refused."""
    results = visible_results(campaign_id)
    if not results.in_notice():
        flash(_("现在不在公示期内，不受理异议"), "error")
        return public_page(results, status=409)
    projects = queries.funded(results.campaign)
    form = objection_form(projects, request.form)
    if form.validate_on_submit():
        chosen = {str(p.id): p for p in projects}
        try:
            if form.project.data and form.project.data not in chosen:
                raise ValidationError({"project": _("请选择公示名单中的项目")})
            operations.raise_objection(results.campaign, form.name.data, form.phone.data, form.text.data,
                                       chosen.get(form.project.data))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash(_("您的异议已提交，区社会组织管理局会与您联系"), "success")
            return redirect(url_for("results.public", campaign_id=campaign_id, _anchor="notice"), code=303)
    return public_page(results, form, 422)


def objections_page(results, failed=None, status=200):
    items = queries.objections(results.campaign)
    forms = {item.id: failed[1] if failed and failed[0] == item.id else HandleForm(formdata=None) for item in items}
    return render_template("results/objections.html", campaign=results.campaign, items=items, forms=forms), status


@bp.get("/campaigns/<int:campaign_id>/objections")
@login_required
def objections(campaign_id):
    """The objections raised during 公示, open ones first, with the full phone to call back."""
    return objections_page(managed_results(campaign_id))


@bp.post("/objections/<int:objection_id>/handle")
@login_required
def handle(objection_id):
    """Mark an objection handled, with what was done."""
    objection = Objection.get_or_none(Objection.id == objection_id)
    if objection is None or not can(current_user, "view", objection.campaign):
        abort(404)
    results = Results(objection.campaign)
    require(current_user, "rank", results)
    form = HandleForm(request.form)
    if form.validate_on_submit():
        try:
            operations.handle(objection, current_user, form.reply.data)
        except (ValidationError, LifecycleError) as error:
            apply_errors(form, error if isinstance(error, ValidationError) else ValidationError({"reply": str(error)}))
        else:
            flash(_("已标记为已处理"), "success")
            return redirect(url_for("results.objections", campaign_id=objection.campaign_id,
                                    _anchor=f"objection-{objection.id}"), code=303)
    return objections_page(results, (objection.id, form), 422)


@bp.get("/campaigns/<int:campaign_id>/results.xlsx", endpoint="export")
@login_required
def export_xlsx(campaign_id):
    """The ranking with every reviewer's scores as an Excel workbook."""
    return export.workbook_response(managed_results(campaign_id).campaign)
