"""The project report's form: one page, saved as a draft or submitted."""
from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, IntegerField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, StopValidation

from core.forms import Form

TEXT = Length(max=5000, message=_l("最多 5000 字"))


class OneMessage:
    """What could not be read as a number gets one message, not a second one from the range check."""

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


class AmountField(OneMessage, DecimalField):
    """Yuan with at most two decimals; NaN and infinities are not amounts."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
        if self.data is not None and self.data.is_finite():
            if self.data.as_tuple().exponent < -2:
                self.data = None
                raise ValueError(_l("金额最多保留两位小数"))
            return
        if valuelist and valuelist[0]:
            self.data = None
            raise ValueError(_l("请填写金额（元），如 12000.50"))


class CountField(OneMessage, IntegerField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("请填写一个不小于 0 的整数")) from None


class ProjectReportForm(Form):
    progress = TextAreaField(_l("项目进展与成效"), [Optional(), TEXT],
                             description=_l("已开展的活动、服务人次、取得的成效"))
    spending = TextAreaField(_l("资金使用情况"), [Optional(), TEXT],
                             description=_l("按预算科目写明已支出的金额和用途"))
    spent = AmountField(
        _l("已使用资助金额（元）"),
        [Optional(), NumberRange(min=0, max=10**9, message=_l("请填写 0 到 10 亿之间的金额"))],
        places=2, description=_l("不超过资助金额"),
    )
    beneficiaries = CountField(
        _l("受益人数"), [Optional(), NumberRange(min=0, max=10**9, message=_l("请填写 0 到 10 亿之间的整数"))],
    )
    next_steps = TextAreaField(_l("问题与下一步计划"), [Optional(), TEXT])

    def values(self):
        """The fields as the operation takes them."""
        return {name: self[name].data for name in ("progress", "spending", "spent", "beneficiaries", "next_steps")}
