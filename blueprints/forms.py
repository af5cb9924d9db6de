"""Fields and validators shared by the feature forms."""
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import ValidationError

from blueprints.validators import is_valid_credit_code, normalize_credit_code, normalize_phone


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
