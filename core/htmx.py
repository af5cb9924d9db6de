"""htmx: page or fragment, and messages swapped into the page's message area."""
from flask import g, render_template, request


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


#: The furthest page a list goes: far beyond any list here, and its offset stays far inside what a database counts.
MAX_PAGE = 100_000


def page_arg():
    """The ``?page=`` of a "load more" list: 1 unless a number, and never beyond MAX_PAGE (an empty page there)."""
    return min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
