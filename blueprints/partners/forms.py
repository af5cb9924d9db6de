"""The need (or offer) an organization posts, and the response another side sends."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from core.forms import REQUIRED, Form, PhoneField
from core.templating import choices


class NeedForm(Form):
    #: Shown only when the admin runs more than one admitted organization.
    organization = SelectField(_l("发布组织"), coerce=str, validate_choice=False)
    kind = RadioField(_l("类型"), choices=[SelectChoice("need", _l("需求：我们需要")),
                                              SelectChoice("offer", _l("资源：我们可以提供"))],
                      default="need", validate_choice=False)
    category = SelectField(_l("类别"), [DataRequired(_l("请选择类别"))], choices=choices("need_category"),
                           validate_choice=False)
    title = StringField(_l("标题"), [DataRequired(REQUIRED), Length(max=80, message=_l("标题不超过 80 个字"))],
                        description=_l("一句话说清楚，如：周末助老活动需要 10 名志愿者"))
    description = TextAreaField(_l("说明"),
                                [DataRequired(REQUIRED), Length(max=2000, message=_l("说明不超过 2000 字"))],
                                description=_l("要做什么、需要多少、什么时间"))
    street = SelectField(_l("所在街镇（由该街镇审核发布）"), [DataRequired(_l("请选择街镇"))], coerce=str,
                         validate_choice=False)
    deadline = DateField(_l("截止日期"), [InputRequired(_l("请选择截止日期"))], format="%Y-%m-%d",
                         invalid_value_message=_l("请选择截止日期"))
    contact_name = StringField(_l("联系人"), [DataRequired(REQUIRED), Length(max=40, message=_l("姓名太长了"))],
                               description=_l("只有回应的一方能看到联系方式"))
    contact_phone = PhoneField(_l("联系电话"), [DataRequired(REQUIRED)])


class ResponseForm(Form):
    message = TextAreaField(_l("留言"), [DataRequired(REQUIRED), Length(max=1000, message=_l("留言不超过 1000 字"))],
                            description=_l("能提供什么、怎么合作"))
    contact_name = StringField(_l("联系人"), [DataRequired(REQUIRED), Length(max=40, message=_l("姓名太长了"))],
                               description=_l("只有发布方能看到您的联系方式"))
    contact_phone = PhoneField(_l("联系电话"), [DataRequired(REQUIRED)])
