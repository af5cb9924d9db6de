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


#: The passwords guessed first (leaked-password lists, and what people here pick: 88888888, 5201314…); compared
#: without case. Eight characters or more only: shorter ones are refused anyway.
COMMON_PASSWORDS = frozenset(
    """
    12345678 123456789 1234567890 0123456789 87654321 98765432 12341234 11223344 12344321 11112222 123123123
    00000000 11111111 22222222 66666666 88888888 99999999 520131400 52013140 13145200 5201314520 147258369
    password password1 password123 passw0rd p@ssw0rd qwertyui qwertyuiop qwerty123 qwe123456 qweasdzxc
    1qaz2wsx 1q2w3e4r 1q2w3e4r5t zaq12wsx asdfghjk asdf1234 zxcvbnm1 iloveyou woaini1314 a1234567 a12345678
    a123456789 aa123456 abc12345 abc123456 abcd1234 abcdefgh 12345abc 123456aa 123456abc admin123 administrator
    """.split()
)


class GuessablePassword:
    """Refuses the commonest passwords, one character over and over, and the account's own phone number.

    The phone is the form's ``phone`` field, or ``form.account_phone`` (the change-password form sets it).
    """

    def __call__(self, form, field):
        password = field.data or ""
        if len(password) < 8:
            return  # too short: Length says so, once
        if password.lower() in COMMON_PASSWORDS or len(set(password)) == 1:
            raise ValidationError(_l("这个密码太常见，很容易被猜到，请换一个"))
        phone = getattr(form, "account_phone", None) or ("phone" in form and normalize_phone(form.phone.data or ""))
        if phone and phone in password:
            raise ValidationError(_l("密码不能包含手机号，请换一个"))


def new_password_field(label):
    """A new password: 8 characters or more, not a common one, not the phone; its hint says so up front."""
    return PasswordField(
        label,
        [DataRequired(REQUIRED), Length(min=8, max=128, message=_l("密码至少 8 位")), GuessablePassword()],
        description=_l("至少 8 位，不要用手机号或 12345678 这样的常见密码"),
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
