"""Moderation queues: one row renderer and one decision fragment for every kind a street office decides on
(organizations and events today; proposals and reports next).

A feature describes one waiting object as a ``QueueItem`` (its summary template, its two decisions) and answers a
decision with ``decided``: in place, the row in its new state, and any refusal in the page's message area at once
(an out-of-band swap); without htmx, a redirect back to the queue with the message.
"""
from dataclasses import dataclass

from flask import flash, redirect, render_template

from core.errors import LifecycleError, ValidationError
from core.forms import ReasonForm, apply_errors
from core.htmx import wants_fragment


@dataclass
class Decision:
    """One way to decide: where it posts and what its button says; a rejection also asks why."""

    url: str
    label: str
    #: For a rejection: the reason's label (the organization reads it) and the confirming button.
    reason_label: str = ""
    confirm: str = ""


@dataclass
class QueueItem:
    """What a queue shows of one object: its summary, and its decisions while it waits, else its outcome."""

    obj: object
    #: The row's element id, e.g. ``event-12``: what an in-place decision replaces.
    dom_id: str
    title: str
    href: str
    #: The template of its summary lines, rendered with ``item``.
    summary: str
    #: The queue's own address (with its anchor), where a decision without htmx returns.
    queue_url: str
    #: The status it is in now, with its label and the note that goes with it (a reason, say).
    status: str
    status_label: str
    note: str = ""
    approve: Decision | None = None
    reject: Decision | None = None
    #: A third way, where a queue offers it: back for revision, with a comment and a date (``revise_by``) to
    #: resubmit by.
    revise: Decision | None = None
    #: The id of the form that decides several at once, when the queue offers one.
    batch_form: str = ""

    @property
    def waiting(self):
        """Its decisions are offered (the policy says the viewer may take them now)."""
        return self.approve is not None or self.reject is not None or self.revise is not None


def message(text, category="error"):
    """A message for the page's message area, swapped in out of band beside an htmx answer."""
    return render_template("_message_oob.html", text=text, category=category)


def decided(item, *, form=None, error=None, status=200):
    """The answer to a decision on ``item``: the row in its new state, and ``error`` (if it was refused) at once."""
    form = form if form is not None else ReasonForm(formdata=None)
    if wants_fragment():
        html = render_template("_queue_row.html", item=item, reason_form=form)
        return (html + message(error) if error else html), status
    for text in [error] if error else [e for errors in form.errors.values() for e in errors]:
        flash(text, "error")
    return redirect(item.queue_url, code=303)


def decide(item_for, obj, operation, form=None):
    """Run ``operation`` on ``obj`` and answer with ``item_for(obj)``'s row.

    Input the form or the operation refuses comes back beside the reason field (422); a decision someone else took
    first comes back as the row in its present state, with the reason in the message area.
    """
    if form is not None and not form.validate():
        return decided(item_for(obj), form=form, status=422)
    try:
        operation()
    except ValidationError as error:
        apply_errors(form, error)
        return decided(item_for(obj), form=form, status=422)
    except LifecycleError as error:
        return decided(item_for(type(obj).get_by_id(obj.id)), error=str(error))
    return decided(item_for(obj))
