"""The sign-up form: what the organization will do in the month, how much, and whom the street calls."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from core.forms import REQUIRED, Form, PhoneField


class EntryForm(Form):
    #: The organization signing up (its id): one of the user's, chosen on the page before.
    organization = HiddenField()
    theme = StringField(
        _l("活动主题"), [DataRequired(REQUIRED), Length(max=100, message=_l("主题不超过 100 个字"))],
        description=_l("本组织在伙伴月里活动的主题，如：社区长者健康月"),
    )
    planned_events = IntegerField(
        _l("计划举办几场活动"),
        [InputRequired(REQUIRED), NumberRange(min=1, max=100, message=_l("请填写 1 到 100 之间的整数"))],
        invalid_value_message=_l("请填写 1 到 100 之间的整数"),
    )
    contact_name = StringField(_l("联系人"), [DataRequired(REQUIRED), Length(max=40, message=_l("不超过 40 个字"))])
    contact_phone = PhoneField(_l("联系电话"), [DataRequired(REQUIRED)], description=_l("街镇确认报名时会联系"))

    def operation_data(self):
        return {"theme": self.theme.data.strip(), "planned_events": self.planned_events.data,
                "contact_name": self.contact_name.data.strip(), "contact_phone": self.contact_phone.data}
