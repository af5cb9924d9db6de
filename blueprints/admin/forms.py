from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from core.forms import REQUIRED, Form, PhoneField, new_password_field


class StaffForm(Form):
    """A district admin creates a moderator, reviewer or partner account."""

    role = SelectField(
        _l("角色"),
        choices=[SelectChoice("street_moderator", _l("街镇管理员")), SelectChoice("reviewer", _l("评审专家")),
                 SelectChoice("partner", _l("公益伙伴（企业、基金会）"))],
    )
    street = SelectField(_l("所属街镇（街镇管理员必选）"), coerce=str, validate_choice=False)
    #: A partner's company or foundation.
    affiliation = StringField(_l("所在单位（公益伙伴必填）"), [Length(max=100)],
                              description=_l("企业或基金会的名称，如：上海某某科技有限公司"))
    name = StringField(_l("姓名"), [DataRequired(REQUIRED), Length(max=40)])
    phone = PhoneField(_l("手机号"), [DataRequired(REQUIRED)])
    password = new_password_field(_l("初始密码"))
