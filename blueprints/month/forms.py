from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from core.forms import Form


class TagForm(Form):
    """标记为伙伴月活动: one of the months the event may join (the view sets the choices)."""

    campaign = SelectField(_l("公益伙伴月"), coerce=str, validate_choice=False, default="")


def tag_form(months, formdata=None):
    form = TagForm(formdata=formdata)
    form.campaign.choices = [SelectChoice("", _l("请选择"))] + [SelectChoice(str(c.id), c.name) for c in months]
    return form
