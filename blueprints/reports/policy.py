"""Who may see, write, submit and review a report."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.access import can_watch_street, membership_of
from core.errors import LifecycleError
from core.policy import Policy, member, watcher
from models import EventStatus, Report

EDITABLE = {"draft", "returned"}
STATUS_LABELS = {"draft": _l("草稿"), "submitted": _l("已提交，待街镇审核"), "returned": _l("已退回修改"),
                 "accepted": _l("已通过")}


class ReportPolicy(Policy):
    model = Report

    def view(self, user, report):
        """The organization's members, its street's moderator, the district admin."""
        event = report.event
        if membership_of(user, event.organization) is None and not can_watch_street(user, event.street):
            member(user, event.organization)

    def edit(self, user, report):
        """The organization's admins, after the event has ended, while it is a draft or returned."""
        member(user, report.event.organization, admin=True)
        if report.event.current_status not in (EventStatus.ENDED, EventStatus.REPORTED):
            raise LifecycleError(_("活动结束后才能填写报告"))
        if report.status not in EDITABLE:
            raise LifecycleError(_("报告已提交，不能再修改"))

    def submit(self, user, report):
        self.edit(user, report)

    def accept(self, user, report):
        """The street office of the event's street decides on a submitted report."""
        watcher(user, report.event.street, _("只有活动所在街镇的管理员可以审核"))
        if report.status != "submitted":
            raise LifecycleError(_("报告当前不在待审核状态"))

    def return_(self, user, report):
        self.accept(user, report)
