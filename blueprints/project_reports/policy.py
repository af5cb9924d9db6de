"""Who may read, write, submit and review a project's mid-term or final report."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.access import can_watch_street, membership_of
from core.errors import LifecycleError, PermissionDenied
from core.policy import Policy, member
from core.timeutil import local_now
from models import ProjectReport

EDITABLE = {"draft", "returned"}
KIND_LABELS = {"midterm": _l("中期报告"), "final": _l("结项报告")}
STATUS_LABELS = {"draft": _l("草稿"), "submitted": _l("已提交，待区管理员审核"), "returned": _l("已退回修改"),
                 "accepted": _l("已通过")}


def is_district_admin_of(user, proposal):
    """The admin of the district whose contest funded the project."""
    return bool(user.is_authenticated and user.is_district_admin and user.district_id is not None
                and user.district_id == proposal.campaign.district_id)


def final_open(proposal):
    """A final report may be written once the mid-term report was accepted, or once the project's period is over."""
    if proposal.ends_on is not None and local_now().date() > proposal.ends_on:
        return True
    return (ProjectReport.select().where(ProjectReport.project == proposal.id, ProjectReport.kind == "midterm",
                                         ProjectReport.status == "accepted").exists())


class ProjectReportPolicy(Policy):
    model = ProjectReport

    def view(self, user, report):
        """The organization's members, its street's moderator, the district admin."""
        proposal = report.project
        if is_district_admin_of(user, proposal) or can_watch_street(user, proposal.organization.street):
            return
        if membership_of(user, proposal.organization) is None:
            member(user, proposal.organization)

    def edit(self, user, report):
        """The organization's admins, while it is a draft or returned; the final one after the mid-term."""
        member(user, report.project.organization, admin=True)
        if not report.project.is_project:
            raise LifecycleError(_("这个申报书还不是立项项目"))
        if report.status not in EDITABLE:
            raise LifecycleError(_("报告已提交，不能再修改"))
        if report.kind == "final" and not final_open(report.project):
            raise LifecycleError(_("中期报告通过后（或项目周期结束后）才能填写结项报告"))

    def submit(self, user, report):
        self.edit(user, report)

    def accept(self, user, report):
        """The district admin of the contest decides on a submitted report."""
        if not is_district_admin_of(user, report.project):
            raise PermissionDenied(_("只有本区的区管理员可以审核项目报告"))
        if report.status != "submitted":
            raise LifecycleError(_("报告当前不在待审核状态"))

    def return_(self, user, report):
        self.accept(user, report)
