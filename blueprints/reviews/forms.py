"""The forms of review: add a reviewer, N reviewers per proposal, declare 回避."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from core.forms import Form


class AddReviewerForm(Form):
    reviewer = SelectField(_l("评审专家"), [DataRequired(_l("请选择评审专家"))], coerce=str, validate_choice=False)


class AutoAssignForm(Form):
    per_proposal = IntegerField(
        _l("每份申报书 N 位评审专家"),
        [InputRequired(_l("请填写人数")), NumberRange(1, 20, _l("请填写 1 到 20 之间的数"))],
    )


class ConflictForm(Form):
    organization = SelectField(_l("回避的组织"), [DataRequired(_l("请选择组织"))], coerce=str, validate_choice=False)
    note = StringField(_l("说明（选填）"), [Length(max=200, message=_l("最多 200 个字"))])
