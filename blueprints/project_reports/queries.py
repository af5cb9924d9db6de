"""Reads for project reports: a project's reports and its events' reports, the district admin's queue, 待办."""
from peewee import JOIN

from blueprints.projects.queries import checkin_counts
from models import Campaign, Event, EventStatus, Membership, Organization, ProjectReport, Proposal, Report
from models.reports import PROJECT_REPORT_KINDS


def reports_of(proposal):
    """{kind: its report, or None when not started}, for both kinds."""
    found = {r.kind: r for r in ProjectReport.select().where(ProjectReport.project == proposal.id)}
    return {kind: found.get(kind) for kind in PROJECT_REPORT_KINDS}


def report_or_none(proposal, kind):
    return ProjectReport.get_or_none(ProjectReport.project == proposal.id, ProjectReport.kind == kind)


def event_reports(proposal):
    """The project's linked events (not cancelled), latest first, each with ``checkin_count`` and its ``report``
    (or None), in three queries."""
    events = list(
        Event.select(Event, Report).join(Report, JOIN.LEFT_OUTER, on=(Report.event == Event.id), attr="report")
        .where(Event.project == proposal.id, Event.status != EventStatus.CANCELLED)
        .order_by(Event.starts_at.desc(), Event.id.desc())
    )
    counts = checkin_counts(events)
    for event in events:
        event.checkin_count = counts.get(event.id, 0)
        if getattr(event, "report", None) is not None and event.report.id is None:
            event.report = None
    return events


def waiting(user):
    """Submitted reports of the projects the district admin's district funded, the oldest first."""
    if not (user.is_authenticated and user.is_district_admin and user.district_id is not None):
        return ProjectReport.select().where(False)
    return (
        ProjectReport.select(ProjectReport, Proposal, Campaign, Organization)
        .join(Proposal).join(Campaign).switch(Proposal).join(Organization)
        .where(Campaign.district == user.district_id, ProjectReport.status == "submitted")
        .order_by(ProjectReport.submitted_at, ProjectReport.id)
    )


def district_report_or_none(user, report_id):
    """A report of the user's district's projects (the district admin's), or None."""
    if not (user.is_authenticated and user.is_district_admin and user.district_id is not None):
        return None
    return (ProjectReport.select().join(Proposal).join(Campaign)
            .where(ProjectReport.id == report_id, Campaign.district == user.district_id).first())


def waiting_count(user):
    """待办 of the district admin: how many project reports wait for a decision."""
    return waiting(user).count()


def returned_for(user):
    """待办 of an org admin: project reports of their organizations returned for revision."""
    if not user.is_authenticated:
        return []
    admin_of = Membership.select(Membership.organization).where(Membership.user == user.id, Membership.role == "admin")
    return list(
        ProjectReport.select(ProjectReport, Proposal).join(Proposal)
        .where(Proposal.organization.in_(admin_of), ProjectReport.status == "returned")
        .order_by(ProjectReport.decided_at.desc(), ProjectReport.id)
    )
