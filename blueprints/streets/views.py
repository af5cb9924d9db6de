"""The street console: it composes what the features offer (their queues, their searches) and owns no rules."""
from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
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
from blueprints.signals import queries as signal_queries
from blueprints.streets import bp
from core.access import street_or_404
from core.exports import FORMATS, table_response
from core.forms import ReasonForm
from core.htmx import page_arg, render_part, wants_fragment
from core.timeutil import local_now, to_local
from core.validators import mask_phone
from models import AuditLog, Event

PER_PAGE = 50
#: Each queue shows its oldest items up to this many, with its total: a street far behind stays one page.
QUEUE_SHOWN = 50


#: The 待办 view at the top of the console: (key of the count, what waits, the section's anchor), in the order of
#: the sections below; signals link to their own page.
TODO = (
    ("org", _l("组织待审核"), "queue"),
    ("event", _l("活动待发布"), "event-queue"),
    ("proposal", _l("申报待资格审查"), "proposal-queue"),
    ("entry", _l("伙伴月报名待确认"), "entry-queue"),
    ("need", _l("资源对接待发布"), "need-queue"),
    ("report", _l("活动报告待审核"), "report-queue"),
    ("overdue", _l("活动报告逾期"), "report-overdue"),
    ("signal", _l("风险提示待查看"), None),
)


def todo(street, totals):
    """[(key, text, count, address)]: every queue of the street with its count (the queues' own totals)."""
    signals_page = url_for("signals.street", slug=street.slug)
    return [(key, text, totals[key], f"#{anchor}" if anchor else signals_page) for key, text, anchor in TODO]


def capped(query):
    """(the first QUEUE_SHOWN rows of ``query``, how many it has in all), in one query (a window count)."""
    rows = list(query.select_extend(fn.COUNT(SQL("*")).over().alias("queue_total")).limit(QUEUE_SHOWN))
    return rows, (rows[0].queue_total if rows else 0)


@bp.get("/<slug>/")
@login_required
def console(slug):
    """The queues of events to publish and organizations to admit, the street's events, its organizations."""
    street = street_or_404(slug)
    # The street's events a page at a time; 更多活动 (?events_after=…) brings the page after the last one shown in
    # place (htmx), or, without JavaScript, the console again with the list starting there.
    event_q = request.args.get("event_q", "").strip()
    events_after = event_queries.parse_events_cursor(request.args.get("events_after", ""))
    street_events, events_next = event_queries.street_events_page(street, event_q, events_after)
    if "events_after" in request.args and wants_fragment():
        return render_template("streets/_event_rows.html", street=street, event_q=event_q,
                               street_events=street_events, events_next=events_next)
    events, event_total = capped(event_queries.moderation_queue(street))
    pending, pending_total = capped(org_queries.pending(street))
    proposals, proposal_total = capped(proposal_queries.eligibility_queue(street))
    entries, entry_total = capped(entry_queries.street_queue(street))
    needs, need_total = capped(need_queries.street_queue(street))
    reports, report_total = capped(report_queries.street_queue(street))
    q, status = request.args.get("q", "").strip(), request.args.get("status", "")
    page = page_arg()
    organizations = org_queries.search(street, q, status)
    overdue_reports, overdue_total = report_queries.overdue_in(street)
    queue_totals = {"event": event_total, "org": pending_total, "proposal": proposal_total, "entry": entry_total,
                    "need": need_total, "report": report_total}
    open_signals = signal_queries.open_count(street)
    return render_part(
        "streets/console.html", "streets/_org_list.html",
        street=street, counts=org_queries.count_by_status(street), reason_form=ReasonForm(formdata=None),
        event_items=[event_item(e, street, batch=len(events) > 1) for e in events],
        org_items=[org_item(o, street) for o in pending],
        proposal_items=[proposal_item(p, street) for p in proposals],
        entry_items=[entry_item(e, street) for e in entries],
        need_items=[need_item(n, street) for n in needs],
        report_items=[report_item(r, street) for r in reports],
        queue_totals=queue_totals, open_signals=open_signals,
        todo=todo(street, {**queue_totals, "overdue": overdue_total, "signal": open_signals}),
        overdue_reports=overdue_reports, overdue_total=overdue_total,
        organizations=organizations.paginate(page, PER_PAGE), total=organizations.count(),
        page=page, per_page=PER_PAGE, q=q, status=status, event_q=event_q,
        street_events=street_events, events_next=events_next, events_paged=events_after is not None,
    )


@bp.get("/<slug>/overdue.<fmt>")
@login_required
def overdue_export(slug, fmt):
    """Every event of the street whose report is overdue, the oldest first, as CSV or Excel; phones masked."""
    if fmt not in FORMATS:
        abort(404)
    street = street_or_404(slug)
    events = report_queries.overdue().where(Event.street == street)
    AuditLog.record(current_user, "console.export", street, detail=f"overdue.{fmt}", street=street)

    def rows():
        yield [_("活动"), _("组织"), _("结束时间"), _("逾期天数"), _("组织联系人"), _("联系电话")]
        for event in events.iterator():
            org = event.organization
            yield [event.title, org.name, to_local(event.ends_at).strftime("%Y-%m-%d %H:%M"),
                   report_queries.days_overdue(event), org.contact_name, mask_phone(org.contact_phone)]

    filename = f"overdue-reports-{street.slug}-{local_now().date().isoformat()}"
    return table_response(rows(), filename, fmt, sheet_title=_("逾期未交的活动报告"))
