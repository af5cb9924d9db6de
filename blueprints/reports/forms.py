"""The report's sections, each a form of its own: saved as it is written, in place with htmx."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional, Regexp

from core.forms import Form

#: The longest text of a section.
TEXT_MAX = 5000
COUNT = _l("请填写一个不小于 0 的整数")


def strip(value):
    return value.strip() if isinstance(value, str) else value


def count_field(label):
    """A number of people: empty, or a whole number (up to six digits)."""
    return StringField(label, [Optional(), Regexp(r"[0-9]{1,6}\Z", message=COUNT)], filters=[strip])


def text_field(label):
    return TextAreaField(label, [Length(max=TEXT_MAX, message=_l("最多 %(n)s 字", n=TEXT_MAX))], filters=[strip])


class SectionForm(Form):
    def changes(self):
        """The section's values as the report stores them: whole numbers (or None) and stripped texts; a field the
        request did not carry is left as it is."""
        values = {}
        for field in self:
            if field.name == "csrf_token" or not field.raw_data:
                continue
            if field.name in COUNTS:
                values[field.name] = int(field.data) if field.data else None
            else:
                values[field.name] = field.data or ""
        return values

    def values(self):
        """What was typed, to show again beside the messages."""
        return {field.name: field.data or "" for field in self if field.name != "csrf_token"}


COUNTS = ("attendance", "beneficiaries")


class AttendanceForm(SectionForm):
    """参加人数: the attendance (its reason when it differs from the check-ins) and the people who benefited."""

    attendance = count_field(_l("实际参加人数"))
    attendance_reason = text_field(_l("人数不同的原因"))
    beneficiaries = count_field(_l("受益人数"))


class OutcomesForm(SectionForm):
    """活动成效."""

    outcomes = text_field(_l("活动成效"))


class ProblemsForm(SectionForm):
    """问题与改进."""

    problems = text_field(_l("问题与改进"))


#: The form of each section, by the name the page posts in ``section``.
SECTIONS = {"attendance": AttendanceForm, "outcomes": OutcomesForm, "problems": ProblemsForm}
