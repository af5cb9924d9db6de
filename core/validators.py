"""Normalising and checking what people type: phone numbers, credit codes, and characters no one types."""
import re
import unicodedata

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")

#: Line breaks and tabs, in every form Unicode spells them.
BREAKS_RE = re.compile("[\t\n\v\f\r\x85\u2028\u2029]+")

#: Characters no keyboard types and no name needs: C0 and C1 controls (tab and line breaks aside), DEL, the
#: non-characters XML refuses (a workbook holding one will not open), lone surrogates, and the bidirectional
#: overrides that make a name display as something else.
HIDDEN_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff\u202a-\u202e\u2066-\u2069]")

#: The largest id a database column holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1

#: GB 32100-2015: the 31 characters a 统一社会信用代码 may use, in value order.
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def fold(text):
    """Full-width digits, letters and spaces become their ASCII forms (NFKC)."""
    return unicodedata.normalize("NFKC", text or "").strip()


def has_hidden_characters(text):
    """True when ``text`` holds a character that no one types (see HIDDEN_RE)."""
    return HIDDEN_RE.search(text) is not None


def without_hidden_characters(text):
    """``text`` without the characters no one types."""
    return HIDDEN_RE.sub("", text)


def one_line(text):
    """Tabs and line breaks as single spaces: what a one-line field holds, however it was pasted."""
    return BREAKS_RE.sub(" ", text)


def plain_lines(text):
    """The rarer line breaks (vertical tab, form feed, Unicode's separators) as plain ones; tabs stay."""
    return re.sub("[\v\f\x85\u2028\u2029]", "\n", text)


def parse_id(text):
    """The id that ``text`` spells in ASCII digits, or None (for ① and ², which ``isdigit`` lets through, too)."""
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
        return None
    return int(text)


def normalize_phone(text):
    """The 11-digit mainland mobile number in ``text``, or None.

    Accepts full-width digits and the spaces, dashes and +86 prefix people type.
    """
    digits = re.sub(r"[\s\-()]", "", fold(text))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits if PHONE_RE.match(digits) else None


def mask_phone(phone):
    """138****1234: enough to recognise a number, not enough to call it."""
    if not phone or len(phone) != 11:
        return phone or ""
    return f"{phone[:3]}****{phone[-4:]}"


def normalize_credit_code(text):
    """Trimmed, folded to half-width and upper-cased."""
    return re.sub(r"\s", "", fold(text)).upper()


def credit_code_check_digit(first17):
    """The 18th character that GB 32100-2015 computes from the first 17."""
    total = sum(CREDIT_CODE_CHARS.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def is_valid_credit_code(code):
    """True when ``code`` (already normalised) is a well-formed code with the right check digit."""
    if len(code) != 18 or any(c not in CREDIT_CODE_CHARS for c in code):
        return False
    return credit_code_check_digit(code[:17]) == code[17]
