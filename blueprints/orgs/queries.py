"""Reads of organizations for the street office's console."""
from peewee import JOIN, Value, fn

from core.timeutil import local_now
from models import (
    GRADES,
    ORG_KINDS,
    ORG_STATUSES,
    SERVICE_FIELDS,
    Campaign,
    CheckIn,
    Event,
    EventStatus,
    Membership,
    MonthEntry,
    Organization,
    OrgNote,
    OrgStatus,
    Proposal,
    Report,
    Signal,
    Street,
    User,
)


def pending(street):
    """Registrations waiting for ``street``'s office, oldest first."""
    return (
        Organization.select(Organization, Street)
        .join(Street)
        .where(Organization.street == street, Organization.status == OrgStatus.PENDING)
        .order_by(Organization.created_at, Organization.id)
    )


def count_by_status(street):
    """{status: how many} of ``street``'s organizations."""
    return dict(
        street.organizations.select(Organization.status, fn.COUNT(Organization.id))
        .group_by(Organization.status)
        .tuples()
    )


def search(street, q="", status=""):
    """``street``'s organizations by name, or by exact credit code, of one status or any."""
    organizations = street.organizations.order_by(Organization.name)
    if q:
        organizations = organizations.where(Organization.name.contains(q) | (Organization.credit_code == q.upper()))
    if status in ORG_STATUSES:
        organizations = organizations.where(Organization.status == status)
    return organizations


#: The grade filter's value for organizations without a grade.
NO_GRADE = "none"


def filters_from(args):
    """The org list's filters from a query string: only values the list knows, the rest as "" (any)."""
    def pick(name, allowed):
        value = args.get(name, "")
        return value if value in allowed else ""

    return {
        "q": args.get("q", "").strip()[:100],
        "status": pick("status", ORG_STATUSES),
        "kind": pick("kind", ORG_KINDS),
        "field": pick("field", SERVICE_FIELDS),
        "grade": pick("grade", (*GRADES, NO_GRADE)),
        "signal": pick("signal", ("open",)),
    }


def filtered(street, q="", status="", kind="", field="", grade="", signal=""):
    """``street``'s organizations narrowed by the console's filters (see ``filters_from``), by name."""
    organizations = search(street, q, status)
    if kind in ORG_KINDS:
        organizations = organizations.where(Organization.kind == kind)
    if field in SERVICE_FIELDS:
        # service_fields is "a,b,c": look for ",field," in ",a,b,c,".
        wrapped = Value(",").concat(Organization.service_fields).concat(",")
        organizations = organizations.where(wrapped.contains(f",{field},"))
    if grade == NO_GRADE:
        organizations = organizations.where(Organization.grade.is_null())
    elif grade in GRADES:
        organizations = organizations.where(Organization.grade == grade)
    if signal == "open":
        organizations = organizations.where(Organization.id.in_(
            Signal.select(Signal.organization).where(Signal.street == street, Signal.status == "open")
        ))
    return organizations


def open_signal_counts(organizations):
    """{organization id: its open signals} for the organizations of a query (a page of the list)."""
    ids = [o.id for o in organizations]
    if not ids:
        return {}
    return dict(
        Signal.select(Signal.organization, fn.COUNT(Signal.id))
        .where(Signal.organization.in_(ids), Signal.status == "open")
        .group_by(Signal.organization)
        .tuples()
    )


def open_signal_counts_of(organizations):
    """{organization id: its open signals} for every organization of the query ``organizations`` (one query)."""
    ids = organizations.select(Organization.id).order_by()
    return dict(
        Signal.select(Signal.organization, fn.COUNT(Signal.id))
        .where(Signal.organization.in_(ids), Signal.status == "open")
        .group_by(Signal.organization)
        .tuples()
    )


def members(organization):
    """Its members, admins first."""
    return (
        Membership.select(Membership, User)
        .join(User)
        .where(Membership.organization == organization)
        .order_by(Membership.role, User.name, User.id)
    )


def open_signals(organization):
    return (
        Signal.select()
        .where(Signal.organization == organization, Signal.status == "open")
        .order_by(Signal.raised_at.desc(), Signal.id.desc())
    )


#: How many entries the timeline shows at a time.
TIMELINE_PAGE = 25


class Entry:
    """One line of an organization's timeline: when, what kind of thing, and the thing itself."""

    __slots__ = ("when", "kind", "obj", "extra")

    def __init__(self, when, kind, obj, extra=None):
        self.when, self.kind, self.obj, self.extra = when, kind, obj, extra


def timeline(organization, page=1):
    """``organization``'s history, newest first, one page of TIMELINE_PAGE entries; and whether there is more.

    Each source is read newest first up to the end of the page asked for, then merged: a bounded number of queries
    (one per source, one for the check-in counts), whatever the organization's size.
    """
    upto = page * TIMELINE_PAGE + 1
    entries = []
    events = list(
        Event.select()
        .where(Event.organization == organization, Event.status != EventStatus.DRAFT)
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .limit(upto)
    )
    checkins = dict(
        CheckIn.select(CheckIn.event, fn.COUNT(CheckIn.id))
        .where(CheckIn.event.in_([e.id for e in events]), CheckIn.undone_at.is_null())
        .group_by(CheckIn.event)
        .tuples()
    ) if events else {}
    entries += [Entry(e.starts_at, "event", e, checkins.get(e.id, 0)) for e in events]
    reports = (
        Report.select(Report, Event)
        .join(Event)
        .where(Event.organization == organization, Report.status != "draft")
        .order_by(Report.submitted_at.desc(), Report.id.desc())
        .limit(upto)
    )
    entries += [Entry(r.submitted_at or r.created_at, "report", r) for r in reports]
    proposals = (
        Proposal.select(Proposal, Campaign)
        .join(Campaign)
        .where(Proposal.organization == organization, Proposal.status != "draft")
        .order_by(Proposal.submitted_at.desc(), Proposal.id.desc())
        .limit(upto)
    )
    entries += [Entry(p.submitted_at or p.created_at, "proposal", p) for p in proposals]
    month_entries = (
        MonthEntry.select(MonthEntry, Campaign)
        .join(Campaign)
        .where(MonthEntry.organization == organization)
        .order_by(MonthEntry.created_at.desc(), MonthEntry.id.desc())
        .limit(upto)
    )
    entries += [Entry(m.created_at, "month_entry", m) for m in month_entries]
    notes = (
        OrgNote.select(OrgNote, User)
        .join(User, JOIN.LEFT_OUTER)
        .where(OrgNote.organization == organization)
        .order_by(OrgNote.created_at.desc(), OrgNote.id.desc())
        .limit(upto)
    )
    entries += [Entry(n.created_at, "note", n) for n in notes]
    if organization.reviewed_at and organization.status != OrgStatus.PENDING:
        entries.append(Entry(organization.reviewed_at, "reviewed", organization))
    entries.append(Entry(organization.created_at, "registered", organization))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    start = (page - 1) * TIMELINE_PAGE
    return entries[start:start + TIMELINE_PAGE], len(entries) > start + TIMELINE_PAGE


def annual_report_state(organization, today=None):
    """(the year whose 年报 is due now — last year —, whether the street has recorded it filed)."""
    year = (today or local_now().date()).year - 1
    return year, (organization.annual_report_year or 0) >= year
