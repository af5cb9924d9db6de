from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from core.forms import Form, PhoneField
from models import CheckIn

KEY_LENGTH = CheckIn.idempotency_key.max_length


class HotForm(Form):
    """A resident's form on the busiest page: CSRFProtect has checked its token before the view, so the form does
    not check it a second time (nor make a field for it: the page writes the token out itself)."""

    class Meta(Form.Meta):
        csrf = False


class CheckInForm(HotForm):
    name = StringField(_l("姓名"), [DataRequired(_l("请填写姓名")), Length(max=40, message=_l("姓名太长了"))])
    phone = PhoneField(_l("手机号"), [DataRequired(_l("请填写手机号"))])
    minor = BooleanField(_l("为未满 14 周岁的孩子签到"))
    consent = BooleanField(_l("我已阅读并同意上面的个人信息说明"), [DataRequired(_l("请先勾选同意个人信息说明"))])
    #: One random key per page view: a retried or double-tapped submission finds its first check-in. (Hidden fields
    #: have no label to show; an empty one spares WTForms looking one up in its catalog on every check-in.)
    key = HiddenField(label="")
    #: The form's pass (codes.form_pass): this page load, on this device, signed and dated.
    t = HiddenField(label="")


class OneTapForm(HotForm):
    """The remembered resident checks in with one tap."""

    key = HiddenField(label="")
    t = HiddenField(label="")


class ManualCheckInForm(Form):
    name = StringField(_l("姓名"), [DataRequired(_l("请填写姓名")), Length(max=40, message=_l("姓名太长了"))])
    phone = PhoneField(_l("手机号（没有可不填）"), [Optional()])
    #: One random key per page view, as on the residents' form; never longer than the column.
    key = HiddenField(validators=[Length(max=KEY_LENGTH, message=_l("页面已过期，请刷新后重新填写"))])


class UndoForm(Form):
    reason = TextAreaField(_l("撤销理由"), [DataRequired(_l("请写明撤销的理由")), Length(max=200)])
