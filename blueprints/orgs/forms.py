from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from core.forms import REQUIRED, CheckboxesField, CreditCodeField, Form, PhoneField, ReasonForm
from core.templating import choices
from core.timeutil import local_now
from models import GRADES, Street


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


NOTE = _l("说明（记入档案）")


def _years():
    """The years a grade or a 年报 may be recorded for: from 2000 to this year."""
    return 2000, local_now().year


def _year_in_range(form, field):
    low, high = _years()
    if field.data is not None and not low <= field.data <= high:
        raise ValidationError(_("年份应在 %(low)s 到 %(high)s 之间", low=low, high=high))


class RecordForm(Form):
    """A form of the profile's record: several on one page, so each field's id starts with the form's ``key``."""

    key = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self:
            f.id = f"{self.key}-{f.name}"
            f.label.field_id = f.id


class StatusForm(RecordForm):
    key = "status"
    status = RadioField(_l("组织状态"), [DataRequired(_l("请选择状态"))], choices=[
        SelectChoice("active", _l("正常")), SelectChoice("flagged", _l("活动异常（列入异常名录）")),
        SelectChoice("closed", _l("已注销")),
    ])
    note = TextAreaField(NOTE, [DataRequired(_l("请写明说明")), Length(max=500, message=_l("不超过 500 个字"))])


class GradeForm(RecordForm):
    key = "grade"

    grade = SelectField(_l("评估等级"), choices=[SelectChoice("", _l("无等级"))] + [SelectChoice(g, g) for g in GRADES])
    year = IntegerField(_l("评估年份"), [Optional(), _year_in_range], description=_l("评为 1A–5A 时填写"),
                        invalid_value_message=_l("请填写四位数的年份，如 2025"))
    note = TextAreaField(NOTE, [DataRequired(_l("请写明说明")), Length(max=500, message=_l("不超过 500 个字"))])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.grade.data and self.year.data is None and not self.year.errors:  # Optional() ends the year's checks
            self.year.errors = [_("请填写评估年份")]
            return False
        return valid


class AnnualReportForm(RecordForm):
    key = "report"

    year = IntegerField(_l("年度"), [InputRequired(_l("请填写年度")), _year_in_range],
                        invalid_value_message=_l("请填写四位数的年份，如 2025"))
    filed = RadioField(_l("年报"), [DataRequired(_l("请选择是否已报送"))],
                       choices=[SelectChoice("yes", _l("已报送")), SelectChoice("no", _l("未报送"))])
    note = TextAreaField(NOTE, [DataRequired(_l("请写明说明")), Length(max=500, message=_l("不超过 500 个字"))])


class RemarkForm(RecordForm):
    key = "remark"

    text = TextAreaField(_l("备注"), [DataRequired(_l("请填写备注")), Length(max=1000, message=_l("不超过 1000 个字"))])
