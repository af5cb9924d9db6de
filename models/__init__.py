"""The peewee models of 宁社通, by subject; this package re-exports them so callers import from ``models``.

The schema itself comes only from ``migrations/``; these classes describe it
for queries, and ``tests/test_migrations.py`` proves the two agree.
"""
from models.accounts import AuditLog, User
from models.base import (
    PG_TYPES,
    BaseModel,
    db,
    execute_prepared,
    for_update,
    new_token,
    serialising_transaction,
    utcnow,
)
from models.campaigns import (
    CAMPAIGN_KINDS,
    CAMPAIGN_PHASES,
    ENTRY_STATUSES,
    SCORING_RULES,
    Campaign,
    Category,
    Criterion,
    Extension,
    MonthEntry,
)
from models.events import EVENT_STATUSES, CheckIn, CheckInCounter, Event, EventStatus, Signup
from models.orgs import (
    GRADES,
    ORG_KINDS,
    ORG_STATUSES,
    PARTY_ORGS,
    SERVICE_FIELDS,
    Invite,
    Membership,
    Organization,
    OrgStatus,
)
from models.oversight import NOTE_KINDS, SIGNAL_KINDS, SIGNAL_STATUSES, OrgNote, Signal
from models.partners import NEED_CATEGORIES, NEED_KINDS, NEED_STATUSES, Need, Response
from models.places import District, Street
from models.proposals import DECISIONS, PROPOSAL_STATUSES, Objection, Proposal, ProposalFile
from models.reports import PROJECT_REPORT_KINDS, REPORT_STATUSES, ProjectReport, Report, ReportPhoto, Shift
from models.reviews import Assignment, Conflict, Score

MODELS = [District, Street, User, Organization, Membership, Invite, AuditLog, Event, Signup, CheckIn, CheckInCounter,
          Campaign, Category, Criterion, Proposal, ProposalFile, Extension,
          Assignment, Conflict, Score, Objection, MonthEntry, Need, Response,
          Shift, Report, ReportPhoto, ProjectReport, OrgNote, Signal]

__all__ = [
    "CAMPAIGN_KINDS", "CAMPAIGN_PHASES", "DECISIONS", "ENTRY_STATUSES", "EVENT_STATUSES", "GRADES", "MODELS",
    "NOTE_KINDS", "SIGNAL_KINDS", "SIGNAL_STATUSES", "OrgNote", "Signal",
    "ORG_KINDS", "ORG_STATUSES", "NEED_CATEGORIES", "NEED_KINDS", "NEED_STATUSES", "PARTY_ORGS", "PROJECT_REPORT_KINDS",
    "PROPOSAL_STATUSES",
    "REPORT_STATUSES", "SCORING_RULES", "SERVICE_FIELDS", "Assignment", "AuditLog", "BaseModel", "Campaign",
    "Category", "CheckIn", "CheckInCounter", "Conflict", "Criterion", "District", "Event", "EventStatus", "Extension",
    "Invite", "Membership", "MonthEntry", "Need", "Objection", "Organization", "OrgStatus", "ProjectReport", "Proposal",
    "ProposalFile", "Report", "ReportPhoto", "Response", "Score", "Shift", "Signup", "Street", "User", "db",
    "PG_TYPES", "execute_prepared", "for_update", "new_token", "serialising_transaction", "utcnow",
]
