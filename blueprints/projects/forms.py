"""The form an organization's admins link an event to their project with."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import DataRequired

from core.forms import Form


class LinkEventForm(Form):
    #: Its choices are the organization's events; the operation refuses any other (a forged id), beside the field.
    event = SelectField(_l("关联本组织的活动"), [DataRequired(_l("请选择活动"))], coerce=str, validate_choice=False)
