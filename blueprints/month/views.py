"""Tag an event to a partner month and take it out again; the month's live totals and its share poster."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from blueprints.month import bp, operations, queries
from blueprints.month.forms import tag_form
from blueprints.month.page import dates_text, month_or_404
from core.access import event_or_404
from core.errors import ValidationError
from core.forms import apply_errors
from core.htmx import wants_fragment
from core.policy import member
from core.qr import qr_svg_markup
from core.urls import absolute_url


@bp.post("/events/<int:event_id>/month")
@login_required
def tag(event_id):
    """标记为伙伴月活动: the organization's admin adds a published event to a month it is confirmed for."""
    event = event_or_404(event_id, manage=True)
    member(current_user, event.organization, admin=True)  # the wrong person meets the 403 page with the reason
    form = tag_form(queries.taggable_months(event), request.form)
    if form.validate_on_submit():
        try:
            operations.tag(event, operations.month_of(form.campaign.data), current_user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash(_("已标记为%(name)s活动", name=event.campaign.name), "success")
            return redirect(url_for("events.manage", event_id=event.id), code=303)
    template = "month/_tag.html" if wants_fragment() else "month/tag.html"
    return render_template(template, event=event, form=form), 422


@bp.post("/events/<int:event_id>/month/remove")
@login_required
def untag(event_id):
    """The organization's admin takes the event out of the month."""
    event = event_or_404(event_id, manage=True)
    operations.untag(event, current_user)
    flash(_("已取消伙伴月标记"), "success")
    return redirect(url_for("events.manage", event_id=event.id), code=303)


@bp.get("/campaigns/<int:campaign_id>/totals")
def totals(campaign_id):
    """The month's totals by street, the fragment the page polls."""
    campaign = month_or_404(campaign_id)
    return render_template(
        "month/_totals.html", campaign=campaign, totals=queries.totals(campaign),
        every=current_app.config.get("MONTH_TOTALS_SECONDS", 30),
    )


@bp.get("/campaigns/<int:campaign_id>/poster")
def poster(campaign_id):
    """A printable A4 poster of the month: name, theme, dates, a large code to its page."""
    campaign = month_or_404(campaign_id)
    url = absolute_url("campaigns.detail", campaign_id=campaign.id)
    return render_template("month/poster.html", campaign=campaign, code=qr_svg_markup(url), url=url,
                           dates=dates_text(campaign))
