"""The correction form: the hours that count and why."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length

from core.forms import Form


class CorrectForm(Form):
    """Validated by the operation (half hours, 0–24, a reason), so its messages sit beside the fields."""

    hours = StringField(_l("时长（小时）"), [Length(max=10, message=_l("请填写时长，如 1.5"))])
    reason = StringField(_l("修改理由"), [Length(max=200, message=_l("理由最多 200 个字"))])
