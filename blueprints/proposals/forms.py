"""The proposal's sections, each its own small form that saves on its own."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from core.forms import Form, ReasonForm
from core.templating import LABELS

#: Counts and amounts: whole numbers a database holds, far beyond any real proposal.
AMOUNT = NumberRange(min=0, max=10**9, message=_l("请填写 0 到 10 亿之间的整数"))


def optional_int(value):
    """An id from a select, or None for the empty choice."""
    if value in ("", None):
        return None
    return int(value)


class BasicsForm(Form):
    title = StringField(_l("项目名称"), [Optional(), Length(max=80)])
    category = SelectField(_l("项目类别"), coerce=optional_int, choices=[])
    service_field = SelectField(_l("服务领域"), choices=[])
    beneficiaries = StringField(_l("服务对象"), [Optional(), Length(max=200)], description=_l("如：独居老人、困境儿童"))
    street = SelectField(_l("实施街镇"), coerce=optional_int, choices=[])
    starts_on = DateField(_l("项目开始日期"), [Optional()])
    ends_on = DateField(_l("项目结束日期"), [Optional()])
    beneficiary_count = IntegerField(_l("直接受益人数"), [Optional(), AMOUNT])

    def set_choices(self, campaign, streets):
        empty = [("", _l("请选择"))]
        self.category.choices = empty + [(c.id, c.name) for c in campaign.ordered_categories()]
        self.service_field.choices = empty + list(LABELS["service_field"].items())
        self.street.choices = empty + [(s.id, s.name) for s in streets]


class BudgetForm(Form):
    total_budget = IntegerField(_l("项目总预算（元）"), [Optional(), AMOUNT])
    amount_requested = IntegerField(_l("申请金额（元）"), [Optional(), AMOUNT],
                                    description=_l("不超过类别的资助上限和项目总预算"))
    budget_items = TextAreaField(_l("预算明细"), [Optional(), Length(max=5000)],
                                 description=_l("每行一项：名称和金额，如：场地租赁 3000"))


class SummaryForm(Form):
    summary = TextAreaField(_l("项目简介"), [Optional(), Length(max=500, message=_l("项目简介最多 500 字"))],
                            description=_l("500 字以内"))


class NeedsForm(Form):
    needs = TextAreaField(_l("需求分析"), [Optional(), Length(max=5000)])


class PlanForm(Form):
    plan = TextAreaField(_l("实施计划"), [Optional(), Length(max=5000)], description=_l("分阶段写明时间节点和活动"))


class OutcomesForm(Form):
    outcomes = TextAreaField(_l("预期成效"), [Optional(), Length(max=5000)], description=_l("写明可衡量的指标"))


class TeamForm(Form):
    team = TextAreaField(_l("执行团队"), [Optional(), Length(max=5000)])


#: section name → (heading, form class), in the order of the page.
SECTIONS = {
    "basics": (_l("基本信息"), BasicsForm),
    "budget": (_l("预算"), BudgetForm),
    "summary": (_l("项目简介"), SummaryForm),
    "needs": (_l("需求分析"), NeedsForm),
    "plan": (_l("实施计划"), PlanForm),
    "outcomes": (_l("预期成效"), OutcomesForm),
    "team": (_l("执行团队"), TeamForm),
}


class ReviseForm(ReasonForm):
    """退回修改: what to revise (``reason``, as every queue's decision fragment names it) and the date to
    resubmit by."""

    revise_by = DateField(_l("修改截止日期"), [DataRequired(_l("请填写修改截止日期"))])
