from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from core.forms import PhoneField

REQUIRED = _l("请填写这一项")


class LoginForm(FlaskForm):
    phone = PhoneField(_l("手机号"), [DataRequired(REQUIRED)])
    password = PasswordField(_l("密码"), [DataRequired(REQUIRED)])
    remember = BooleanField(_l("记住我（30 天内免登录，家人共用的手机请不要勾选）"))


def new_password_field(label):
    return PasswordField(
        label, [DataRequired(REQUIRED), Length(min=8, max=128, message=_l("密码至少 8 位"))], description=_l("至少 8 位")
    )


class SignupForm(FlaskForm):
    name = StringField(_l("姓名"), [DataRequired(REQUIRED), Length(max=40, message=_l("姓名太长了"))])
    phone = PhoneField(_l("手机号"), [DataRequired(REQUIRED)])
    password = new_password_field(_l("密码"))
    confirm = PasswordField(_l("再输入一次密码"), [DataRequired(REQUIRED), EqualTo("password", _l("两次输入的密码不一致"))])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("当前密码"), [DataRequired(REQUIRED)])
    password = new_password_field(_l("新密码"))
    confirm = PasswordField(_l("再输入一次新密码"), [DataRequired(REQUIRED), EqualTo("password", _l("两次输入的密码不一致"))])


class StaffForm(FlaskForm):
    """A district admin creates a moderator or reviewer account."""

    role = SelectField(_l("角色"), choices=[SelectChoice("street_moderator", _l("街镇管理员")), SelectChoice("reviewer", _l("评审专家"))])
    street = SelectField(_l("所属街镇（街镇管理员必选）"), coerce=str, validate_choice=False)
    name = StringField(_l("姓名"), [DataRequired(REQUIRED), Length(max=40)])
    phone = PhoneField(_l("手机号"), [DataRequired(REQUIRED)])
    password = new_password_field(_l("初始密码"))
