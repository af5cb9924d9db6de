from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from core.forms import REQUIRED, CheckboxesField, CreditCodeField, Form, PhoneField, ReasonForm
from core.templating import choices
from models import Street


class OrganizationForm(Form):
    name = StringField(_l("组织名称"), [DataRequired(REQUIRED), Length(max=100, message=_l("名称不超过 100 个字"))])
    kind = RadioField(_l("组织类型"), [DataRequired(_l("请选择组织类型"))], choices=choices("org_kind"))
    credit_code = CreditCodeField(
        _l("统一社会信用代码"), description=_l("18 位，见登记证书；仅在街镇备案的社区社会组织可以不填")
    )
    street = SelectField(_l("所在街镇"), [DataRequired(_l("请选择所在街镇"))], coerce=str)
    service_fields = CheckboxesField(_l("服务领域（可多选）"), choices=choices("service_field"))
    party_org = RadioField(_l("党组织情况"), choices=choices("party_org"), default="none")
    contact_name = StringField(_l("联系人"), [DataRequired(REQUIRED), Length(max=40)])
    contact_phone = PhoneField(_l("联系电话（手机）"), [DataRequired(REQUIRED)])

    def validate_credit_code(self, field):
        if not field.data and self.kind.data and self.kind.data != "community":
            raise ValidationError(_l("社会团体、社会服务机构和基金会须填写统一社会信用代码"))

    def validate_service_fields(self, field):
        if not field.data:
            raise ValidationError(_l("请至少选择一个服务领域"))


class DeclineForm(ReasonForm):
    reason = TextAreaField(
        _l("不予通过的理由（组织会看到）"), [DataRequired(_l("请写明理由，便于组织修改")), Length(max=500)]
    )


def street_choices(streets=None):
    """请选择, then the streets (all of them unless given)."""
    streets = streets if streets is not None else Street.select().order_by(Street.code)
    return [SelectChoice("", _("请选择"))] + [SelectChoice(str(s.id), s.name) for s in streets]


def form_data(form):
    """The organization form's values, its street as a Street."""
    data = dict(form.data)
    data["street"] = Street.get_by_id(int(data["street"]))
    return data
