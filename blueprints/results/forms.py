"""The forms of the results: a decision in a ranking row, an objection on the public page, the admin's reply."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from core.forms import REQUIRED, Form, PhoneField

#: An objection's text, at most this many characters (字).
MAX_TEXT = 500


class DecisionForm(Form):
    """立项 (with the amount granted), 未立项, or clear: the decision is the button pressed."""

    decision = SelectField(
        _l("评审结果"), [DataRequired(_l("请选择立项或未立项"))],
        choices=[SelectChoice("funded", _l("立项")), SelectChoice("unfunded", _l("未立项")),
                 SelectChoice("clear", _l("清除"))],
        validate_choice=True,
    )
    amount = IntegerField(
        _l("资助金额（元）"),
        [Optional(), NumberRange(min=1, max=1_000_000_000, message=_l("请填写大于 0 的整数金额"))],
        invalid_value_message=_l("请填写整数金额，如 80000"),
    )


class ObjectionForm(Form):
    name = StringField(_l("您的姓名"), [DataRequired(REQUIRED), Length(max=40, message=_l("姓名不超过 40 个字"))],
                       render_kw={"autocomplete": "name"})
    phone = PhoneField(_l("手机号"), [DataRequired(REQUIRED)],
                       description=_l("只用于区社会组织管理局回复您，不会公开"))
    project = SelectField(_l("对哪个项目有异议（选填）"), coerce=str, validate_choice=False)
    text = TextAreaField(
        _l("异议内容"),
        [DataRequired(REQUIRED), Length(max=MAX_TEXT, message=_l("异议内容不超过 %(n)s 个字", n=MAX_TEXT))],
        description=_l("请写明事实和理由，不超过 %(n)s 个字", n=MAX_TEXT),
    )


class HandleForm(Form):
    reply = TextAreaField(_l("处理结果"), [DataRequired(_l("请写明处理结果")),
                                       Length(max=1000, message=_l("处理结果不超过 1000 个字"))])
