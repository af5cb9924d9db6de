"""Who may do what: one policy per object kind, asked alike by operations (``require``), views and templates (``can``).

A feature declares the policy of its object kind as a subclass of ``Policy``: one method per action, taking the user
and the object, that returns quietly when the user may act and raises PermissionDenied (the wrong person) or
LifecycleError (the wrong moment) with the reason in Chinese. When the kind has a lifecycle, an action it names is
also refused in a state it cannot start from. So the button a template shows, the view's check and the operation's
refusal all come from the same few lines.
"""
import keyword

from flask import abort
from flask_babel import gettext as _

from core.access import can_watch_street, membership_of
from core.errors import LifecycleError, PermissionDenied

#: model class → its policy (filled in as the features declare theirs).
POLICIES = {}


class Policy:
    """The rules of one object kind; an action that is a Python keyword (``return``) is its method ``return_``."""

    #: The model whose objects this policy speaks for.
    model = None
    #: The kind's Lifecycle, when it has one.
    lifecycle = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        POLICIES[cls.model] = cls()


def require(user, action, obj):
    """Return quietly when ``user`` may do ``action`` to ``obj`` now; raise PermissionDenied or LifecycleError."""
    policy = POLICIES[type(obj)]  # a LocalProxy (current_user) is never the object: pass the object itself
    getattr(policy, action + "_" if keyword.iskeyword(action) else action)(user, obj)
    if policy.lifecycle is not None and action in policy.lifecycle:
        policy.lifecycle.check(obj, action)


def can(user, action, obj):
    """True when ``user`` may do ``action`` to ``obj`` now (templates: ``can('publish', event)``)."""
    try:
        require(user, action, obj)
    except (PermissionDenied, LifecycleError):
        return False
    return True


def visible_or_404(model, object_id, user):
    """The ``model`` row ``object_id`` when ``user`` may ``view`` it; else a 404, so nobody learns that it exists."""
    obj = model.get_or_none(model.id == object_id)
    if obj is None or not can(user, "view", obj):
        abort(404)
    return obj


def member(user, organization, admin=False):
    """The user's membership of ``organization`` (its admins' only, with ``admin``), or PermissionDenied."""
    membership = membership_of(user, organization)
    if membership is None or (admin and membership.role != "admin"):
        raise PermissionDenied(_("只有本组织的管理员可以这样做") if admin else _("只有本组织的成员可以这样做"))
    return membership


def watcher(user, street, message=None):
    """PermissionDenied unless ``user`` watches over ``street`` (its moderator, or the admin of its district)."""
    if not can_watch_street(user, street):
        raise PermissionDenied(message or _("只有本街镇的管理员可以这样做"))
