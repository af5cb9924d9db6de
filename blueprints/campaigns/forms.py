"""The campaign form: one page on a phone. Categories and the rubric are text areas, one line each, which a phone
edits more easily than rows of small boxes; each line is read here, and a line that cannot be read is named."""
import datetime
import re
import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FileField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from core.forms import REQUIRED, Form
from core.templating import choices
from core.timeutil import local_now, to_local, to_utc

DAY = datetime.timedelta(days=1)
FIVE_YEARS = datetime.timedelta(days=5 * 365)
#: name, a separator, the amount in yuan or in 万: 民生服务类 200000 · 社区治理类：20万
CATEGORY_LINE = re.compile(r"^(.+?)[\s:：,，]+(\d+(?:\.\d+)?)\s*(万)?\s*元?$")
#: name, a separator, the weight, and the guide: 需求分析 20 服务需求真实、具体
CRITERION_LINE = re.compile(r"^(.+?)[\s:：,，]+(\d+)\s*分?(?:[\s:：,，]+(.*))?$")
#: The form's date fields: (field, model field, whether the stored time is the midnight after the day).
DATES = (
    ("application_opens", "application_opens_at", False),
    ("application_closes", "application_closes_at", True),
    ("eligibility_ends", "eligibility_ends_at", True),
    ("review_ends", "review_ends_at", True),
    ("notice_starts", "notice_starts_at", False),
    ("notice_ends", "notice_ends_at", True),
    ("results_on", "results_at", False),
)


def date_field(label, description=None):
    return DateField(
        label, [InputRequired(_l("请选择日期"))], format="%Y-%m-%d", invalid_value_message=_l("请选择日期"),
        description=description,
    )


def lines(text):
    """The non-empty lines of ``text``, numbered from 1, with full-width digits and spaces made plain."""
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = unicodedata.normalize("NFKC", line).strip()
        if line:
            yield number, line


def parse_categories(text):
    """[(name, cap in yuan)] from lines like 民生服务类 200000 or 民生服务类 20万."""
    rows = []
    for number, line in lines(text):
        match = CATEGORY_LINE.match(line)
        if not match or len(match[1]) > 40:
            raise ValidationError(_l("第 %(n)s 行看不懂：请写成“类别名称 资助上限”，如：民生服务类 200000", n=number))
        amount = float(match[2]) * (10000 if match[3] else 1)
        if not 1 <= amount <= 1_000_000_000 or amount != int(amount):
            raise ValidationError(_l("第 %(n)s 行：资助上限应为 1 元到 10 亿元之间的整数", n=number))
        rows.append((match[1].strip(), int(amount)))
    return rows


def parse_criteria(text):
    """[(name, weight, guide)] from lines like 需求分析 20 服务需求真实、具体."""
    rows = []
    for number, line in lines(text):
        match = CRITERION_LINE.match(line)
        if not match or len(match[1]) > 40:
            raise ValidationError(
                _l("第 %(n)s 行看不懂：请写成“评分项 权重 评分说明”，如：需求分析 20 需求真实具体", n=number)
            )
        weight = int(match[2])
        if not 1 <= weight <= 100:
            raise ValidationError(_l("第 %(n)s 行：权重应为 1 到 100 之间的整数", n=number))
        guide = (match[3] or "").strip()
        if len(guide) > 200:
            raise ValidationError(_l("第 %(n)s 行：评分说明不超过 200 个字", n=number))
        rows.append((match[1].strip(), weight, guide))
    return rows


