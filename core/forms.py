"""The base of every form, fields shared by the feature forms, and operation errors put beside the fields."""
import functools

from babel import support
from flask import has_request_context, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf import i18n as flask_wtf_i18n
from werkzeug.datastructures import MultiDict
from wtforms import PasswordField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.csrf.core import CSRFTokenField
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, Length, ValidationError

from core.validators import (
    has_hidden_characters,
    is_valid_credit_code,
    normalize_credit_code,
    normalize_phone,
    one_line,
    plain_lines,
    without_hidden_characters,
)

#: The message of an empty required field.
REQUIRED = _l("请填写这一项")
#: A file (or anything but text) sent where text belongs.
NOT_TEXT = _l("这里请填写文字，不能上传文件")
#: Control characters and the like: invisible, so the message cannot point at them; the field shows the text without.
HIDDEN_CHARACTERS = _l("内容里有看不见的特殊字符（可能是复制时带进来的），已经删去，请核对后重新提交")


@functools.lru_cache(maxsize=8)
def _wtforms_catalog(locale):
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _CachedTranslations:
    """WTForms' own messages in the request's language, each catalog read once per process."""

    def gettext(self, string):
        return _wtforms_catalog(str(get_locale())).ugettext(string)

    def ngettext(self, singular, plural, n):
        return _wtforms_catalog(str(get_locale())).ungettext(singular, plural, n)


CACHED_TRANSLATIONS = _CachedTranslations()


class Form(FlaskForm):
    """The base of our forms: text fields hold plain text, whatever a client sends.

    A one-line field turns tabs and line breaks into spaces (a browser drops line breaks itself), a text area keeps
    its lines; control characters and the like are dropped from both, and a file or a JSON body never reaches the
    code behind a form. Validation refuses what had either, with the reason beside the field.
    """

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            # Flask-WTF reads WTForms' catalog from disk for every request that builds a form: once per process.
            translations = super().get_translations(form)
            return CACHED_TRANSLATIONS if translations is flask_wtf_i18n.translations else translations

        def wrap_formdata(self, form, formdata):
            if has_request_context() and request.is_json and not hasattr(formdata, "getlist"):
                return None  # our forms are HTML forms; a JSON body answers none of them, and holds numbers and lists
            data = super().wrap_formdata(form, formdata)
            if data is None:
                return None
            form.not_text = {name for name, value in data.items(multi=True) if not isinstance(value, str)}
            if not form.not_text:
                return data
            return MultiDict([(name, value) for name, value in data.items(multi=True) if isinstance(value, str)])

    not_text = frozenset()

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        filters = {name: list(value) for name, value in (extra_filters or {}).items()}
        for name, field in self._fields.items():
            if is_text(field):
                text_filter = lines_filter if isinstance(field, TextAreaField) else line_filter
                filters.setdefault(name, []).insert(0, text_filter)
        super().process(formdata, obj, data, extra_filters=filters, **kwargs)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self:
            if field.name in self.not_text:
                field.errors = [NOT_TEXT]
            elif is_text(field) and any(has_hidden_characters(v) for v in field.raw_data or () if isinstance(v, str)):
                field.errors = [HIDDEN_CHARACTERS]
            else:
                continue
            valid = False
        return valid


def is_text(field):
    """A field that holds what someone typed (passwords aside: they are only ever hashed, and compared)."""
    return isinstance(field, StringField) and not isinstance(field, PasswordField | CSRFTokenField)


def line_filter(value):
    return without_hidden_characters(one_line(value)) if isinstance(value, str) else value


def lines_filter(value):
    return without_hidden_characters(plain_lines(value)) if isinstance(value, str) else value


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


class ReasonForm(Form):
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
