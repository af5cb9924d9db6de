"""Writes for reports: open, save a section, add and remove photos, submit, accept, return; each audit-logged."""
from flask_babel import gettext as _
from PIL import Image

from blueprints.events import operations as event_operations
from blueprints.reports import queries
from core.errors import ValidationError
from core.policy import require
from core.uploads import UploadRefused, delete_stored, open_stored, store_photo
from models import AuditLog, Report, ReportPhoto, db, utcnow

MIN_PHOTOS, MAX_PHOTOS = 3, 9


def open_report(event, by):
    """The event's report, created as a draft (with its campaign or project) on first open."""
    report = Report.get_or_none(Report.event == event)
    if report is None:
        report = Report(event=event, created_by=by, campaign=event.campaign, project=event.project)
        require(by, "edit", report)
        report.save()
        AuditLog.record(by, "report.create", report, street=event.street)
    return report


def save(report, by, changes):
    """Save one section's ``changes`` (from its form: whole numbers or None, stripped texts); an attendance that
    differs from the check-ins needs its reason."""
    require(by, "edit", report)
    checked_in = queries.attendance(report.event)["total"]
    attendance = changes.get("attendance", report.attendance)
    reason = changes.get("attendance_reason", report.attendance_reason)
    if "attendance" in changes and attendance is not None and attendance != checked_in and not reason:
        raise ValidationError({"attendance_reason": _("人数与签到人数不同，请说明原因")})
    for name, value in changes.items():
        setattr(report, name, value)
    report.updated_at = utcnow()
    report.save()
    AuditLog.record(by, "report.save", report, street=report.event.street)


def add_photo(report, by, file_storage):
    require(by, "edit", report)
    if file_storage is None or not file_storage.filename:
        raise ValidationError({"photo": _("请选择一张照片")})
    if ReportPhoto.select().where(ReportPhoto.report == report).count() >= MAX_PHOTOS:
        raise ValidationError({"photo": _("最多 %(n)s 张照片", n=MAX_PHOTOS)})
    try:
        stored = store_photo(file_storage)
    except UploadRefused as error:
        reason = str(error)
        if reason == _("文件已损坏或不是它声称的类型"):
            reason = _("无法作为图片读取：文件已损坏或不是照片")
        raise ValidationError({"photo": _("「%(name)s」没有上传：%(reason)s", name=file_storage.filename[:60],
                                         reason=reason)}) from None
    with Image.open(open_stored(stored.key)) as image:
        width, height = image.size
    photo = ReportPhoto.create(report=report, key=stored.key, size=stored.size, width=width, height=height,
                               uploaded_by=by)
    AuditLog.record(by, "report.photo_add", report, street=report.event.street)
    return photo


def delete_photo(photo, by):
    require(by, "edit", photo.report)
    photo.delete_instance()
    delete_stored(photo.key)
    AuditLog.record(by, "report.photo_delete", photo.report, street=photo.report.event.street)


def submit(report, by):
    """Send the report to the street office: it needs 3–9 photos and the texts."""
    require(by, "submit", report)
    errors = {}
    count = ReportPhoto.select().where(ReportPhoto.report == report).count()
    if not MIN_PHOTOS <= count <= MAX_PHOTOS:
        errors["photo"] = _("需要 %(a)s 到 %(b)s 张照片（现在 %(n)s 张）", a=MIN_PHOTOS, b=MAX_PHOTOS, n=count)
    if not report.outcomes:
        errors["outcomes"] = _("请填写活动成效")
    if not report.problems:
        errors["problems"] = _("请填写问题与改进")
    if report.beneficiaries is None:
        errors["beneficiaries"] = _("请填写受益人数")
    if errors:
        raise ValidationError(errors)
    report.status, report.submitted_at, report.updated_at = "submitted", utcnow(), utcnow()
    report.save()
    AuditLog.record(by, "report.submit", report, street=report.event.street)


def accept(report, by):
    """The street office accepts: the event becomes 已报告."""
    require(by, "accept", report)
    with db.atomic():
        report.status, report.decided_by, report.decided_at, report.return_note = "accepted", by, utcnow(), ""
        report.save()
        AuditLog.record(by, "report.accept", report, street=report.event.street)
        event = report.event
        if event.current_status != "reported":
            event_operations._apply(event, by, "report")


def return_report(report, by, note):
    require(by, "return", report)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"reason": _("请写明需要修改的内容")})
    report.status, report.return_note, report.decided_by, report.decided_at = "returned", note, by, utcnow()
    report.save()
    AuditLog.record(by, "report.return", report, detail=note, street=report.event.street)
