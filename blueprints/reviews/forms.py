"""The forms of review: add a reviewer, N reviewers per proposal, declare 回避, the scoring sheet."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField
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


class CriterionScoreForm(Form):
    """One line of the scoring sheet, named ``criterion-<n>-score`` / ``criterion-<n>-comment`` (n: its position).

    The score stays text here: the operation reads it (half points, the criterion's range) and says what is wrong."""

    class Meta:
        csrf = False  # the sheet's own form carries the token

    score = StringField(_l("分数"), [Length(max=20, message=_l("请填写数字，如 17.5"))])
    comment = TextAreaField(_l("评语（选填）"), [Length(max=1000, message=_l("评语最多 1000 字"))])


class ScoreSheetForm(Form):
    """The scoring sheet: the overall comment (总体评价) and its CSRF token; the criteria are CriterionScoreForms."""

    comment = TextAreaField(_l("总体评价"), [Length(max=2000, message=_l("总体评价最多 2000 字"))])
