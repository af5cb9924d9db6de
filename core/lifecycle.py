"""Lifecycles: which actions move an object from which states to which, applied with the audit log in one transaction.

Each object kind with a status declares one ``Lifecycle`` (events and organizations today; proposals, reports and
signals next). Operations call ``apply``; policies ask ``allows`` so that a button shows only where the action
would succeed.
"""
from flask_babel import gettext as _

from core.errors import LifecycleError
from core.templating import label
from models import AuditLog, db


class Lifecycle:
    """The allowed transitions of one object kind: ``{action: (statuses it may start from, status it leads to)}``.

    ``kind`` names the audit log's actions (``event.publish``); ``labels`` is the label group of its statuses.
    ``status_of(obj, action)`` is the status an action sees (by default the stored one), ``stored(statuses)`` the
    stored statuses those may stand for; ``refusal(obj, status)`` says in Chinese why an action is not possible now.
    """

    def __init__(self, kind, transitions, *, labels, status_of=None, stored=None, refusal=None):
        self.kind = kind
        self.transitions = {action: (frozenset(sources), target) for action, (sources, target) in transitions.items()}
        self.labels = labels
        self._status_of = status_of or (lambda obj, action: obj.status)
        self._stored = stored or (lambda statuses: statuses)
        self._refusal = refusal

    def __contains__(self, action):
        return action in self.transitions

    def allows(self, obj, action):
        """True when ``action`` may start from the state ``obj`` is in."""
        return self._status_of(obj, action) in self.transitions[action][0]

    def check(self, obj, action):
        """Raise LifecycleError, saying why, when ``action`` may not start from the state ``obj`` is in."""
        if not self.allows(obj, action):
            raise LifecycleError(self.refusal(obj, action))

    def refusal(self, obj, action):
        status = self._status_of(obj, action)
        if self._refusal is not None:
            return self._refusal(obj, status)
        return _("当前状态（%(status)s）不能进行这项操作", status=label(status, self.labels))

    def apply(self, obj, action, by, *, detail="", street=None, **changes):
        """Move ``obj`` along ``action``: its new status and ``changes`` saved, the audit log written,
        in one transaction.

        The update happens only if the stored status is still one the action starts from, so when someone else
        acted first (two moderators, one queue), nothing is written and LifecycleError says what happened instead.
        """
        self.check(obj, action)
        sources, target = self.transitions[action]
        model = type(obj)
        values = {**changes, "status": target}
        with db.atomic():
            moved = (
                model.update({getattr(model, name): value for name, value in values.items()})
                .where(model.id == obj.id, model.status.in_(self._stored(sources)))
                .execute()
            )
            if not moved:
                obj.status = model.get_by_id(obj.id).status
                raise LifecycleError(self.refusal(obj, action))
            for name, value in values.items():
                setattr(obj, name, value)
            AuditLog.record(by, f"{self.kind}.{action}", obj, detail=detail, street=street)
        return obj
