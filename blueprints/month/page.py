"""The partner month's public page, built for campaigns.detail when the campaign is a month."""
import datetime

from flask import abort, current_app, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.month import queries
from core.policy import visible_or_404
from core.timeutil import local_now, to_local
from models import SERVICE_FIELDS, Campaign, Street


def month_or_404(campaign_id):
    """The month campaign if the current user may see it (a draft: its district's admin only); else 404."""
    campaign = visible_or_404(Campaign, campaign_id, current_user)
    if campaign.kind != "month" or campaign.starts_at is None or campaign.ends_at is None:
        abort(404)
    return campaign


def month_days(campaign):
    """The month's first and last days (Shanghai dates)."""
    return to_local(campaign.starts_at).date(), (to_local(campaign.ends_at) - datetime.timedelta(seconds=1)).date()


def dates_text(campaign):
    """2026年11月1日 至 2026年11月30日."""
    first, last = month_days(campaign)
    return _("%(first)s 至 %(last)s", first=format_date(first, "long"), last=format_date(last, "long"))


def optional_url(endpoint, **values):
    """The URL of ``endpoint`` when another feature has registered it, else None."""
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def filters(campaign):
    """?street=<slug>&kind=<category>, each kept only when it names a street of the district or a category."""
    streets = list(Street.select().where(Street.district == campaign.district_id).order_by(Street.code))
    street = request.args.get("street", "")
    kind = request.args.get("kind", "")
    return streets, (street if street in {s.slug for s in streets} else ""), (kind if kind in SERVICE_FIELDS else "")


def render_month(campaign):
    """The month's page: cover, introduction, calendar (a list by day on a phone, a grid on a wide screen), totals."""
    streets, street, kind = filters(campaign)
    events = queries.month_events(campaign, street, kind)
    days = queries.by_day(events)
    today = local_now().date()
    first, last = month_days(campaign)
    if first <= today <= last:
        days.setdefault(today, [])  # today heads the phone's list even on a day without events
    return render_template(
        "month/page.html", campaign=campaign, streets=streets, street=street, kind=kind, events=events,
        phone_days=queries.phone_days(days, today), weeks=queries.weeks(campaign), days=days, today=today,
        first_day=first, last_day=last, dates=dates_text(campaign),
        totals=queries.totals(campaign), every=current_app.config.get("MONTH_TOTALS_SECONDS", 30),
        cover_url=optional_url("campaigns.cover", campaign_id=campaign.id) if campaign.cover_key else None,
        format_date=format_date,
        board_url=optional_url("partners.board", campaign_id=campaign.id),
    )
