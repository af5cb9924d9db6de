"""The charts of one street (its watchers) and of the whole district (its admin)."""
from flask import render_template
from flask_login import current_user, login_required

from blueprints.stats import bp, queries
from core import charts as draw
from core.access import role_required, street_or_404
from models import Street, utcnow


@bp.get("/streets/<slug>/charts")
@login_required
def street(slug):
    """Events and check-ins by month, organizations by service field, grades, party coverage, open signals."""
    street = street_or_404(slug)
    data = queries.charts(Street.select(Street.id).where(Street.id == street.id), utcnow())
    return render_template("stats/charts.html", charts=data, draw=draw, target=queries.GRADE_TARGET,
                           scope=street.name, street=street)


@bp.get("/admin/charts")
@role_required("district_admin")
def district():
    """The same charts over every street of the district."""
    district = current_user.district
    data = queries.charts(Street.select(Street.id).where(Street.district == current_user.district_id), utcnow())
    return render_template("stats/charts.html", charts=data, draw=draw, target=queries.GRADE_TARGET,
                           scope=district.name if district else "", street=None)
