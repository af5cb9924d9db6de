from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from core.forms import REQUIRED, Form, PhoneField, new_password_field


class StaffForm(Form):
    """A district admin creates a moderator or reviewer account."""

    role = SelectField(
        _l("角色"),
        choices=[SelectChoice("street_moderator", _l("街镇管理员")), SelectChoice("reviewer", _l("评审专家"))],
    )
    street = SelectField(_l("所属街镇（街镇管理员必选）"), coerce=str, validate_choice=False)
    name = StringField(_l("姓名"), [DataRequired(REQUIRED), Length(max=40)])
    phone = PhoneField(_l("手机号"), [DataRequired(REQUIRED)])
    password = new_password_field(_l("初始密码"))