class CampaignForm(Form):
    name = StringField(_l("大赛名称"), [DataRequired(REQUIRED), Length(max=80, message=_l("名称不超过 80 个字"))])
    description = TextAreaField(
        _l("大赛介绍"),
        [Length(max=5000, message=_l("介绍不超过 5000 个字"))],
        description=_l("目的、申报对象、资助方向"),
    )
    application_opens = date_field(_l("申报开始日期"))
    application_closes = date_field(_l("申报截止日期"), _l("当天 24:00 截止"))
    eligibility_ends = date_field(_l("资格审查结束日期"))
    review_ends = date_field(_l("专家评审结束日期"))
    notice_starts = date_field(_l("公示开始日期"))
    notice_ends = date_field(_l("公示结束日期"), _l("公示一般为 5 个工作日"))
    results_on = date_field(_l("结果公布日期"))
    budget = IntegerField(
        _l("资金池总额（元）"),
        [InputRequired(REQUIRED), NumberRange(min=1, max=1_000_000_000, message=_l("请填写 1 元到 10 亿元之间的整数"))],
        invalid_value_message=_l("请填写整数金额，如 3000000"),
    )
    categories = TextAreaField(
        _l("项目类别和资助上限"),
        description=_l("每行一个：类别名称 资助上限（元，也可写“20万”）。留空则用民生服务类、社区治理类、公益慈善类。"),
    )
    criteria = TextAreaField(
        _l("评分标准"),
        description=_l("每行一项：评分项 权重 评分说明。权重即该项满分，各项之和为 100。留空则用常用的六项标准。"),
    )
    scoring = RadioField(_l("专家评分的汇总方式"), choices=choices("scoring"), default="trimmed")
    blind_review = BooleanField(_l("匿名评审：评审专家看不到申报组织的名称"), default=True)
    show_others = BooleanField(_l("评审专家提交自己的评分后，可以看到其他专家的评分"))
    objection_contact = StringField(
        _l("异议受理方式"), [Length(max=200, message=_l("不超过 200 个字"))],
        description=_l("公示期内对结果有异议的，如何联系区社会组织管理局：电话、地址或邮箱"),
    )
    max_proposals_per_org = IntegerField(
        _l("每个组织最多申报几个项目"),
        [InputRequired(REQUIRED), NumberRange(min=1, max=20, message=_l("请填写 1 到 20 之间的整数"))],
        default=1,
        invalid_value_message=_l("请填写 1 到 20 之间的整数"),
    )

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        today = local_now().date()
        for name, _stored, _after in DATES:
            field = self[name]
            # A date decades away is a slip of the finger (and the calendar's ends do not convert).
            if field.data is not None and not -FIVE_YEARS <= field.data - today <= FIVE_YEARS:
                field.errors = [*field.errors, _l("请选择五年之内的日期")]
                valid = False
        for name, parse in (("categories", parse_categories), ("criteria", parse_criteria)):
            try:
                parse(self[name].data)
            except ValidationError as error:
                self[name].errors = [*self[name].errors, str(error)]
                valid = False
        return valid

    def operation_data(self):
        """The form in the operations' terms: naive-UTC phase boundaries, parsed categories and rubric."""
        data = {
            "name": self.name.data.strip(), "description": (self.description.data or "").strip(),
            "budget": self.budget.data, "scoring": self.scoring.data, "blind_review": self.blind_review.data,
            "show_others": self.show_others.data, "max_proposals_per_org": self.max_proposals_per_org.data,
            "objection_contact": (self.objection_contact.data or "").strip(),
            "categories": parse_categories(self.categories.data), "criteria": parse_criteria(self.criteria.data),
        }
        for name, stored, after in DATES:
            day = datetime.datetime.combine(self[name].data, datetime.time()) + (DAY if after else datetime.timedelta())
            data[stored] = to_utc(day)
        return data

    def fill_defaults(self, categories, criteria):
        """A contest opening tomorrow, with the usual phases, categories and rubric written out to edit."""
        today = local_now().date()
        offsets = {"application_opens": 1, "application_closes": 30, "eligibility_ends": 37, "review_ends": 51,
                   "notice_starts": 52, "notice_ends": 58, "results_on": 59}
        for name, days in offsets.items():
            self[name].data = today + datetime.timedelta(days=days)
        self.fill_lists(categories, criteria)

    def fill_lists(self, categories, criteria):
        self.categories.data = "\n".join(f"{name} {cap}" for name, cap in categories)
        self.criteria.data = "\n".join(f"{name} {weight} {guide}".strip() for name, weight, guide in criteria)

    def fill_from(self, campaign):
        """The stored campaign in the form's terms: Shanghai dates (the last day of each phase), lines of text."""
        for name, stored, after in DATES:
            self[name].data = (to_local(getattr(campaign, stored)) - (DAY if after else datetime.timedelta())).date()
        self.fill_lists(
            [(c.name, c.max_grant) for c in campaign.ordered_categories()],
            [(c.name, c.weight, c.guide) for c in campaign.ordered_criteria()],
        )


