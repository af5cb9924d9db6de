"""The street console: it composes what the features offer (their queues, their searches) and owns no rules."""
from flask import request
from flask_login import login_required
from peewee import SQL, fn

from blueprints.entries import queries as entry_queries
from blueprints.entries.moderation import queue_item as entry_item
from blueprints.events import queries as event_queries
from blueprints.events.moderation import queue_item as event_item
from blueprints.orgs import queries as org_queries
from blueprints.orgs.moderation import queue_item as org_item
from blueprints.partners import queries as need_queries
from blueprints.partners.moderation import queue_item as need_item
from blueprints.proposals import queries as proposal_queries
from blueprints.proposals.moderation import queue_item as proposal_item
from blueprints.reports import queries as report_queries
from blueprints.reports.moderation import queue_item as report_item
from blueprints.streets import bp
from core.access import street_or_404
from core.forms import ReasonForm
from core.htmx import page_arg, render_part

PER_PAGE = 50
#: Each queue shows its oldest items up to this many, with its total: a street far behind stays one page.
QUEUE_SHOWN = 50


def capped(query):
    """(the first QUEUE_SHOWN rows of ``query``, how many it has in all), in one query (a window count)."""
    rows = list(query.select_extend(fn.COUNT(SQL("*")).over().alias("queue_total")).limit(QUEUE_SHOWN))
    return rows, (rows[0].queue_total if rows else 0)


@bp.get("/<slug>/")
@login_required
def console(slug):
    """The queues of events to publish and organizations to admit, the street's events, its organizations."""
    street = street_or_404(slug)
    events, event_total = capped(event_queries.moderation_queue(street))
    pending, pending_total = capped(org_queries.pending(street))
    proposals, proposal_total = capped(proposal_queries.eligibility_queue(street))
    entries, entry_total = capped(entry_queries.street_queue(street))
    needs, need_total = capped(need_queries.street_queue(street))
    reports, report_total = capped(report_queries.street_queue(street))
    event_q = request.args.get("event_q", "").strip()
    # One more than shown tells whether there are more to find.
    shown = list(event_queries.street_events(street, event_q).limit(event_queries.STREET_EVENTS_SHOWN + 1))
    q, status = request.args.get("q", "").strip(), request.args.get("status", "")
    page = page_arg()
    organizations = org_queries.search(street, q, status)
    overdue_reports, overdue_total = report_queries.overdue_in(street)
    return render_part(
        "streets/console.html", "streets/_org_list.html",
        street=street, counts=org_queries.count_by_status(street), reason_form=ReasonForm(formdata=None),
        event_items=[event_item(e, street, batch=len(events) > 1) for e in events],
        org_items=[org_item(o, street) for o in pending],
        proposal_items=[proposal_item(p, street) for p in proposals],
        entry_items=[entry_item(e, street) for e in entries],
        need_items=[need_item(n, street) for n in needs],
        report_items=[report_item(r, street) for r in reports],
        queue_totals={"event": event_total, "org": pending_total, "proposal": proposal_total, "entry": entry_total,
                      "need": need_total, "report": report_total},
        overdue_reports=overdue_reports, overdue_total=overdue_total,
        organizations=organizations.paginate(page, PER_PAGE), total=organizations.count(),
        page=page, per_page=PER_PAGE, q=q, status=status, event_q=event_q,
        street_events=shown[:event_queries.STREET_EVENTS_SHOWN],
        more_events=len(shown) > event_queries.STREET_EVENTS_SHOWN,
    )
