from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from core.forms import REQUIRED, Form, PhoneField, new_password_field


class LoginForm(Form):
    phone = PhoneField(_l("手机号"), [DataRequired(REQUIRED)])
    password = PasswordField(_l("密码"), [DataRequired(REQUIRED)])
    remember = BooleanField(_l("记住我（30 天内免登录，家人共用的手机请不要勾选）"))


class SignupForm(Form):
    name = StringField(_l("姓名"), [DataRequired(REQUIRED), Length(max=40, message=_l("姓名太长了"))])
    phone = PhoneField(_l("手机号"), [DataRequired(REQUIRED)])
    password = new_password_field(_l("密码"))
    confirm = PasswordField(
        _l("再输入一次密码"), [DataRequired(REQUIRED), EqualTo("password", _l("两次输入的密码不一致"))]
    )


class PasswordForm(Form):
    """Change one's own password; the new one may not contain the account's phone number."""

    def __init__(self, account, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.account_phone = account.phone

    current = PasswordField(_l("当前密码"), [DataRequired(REQUIRED)])
    password = new_password_field(_l("新密码"))
    confirm = PasswordField(
        _l("再输入一次新密码"), [DataRequired(REQUIRED), EqualTo("password", _l("两次输入的密码不一致"))]
    )
