"""The correction form: the hours that count and why; the dates of the organization's hours."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional

from core.forms import Form


class CorrectForm(Form):
    """Validated by the operation (half hours, 0–24, a reason), so its messages sit beside the fields."""

    hours = StringField(_l("时长（小时）"), [Length(max=10, message=_l("请填写时长，如 1.5"))])
    reason = StringField(_l("修改理由"), [Length(max=200, message=_l("理由最多 200 个字"))])


#: The dates the hours page takes: wide enough for any real record, narrow enough that a day after the last one
#: and its Shanghai midnight in UTC stay within the calendar.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _day(label):
    return DateField(label, [Optional()], format="%Y-%m-%d", invalid_value_message=_l("请按 2026-01-31 的格式选择日期"))


class HoursForm(Form):
    """从 … 到 … of the organization's hours: a GET form that changes nothing, so no CSRF token. Its fields are named
    ``from`` and ``to`` (the query string the CSV link repeats); ``from``, a Python keyword, is set below."""

    class Meta:
        csrf = False

    to = _day(_l("结束日期"))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for name in ("from", "to"):
            day = self[name].data
            if day and not self[name].errors and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self[name].errors = [_l("请选择 %(a)s 年至 %(b)s 年之间的日期", a=FIRST_YEAR, b=LAST_YEAR)]
                valid = False
        start, end = self["from"].data, self["to"].data
        if valid and start and end and start > end:
            self["to"].errors = [_l("结束日期不能早于开始日期")]
            valid = False
        return valid


setattr(HoursForm, "from", _day(_l("开始日期")))  # noqa: B010 (a keyword: no other way to name it)
