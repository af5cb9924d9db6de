from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from core.forms import REQUIRED, Form, PhoneField, new_password_field
from core.validators import parse_id


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

#: The dates the audit log takes: wide enough for any record, narrow enough that a day after the last one and its
#: Shanghai midnight in UTC stay within the calendar.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _day(label):
    return DateField(label, [Optional()], format="%Y-%m-%d", invalid_value_message=_l("请按 2026-01-31 的格式选择日期"))


class MoveForm(Form):
    """A moderator moves to another street of the district: one form per moderator row of the accounts page."""

    street = SelectField(_l("调往街镇"), coerce=str, validate_choice=False)


class AuditForm(Form):
    """The audit log's search: a GET form that changes nothing, so no CSRF token. The dates are Shanghai days; its
    fields are named ``from`` and ``to`` (the query string the export links repeat); ``from`` is set below."""

    class Meta:
        csrf = False

    who = StringField(_l("操作人（姓名或手机号）"), [Length(max=40, message=_l("最多 40 个字"))])
    action = SelectField(_l("操作"), coerce=str, validate_choice=False)
    target_type = SelectField(_l("对象类型"), coerce=str, validate_choice=False)
    target_id = StringField(_l("对象编号"), [Length(max=12, message=_l("请填写数字编号，如 12"))])
    to = _day(_l("结束日期"))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        known = {value for value, *_ in self.action.iter_choices()}
        if self.action.data and self.action.data not in known:
            self.action.errors = [_l("请从列表中选择操作")]
            valid = False
        known = {value for value, *_ in self.target_type.iter_choices()}
        if self.target_type.data and self.target_type.data not in known:
            self.target_type.errors = [_l("请从列表中选择对象类型")]
            valid = False
        number = (self.target_id.data or "").strip()
        if number and not self.target_id.errors and parse_id(number) is None:
            self.target_id.errors = [_l("请填写数字编号，如 12")]
            valid = False
        for name in ("from", "to"):
            day = self[name].data
            if day and not self[name].errors and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self[name].errors = [_l("请选择 %(a)s 年至 %(b)s 年之间的日期", a=FIRST_YEAR, b=LAST_YEAR)]
                valid = False
        start, end = self["from"].data, self["to"].data
        if valid and start and end and start > end:
            self["to"].errors = [_l("结束日期不能早于开始日期")]
            valid = False
        return valid


setattr(AuditForm, "from", _day(_l("开始日期")))  # noqa: B010 (a keyword: no other way to name it)
