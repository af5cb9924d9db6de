"""Writes for project reports: save (a draft on first save), submit, accept, return; each audit-logged."""
from decimal import Decimal

from flask_babel import gettext as _

from core.errors import ValidationError
from core.policy import require
from models import AuditLog, ProjectReport, db, utcnow

TEXTS = ("progress", "spending", "next_steps")
FIELDS = (*TEXTS, "spent", "beneficiaries")


def _street(report):
    return report.project.organization.street_id


def _check_spent(report, spent):
    granted = report.project.amount_granted or 0
    if spent is not None and Decimal(spent) > Decimal(granted):
        raise ValidationError({"spent": _("已使用金额不能超过资助金额 %(amount)s 元", amount=f"{granted:,}")})


def save(proposal, kind, by, values, report=None):
    """Save the report's fields (creating the draft on the first save); the amount spent at most the grant."""
    report = report or ProjectReport(project=proposal, kind=kind, created_by=by)
    require(by, "edit", report)
    _check_spent(report, values.get("spent"))
    with db.atomic():
        created = report.id is None
        for name in FIELDS:
            if name in values:
                value = values[name]
                setattr(report, name, (value or "").strip() if name in TEXTS else value)
        report.updated_at = utcnow()
        report.save()
        AuditLog.record(by, "project_report.create" if created else "project_report.save", report,
                        detail=f"project {proposal.id} {kind}", street=_street(report))
    return report


def submit(report, by):
    """Send the report to the district admin: it needs the progress, the spending, the amount spent and the number
    of beneficiaries."""
    require(by, "submit", report)
    errors = {}
    if not report.progress:
        errors["progress"] = _("请填写项目进展与成效")
    if not report.spending:
        errors["spending"] = _("请填写资金使用情况")
    if report.spent is None:
        errors["spent"] = _("请填写已使用资助金额")
    if report.beneficiaries is None:
        errors["beneficiaries"] = _("请填写受益人数")
    if errors:
        raise ValidationError(errors)
    _check_spent(report, report.spent)
    report.status, report.submitted_at, report.updated_at = "submitted", utcnow(), utcnow()
    report.save()
    AuditLog.record(by, "project_report.submit", report, detail=report.kind, street=_street(report))


def accept(report, by):
    require(by, "accept", report)
    report.status, report.decided_by, report.decided_at, report.return_note = "accepted", by, utcnow(), ""
    report.save()
    AuditLog.record(by, "project_report.accept", report, detail=report.kind, street=_street(report))


def return_report(report, by, note):
    """Back to the organization with what to change; it corrects and submits again."""
    require(by, "return", report)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"reason": _("请写明需要修改的内容")})
    report.status, report.return_note, report.decided_by, report.decided_at = "returned", note, by, utcnow()
    report.save()
    AuditLog.record(by, "project_report.return", report, detail=note, street=_street(report))
