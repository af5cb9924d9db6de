"""Fields shared by the feature forms, and operation errors put beside the fields."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.validators import DataRequired, Length, ValidationError

from core.validators import is_valid_credit_code, normalize_credit_code, normalize_phone

#: The message of an empty required field.
REQUIRED = _l("请填写这一项")


class PhoneField(StringField):
    """A mainland mobile number; keeps what was typed on error, stores the normalised 11 digits."""

    def pre_validate(self, form):
        if not (self.data or "").strip():
            return  # DataRequired (or Optional) speaks for empty input
        phone = normalize_phone(self.data)
        if phone is None:
            raise ValidationError(_l("请输入 11 位手机号码，如 13812345678"))
        self.data = phone


class CreditCodeField(StringField):
    """统一社会信用代码 (GB 32100-2015), trimmed, folded to half-width and upper-cased; may be empty."""

    def pre_validate(self, form):
        code = normalize_credit_code(self.data)
        if not code:
            self.data = None
            return
        if len(code) != 18:
            raise ValidationError(_l("统一社会信用代码应为 18 位，您输入了 %(n)s 位", n=len(code)))
        if not is_valid_credit_code(code):
            raise ValidationError(_l("统一社会信用代码校验不通过，请对照登记证书核对"))
        self.data = code


def new_password_field(label):
    """A new password: at least 8 characters, and the form says so before anyone gets it wrong."""
    return PasswordField(
        label,
        [DataRequired(REQUIRED), Length(min=8, max=128, message=_l("密码至少 8 位"))],
        description=_l("至少 8 位"),
    )


class CheckboxesField(SelectMultipleField):
    """Several choices as tick boxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ReasonForm(FlaskForm):
    """Why: a return, a cancellation, a refusal. Every moderation queue and its decision fragment use it."""

    reason = TextAreaField(_l("理由"), [DataRequired(_l("请写明理由")), Length(max=500)])


def apply_errors(form, error):
    """Put an operation's field messages beside the fields of ``form``."""
    for name, message in error.errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + [message]
        else:
            form.form_errors.append(message)
