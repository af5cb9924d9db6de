"""Who may link events to a funded project: the admins of its organization, while it is a project."""
from flask_babel import gettext as _

from core.errors import LifecycleError
from core.policy import Policy, member


class Project:
    """A proposal seen as its organization's funded project: the object ProjectPolicy speaks for (the proposal's own
    policy covers writing and checking it)."""

    def __init__(self, proposal):
        self.proposal = proposal

    @property
    def id(self):
        return self.proposal.id


class ProjectPolicy(Policy):
    model = Project

    def link(self, user, project):
        """Link or unlink events: the organization's admins, once the results are published."""
        member(user, project.proposal.organization, admin=True)
        if not project.proposal.is_project:
            raise LifecycleError(_("这个申报书还不是立项项目"))
