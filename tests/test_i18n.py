"""English: every Chinese source string has a translation, the compiled catalog matches it, and English pages
show no Chinese but the language switch and data (street, district and organization names)."""
import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from models import District, Street
from tests.conftest import login

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "blueprints" / "translations"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")

#: Han characters and full-width punctuation (，。：（）…), which English text never needs.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
#: The link back to Chinese, the one Chinese text an English page should show.
SWITCH_TO_CHINESE = re.compile(r'<a [^>]*lang="zh-CN"[^>]*>中文</a>')


def makefile_keywords():
    """The extra ``-k`` keywords of ``make translations``, so the test extracts exactly what it does."""
    recipe = re.search(r"^translations:.*?(?=^\S)", (ROOT / "Makefile").read_text(), re.S | re.M).group(0)
    keywords = re.findall(r"-k (\w+)", recipe)
    assert keywords, "make translations passes no -k keywords"
    return keywords


def source_messages():
    """Every msgid in the code and templates, with the first place it appears, as ``make translations`` sees them."""
    with open(TRANSLATIONS / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, **dict.fromkeys(makefile_keywords())}
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(ROOT, method_map, options_map, keywords):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def english_catalog():
    with open(PO, "rb") as po:
        return read_po(po, locale="en")


def test_extraction_finds_the_source_strings():
    messages = source_messages()
    assert "登录" in messages  # a template
    assert "请填写这一项" in messages  # lazy_gettext in a form
    assert "找不到这个页面，它可能已被删除或链接有误。" in messages  # the error pages' table


def test_every_source_string_has_an_english_translation():
    catalog = english_catalog()
    untranslated = [
        f"{where}: {msgid}"
        for msgid, where in sorted(source_messages().items(), key=lambda item: item[1])
        if msgid not in catalog or not catalog[msgid].string or catalog[msgid].fuzzy
    ]
    assert not untranslated, "run `make translations` and translate in messages.po:\n" + "\n".join(untranslated)


def test_translations_keep_their_placeholders():
    problems = [f"{message.id!r}: {errors}" for message, errors in english_catalog().check()]
    assert not problems, "\n".join(problems)


def test_compiled_catalog_matches_the_po_file():
    """The app loads messages.mo at run time: it must hold exactly the translations of messages.po."""
    with open(MO, "rb") as mo:
        compiled = {m.id: m.string for m in read_mo(mo) if m.id}
    translated = {m.id: m.string for m in english_catalog() if m.id and m.string and not m.fuzzy}
    stale = sorted(set(translated.items()) ^ set(compiled.items()), key=str)
    assert not stale, "run `make translations` (pybabel compile) and commit messages.mo; differing:\n" + "\n".join(
        map(str, stale[:20])
    )


# The pages, in English.


@pytest.fixture
def english(client):
    """``client`` after choosing English; yields the check that a page shows no Chinese but data."""
    client.get("/lang/en")
    data = sorted({s.name for s in Street.select()} | {d.name for d in District.select()}, key=len, reverse=True)

    def assert_english(response, status=200, page=True):
        html = response.get_data(as_text=True)
        assert response.status_code == status, response.request.path
        if page:  # an htmx fragment has neither
            assert '<html lang="en"' in html
            assert SWITCH_TO_CHINESE.search(html), "no link back to 中文"
        text = SWITCH_TO_CHINESE.sub("", html)
        for name in data:
            text = text.replace(name, "")
        leftovers = [text[max(m.start() - 40, 0):m.end() + 20] for m in CJK.finditer(text)]
        assert not leftovers, f"Chinese left on {response.request.path}:\n" + "\n".join(leftovers)

    return assert_english


@pytest.mark.parametrize("path", ["/", "/login", "/signup", "/offline"])
def test_public_pages_are_all_english(client, english, path):
    english(client.get(path))


def test_form_errors_are_english(client, english):
    english(client.post("/login", data={"phone": "12345", "password": ""}), status=422)
    signup = {"name": "Wang", "phone": "13800001111", "password": "short", "confirm": "x"}
    english(client.post("/signup", data=signup), status=422)


def test_error_pages_are_english(client, english, make_user):
    english(client.get("/no-such-page"), status=404)
    response = client.get("/no-such-page", headers={"HX-Request": "true"})
    assert response.get_data(as_text=True).startswith("Page not found")
    login(client, make_user("reviewer", name="Chen"))
    english(client.get("/admin/"), status=403)


@pytest.mark.parametrize("path", ["/", "/admin/", "/admin/accounts", "/orgs/new", "/account/password"])
def test_district_admin_pages_are_all_english(client, english, make_user, path):
    login(client, make_user("district_admin", name="Wang Jianhua"))
    english(client.get(path))


def test_staff_form_errors_are_english(client, english, make_user):
    login(client, make_user("district_admin", name="Wang Jianhua"))
    moderator_without_street = {"role": "street_moderator", "street": "", "name": "Li", "phone": "13800002222",
                                "password": "long-enough"}
    english(client.post("/admin/accounts", data=moderator_without_street), status=422)


def test_street_console_and_queue_are_english(client, english, make_user, make_org):
    founder = make_user(name="Zhang Xiuying")
    make_org(name="Xinhua Reading Club", status="pending", admin=founder)
    make_org(name="Xinhua Legal Aid Team", admin=founder, kind="social_group", credit_code=None)
    login(client, make_user("street_moderator", street="xinhua", name="Zhou"))
    english(client.get("/streets/xinhua/"))
    english(client.get("/streets/xinhua/?q=Nothing", headers={"HX-Request": "true"}), page=False)
    english(client.get("/streets/xinhua/orgs/new"))


def test_organization_page_with_invitations_is_english(client, english, make_user, make_org):
    founder = make_user(name="Zhang Xiuying")
    org = make_org(name="Xinhua Reading Club", admin=founder, grade="3A", service_fields="elderly,youth")
    login(client, founder)
    client.post(f"/orgs/{org.id}/invites")
    english(client.get(f"/orgs/{org.id}/manage"))
    client.post("/logout")
    english(client.get(f"/join/{org.invites.get().token}"))