class ExtensionForm(Form):
    """延期申报: one organization of the district, and the last day it may still write (24:00 that day)."""

    organization = SelectField(_l("申报组织"), [DataRequired(_l("请选择组织"))], coerce=str, validate_choice=False)
    until = date_field(_l("延期至"), _l("当天 24:00 截止"))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.until.data is not None and not -FIVE_YEARS <= self.until.data - local_now().date() <= FIVE_YEARS:
            self.until.errors = [*self.until.errors, _l("请选择五年之内的日期")]
            valid = False
        return valid

    def until_utc(self):
        """The midnight (Shanghai) after the chosen day, as naive UTC: the exclusive end, like the campaign's."""
        return to_utc(datetime.datetime.combine(self.until.data, datetime.time()) + DAY)


#: The month form's date fields: (field, model field, whether the stored time is the midnight after the day).
MONTH_DATES = (
    ("starts_on", "starts_at", False),
    ("ends_on", "ends_at", True),
    ("signup_opens", "application_opens_at", False),
    ("signup_closes", "application_closes_at", True),
)


class MonthForm(Form):
    """The partner month (公益伙伴月): its name, theme, days, sign-up window, introduction and cover image."""

    name = StringField(_l("名称"), [DataRequired(REQUIRED), Length(max=80, message=_l("名称不超过 80 个字"))],
                       description=_l("如：第十七届公益伙伴月"))
    theme = StringField(_l("主题"), [Length(max=100, message=_l("主题不超过 100 个字"))])
    starts_on = date_field(_l("第一天"))
    ends_on = date_field(_l("最后一天"))
    signup_opens = date_field(_l("报名开始日期"))
    signup_closes = date_field(_l("报名截止日期"), _l("当天 24:00 截止"))
    description = TextAreaField(
        _l("介绍"), [Length(max=5000, message=_l("介绍不超过 5000 个字"))],
        description=_l("面向公众：伙伴月是什么、谁可以参加、怎么参加"),
    )
    #: Read from request.files by the view (the form's text fields never hold a file).
    cover = FileField(_l("封面图片"), description=_l("JPG、PNG 或 WebP；不换图可以不选"))

    def validate(self, extra_validators=None):
        self.not_text = self.not_text - {"cover"}  # the one field where a file belongs
        valid = super().validate(extra_validators)
        today = local_now().date()
        for name, _stored, _after in MONTH_DATES:
            field = self[name]
            if field.data is not None and not -FIVE_YEARS <= field.data - today <= FIVE_YEARS:
                field.errors = [*field.errors, _l("请选择五年之内的日期")]
                valid = False
        return valid

    def operation_data(self):
        """The form in the operations' terms: naive-UTC days (ends exclusive: the midnight after the last day)."""
        data = {"name": self.name.data.strip(), "theme": (self.theme.data or "").strip(),
                "description": (self.description.data or "").strip()}
        for name, stored, after in MONTH_DATES:
            day = datetime.datetime.combine(self[name].data, datetime.time()) + (DAY if after else datetime.timedelta())
            data[stored] = to_utc(day)
        return data

    def fill_defaults(self):
        """Next month's days, sign-up from tomorrow until the day before it starts."""
        today = local_now().date()
        first = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        last = (first + datetime.timedelta(days=32)).replace(day=1) - DAY
        self.starts_on.data, self.ends_on.data = first, last
        self.signup_opens.data, self.signup_closes.data = min(today + DAY, first - DAY), first - DAY

    def fill_from(self, campaign):
        for name, stored, after in MONTH_DATES:
            self[name].data = (to_local(getattr(campaign, stored)) - (DAY if after else datetime.timedelta())).date()
