"""The note a moderator writes when marking a signal as looked at."""
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from core.forms import Form


class CloseForm(Form):
    note = TextAreaField(_l("查看情况"), [DataRequired(_l("请写下查看的情况，例如已电话联系")), Length(max=1000)],
                         description=_l("写下您核实了什么、怎样处理；有新的数据时会再次提示。"))
