"""统一社会信用代码 (GB 32100-2015) and mobile phone numbers as people type them."""
import pytest

from core.validators import is_valid_credit_code, mask_phone, normalize_credit_code, normalize_phone


@pytest.mark.parametrize("code", ["53100000500019795A", "53100000500021676K", "52310105MJ4A00014X"])
def test_valid_credit_codes(code):
    assert is_valid_credit_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "53100000500020462H",  # wrong check digit
        "5310000050001979",  # too short
        "53100000500019795I",  # I is not in the alphabet
        "53100000500019795a",  # not normalised
        "",
    ],
)
def test_invalid_credit_codes(code):
    assert not is_valid_credit_code(code)


def test_credit_code_input_is_trimmed_folded_and_upper_cased():
    typed = " ５２３１０１０５ｍｊ４ａ００014ｘ "
    assert normalize_credit_code(typed) == "52310105MJ4A00014X"
    assert is_valid_credit_code(normalize_credit_code(typed))


@pytest.mark.parametrize(
    "typed, phone",
    [
        ("13812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("12812345678", None),
        ("1381234567", None),
        ("abc", None),
    ],
)
def test_phone_numbers(typed, phone):
    assert normalize_phone(typed) == phone


def test_masked_phone_shows_first_three_and_last_four():
    assert mask_phone("13812341234") == "138****1234"
