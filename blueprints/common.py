"""Small pieces the feature blueprints share: operation errors and page-or-fragment rendering."""
from flask import g, render_template, request


class ValidationError(Exception):
    """An operation refused its input; ``errors`` maps field names to Chinese messages."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors if isinstance(errors, dict) else {"": str(errors)}


class PermissionDenied(Exception):
    """An operation refused its actor (views answer 403)."""


class LifecycleError(Exception):
    """An operation is not possible in the object's current state (views say why and go back)."""


def wants_fragment():
    """True for an htmx request that swaps a part of the page (not a boosted page or a history restore)."""
    g.vary_hx = True
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render_part(page, fragment, /, **context):
    """The whole ``page`` for a normal request, only ``fragment`` for an htmx swap."""
    return render_template(fragment if wants_fragment() else page, **context)


def apply_errors(form, error):
    """Put an operation's field messages beside the fields of ``form``."""
    for name, message in error.errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + [message]
        else:
            form.form_errors.append(message)
