"""Who may look at a signal and close it: the watchers of its street."""
from flask_babel import gettext as _

from core.errors import LifecycleError
from core.policy import Policy, watcher
from models import Signal


class SignalPolicy(Policy):
    model = Signal

    def view(self, user, signal):
        """Its street's moderator, the district admin."""
        watcher(user, signal.street)

    def close(self, user, signal):
        """已查看: an open signal, by its street's watchers."""
        watcher(user, signal.street, _("只有本街镇的管理员可以处理风险提示"))
        if signal.status != "open":
            raise LifecycleError(_("这条风险提示已经处理过了"))
