import datetime

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from core.forms import REQUIRED, Form, PhoneField
from core.templating import choices
from core.timeutil import local_now, to_local, to_utc


class EventForm(Form):
    title = StringField(_l("活动名称"), [DataRequired(REQUIRED), Length(max=80, message=_l("名称不超过 80 个字"))])
    category = SelectField(_l("活动类别"), [DataRequired(_l("请选择活动类别"))], choices=choices("service_field"))
    date = DateField(
        _l("日期"), [InputRequired(_l("请选择日期"))], format="%Y-%m-%d", invalid_value_message=_l("请选择日期")
    )
    start_time = TimeField(
        _l("开始时间"),
        [InputRequired(_l("请选择开始时间"))],
        format="%H:%M",
        invalid_value_message=_l("请选择开始时间"),
    )
    end_time = TimeField(
        _l("结束时间"),
        [InputRequired(_l("请选择结束时间"))],
        format="%H:%M",
        invalid_value_message=_l("请选择结束时间"),
    )
    venue = StringField(
        _l("活动地点"),
        [DataRequired(REQUIRED), Length(max=200)],
        description=_l("写到门牌号和房间，如：愚园路 1000 号 3 楼多功能厅"),
    )
    street = SelectField(_l("地点所在街镇（由该街镇审核）"), [DataRequired(_l("请选择街镇"))], coerce=str)
    description = TextAreaField(_l("活动介绍"), [Length(max=2000)], description=_l("内容、对象、需要带什么"))
    capacity = IntegerField(
        _l("人数上限（不限可不填）"),
        [Optional(), NumberRange(min=1, max=100000, message=_l("人数上限应为正整数"))],
        invalid_value_message=_l("人数上限应为正整数"),
    )
    signup_enabled = BooleanField(_l("居民需要提前报名"))
    checkin_mode = RadioField(_l("签到二维码"), choices=choices("checkin_mode"), default="static")
    checkin_lead_minutes = IntegerField(
        _l("提前多少分钟开放签到"),
        [InputRequired(REQUIRED), NumberRange(min=0, max=240, message=_l("请填写 0 到 240 之间的分钟数"))],
        default=30,
        invalid_value_message=_l("请填写 0 到 240 之间的分钟数"),
    )
    #: 所属项目: one of the organization's funded projects (the view sets the choices; shown only when it has some).
    project = SelectField(_l("所属项目"), coerce=str, validate_choice=False, default="")

    def validate_project(self, field):
        """Only one of the choices offered, that is the organization's own projects: a forged id is refused."""
        if field.data and field.data not in {choice.value for choice in field.choices or ()}:
            raise ValidationError(_l("请从本组织的公益创投项目中选择"))

    #: 公益伙伴月: a month the organization is confirmed for (the view sets the choices; shown only when it has some).
    campaign = SelectField(_l("公益伙伴月"), coerce=str, validate_choice=False, default="")

    def validate_campaign(self, field):
        """Only one of the months offered: a forged id is refused."""
        if field.data and field.data not in {choice.value for choice in field.choices or ()}:
            raise ValidationError(_l("请从本组织已确认参加的伙伴月中选择"))

    def validate_date(self, field):
        """Within two years from now (Shanghai): a date further off is a slip of the finger, or an attack."""
        if field.data is None:
            return  # not a date: the field says so already
        today = local_now().date()
        # Yesterday is left to the operation's check of the start time, which says so beside the time, as it does for
        # a time earlier today.
        if field.data < today - datetime.timedelta(days=1):
            raise ValidationError(_l("这个日期已经过去了，请选择今天或以后的日期"))
        if field.data > last_day_ahead(today):
            raise ValidationError(_l("活动最多提前两年登记，请选择更近的日期"))

    def times(self):
        """Start and end as naive UTC."""
        start = to_utc(datetime.datetime.combine(self.date.data, self.start_time.data))
        end = to_utc(datetime.datetime.combine(self.date.data, self.end_time.data))
        return start, end

    def fill_defaults(self, organization, last_event=None):
        """Tomorrow morning at the organization's usual place."""
        self.date.data = (local_now() + datetime.timedelta(days=1)).date()
        self.start_time.data, self.end_time.data = datetime.time(9, 30), datetime.time(11, 0)
        self.street.data = str(organization.street_id)
        if last_event is not None:
            self.venue.data, self.street.data = last_event.venue, str(last_event.street_id)
            self.category.data = last_event.category

    def fill_from(self, event):
        """The stored event in the form's own terms: Shanghai date and times, the street's id."""
        start, end = to_local(event.starts_at), to_local(event.ends_at)
        self.date.data, self.start_time.data, self.end_time.data = start.date(), start.time(), end.time()
        self.street.data = str(event.street_id)
        self.project.data = str(event.project_id) if event.project_id else ""
        self.campaign.data = str(event.campaign_id) if event.campaign_id else ""


def last_day_ahead(today):
    """The furthest date an event may be drafted for: two years from ``today``."""
    try:
        return today.replace(year=today.year + 2)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 2, day=28)


class SignupForm(Form):
    name = StringField(_l("姓名"), [DataRequired(_l("请填写姓名")), Length(max=40, message=_l("姓名太长了"))])
    phone = PhoneField(_l("手机号"), [DataRequired(_l("请填写手机号"))])
    consent = BooleanField(_l("我已阅读并同意上面的个人信息说明"), [DataRequired(_l("请先勾选同意个人信息说明"))])
