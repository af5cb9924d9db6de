"""The partner month's summary for its district's admin: a printable page and its Excel export."""
import datetime

from flask import abort, render_template
from flask_login import current_user, login_required

from blueprints.recap import bp, export, queries
from blueprints.recap.policy import Recap
from core.policy import require, visible_or_404
from models import Campaign


def recap_or_404(campaign_id):
    """The month's summary for its district admin: 404 when the campaign is hidden or no month, 403 for the rest."""
    campaign = visible_or_404(Campaign, campaign_id, current_user)
    if campaign.kind != "month":
        abort(404)
    recap = Recap(campaign)
    require(current_user, "view", recap)
    return recap


@bp.get("/campaigns/<int:campaign_id>/summary")
@login_required
def summary(campaign_id):
    """By street and by organization: taking part, events held and to come, check-ins, reports, matches."""
    recap = recap_or_404(campaign_id)
    data = queries.summary(recap.campaign)
    starts_at = recap.campaign.starts_at
    # The month's first day, shown by the last_day filter (which names the day before a midnight).
    first_day = starts_at + datetime.timedelta(days=1) if starts_at else None
    return render_template("recap/summary.html", campaign=recap.campaign, summary=data, first_day=first_day,
                           progress=queries.progress(recap.campaign, data.at))


@bp.get("/campaigns/<int:campaign_id>/summary.xlsx", endpoint="export")
@login_required
def export_xlsx(campaign_id):
    """The same numbers as a workbook of two sheets."""
    recap = recap_or_404(campaign_id)
    return export.workbook_response(queries.summary(recap.campaign))
