"""The organization's year: a printable page for its members, its street office and the district admin."""
from flask import abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from blueprints.year import bp, queries
from blueprints.year.policy import Year
from core.policy import can
from models import Organization


def year_or_404(org_id, year):
    """The organization's year for those who may read it; a 404 for everyone else and for years out of range."""
    organization = Organization.get_or_none(Organization.id == org_id)
    page = Year(organization, year)
    if organization is None or not can(current_user, "view", page):
        abort(404)
    if not queries.FIRST_YEAR <= year <= queries.LAST_YEAR:
        abort(404)
    return page


@bp.get("/orgs/<int:org_id>/year")
@login_required
def current(org_id):
    """This year's page (Shanghai's calendar)."""
    page = year_or_404(org_id, queries.current_year())
    return redirect(url_for("year.page", org_id=page.organization.id, year=page.year))


@bp.get("/orgs/<int:org_id>/year/<int:year>")
@login_required
def page(org_id, year):
    """Events held by month, check-ins and residents, service time, reports, proposals, partner months, projects."""
    page = year_or_404(org_id, year)
    summary = queries.summary(page.organization, page.year)
    return render_template("year/page.html", organization=page.organization, summary=summary,
                           years=queries.years_with_data(page.organization, summary.at))
