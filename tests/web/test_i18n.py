"""Languages: complete catalogues, the language switcher, right-to-left Arabic, local dates."""

from __future__ import annotations

import os
import re
import shutil
from decimal import Decimal
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.template.defaultfilters import floatformat
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from stride.web import settings as stride_settings
from tests.conftest import Cast

LOCALE = Path(stride_settings.WEB_DIR) / "locale"
# Directory name of each catalogue (gettext style) for each language code Stride offers.
CATALOGUES = {"zh-hans": "zh_Hans", "ar": "ar", "ru": "ru", "bg": "bg"}
# %(name)s for gettext's own interpolation, {name} for templates filled with format_map
# (the family and clinician wording twins): a translation must keep every one of both.
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / CATALOGUES[language] / "LC_MESSAGES" / "django.po"))


def test_every_offered_language_except_english_has_a_catalogue() -> None:
    offered = {code for code, _name in stride_settings.LANGUAGES}
    assert offered == {"en", *CATALOGUES}


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_catalogue_has_no_untranslated_fuzzy_or_obsolete_entry(language: str) -> None:
    catalogue = _catalogue(language)
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    obsolete = [entry.msgid for entry in catalogue.obsolete_entries()]
    assert (untranslated, fuzzy, obsolete) == ([], [], []), (
        f"{language}: translate these in the .po file (make messages adds new strings)"
    )


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_translations_keep_every_placeholder(language: str) -> None:
    """A translation that drops or renames %(name)s would fail at run time, in front of a user."""
    wrong = []
    for entry in _catalogue(language):
        if "fuzzy" in entry.flags:
            continue  # a guess, refused by the test above until a translator confirms it
        # A plural form may be written like the singular or like the plural (a language
        # with one form, such as Chinese, writes every count like the English plural); it
        # may use no placeholder the two do not have, and must keep all but the count.
        singular = set(PLACEHOLDER.findall(entry.msgid))
        plural = set(PLACEHOLDER.findall(entry.msgid_plural)) if entry.msgid_plural else singular
        translations = (
            list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        )
        wrong += [(entry.msgid, text) for text in translations
                  if text and set(PLACEHOLDER.findall(text)) not in (singular, plural)]
    assert wrong == []


def test_catalogues_hold_every_string_of_the_source(tmp_path: Path) -> None:
    """Extract the strings afresh from a copy of the code: none may be missing from a catalogue."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext not found: install Debian's gettext (scripts/install-system-deps.sh)")
    copy = tmp_path / "web"
    shutil.copytree(stride_settings.WEB_DIR, copy,
                    ignore=shutil.ignore_patterns("locale", "__pycache__", "migrations"))
    (copy / "locale").mkdir()
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        here = Path.cwd()
        os.chdir(copy)
        try:
            call_command("makemessages", locale=["ar"], no_location=True, verbosity=0)
        finally:
            os.chdir(here)
    extracted = polib.pofile(str(copy / "locale" / "ar" / "LC_MESSAGES" / "django.po"))
    fresh = {(entry.msgctxt, entry.msgid) for entry in extracted}
    for language in CATALOGUES:
        held = {(entry.msgctxt, entry.msgid) for entry in _catalogue(language)}
        assert fresh - held == set(), f"{language}: run `make messages`, translate the new strings"


@pytest.mark.parametrize(("language", "direction", "sign_in"), [
    ("en", "ltr", "Sign in"),
    ("zh-hans", "ltr", "登录"),
    ("ar", "rtl", "تسجيل الدخول"),
    ("ru", "ltr", "Войти"),
    ("bg", "ltr", "Вход"),
])
def test_the_browser_language_is_the_default(client: Client, db: None, language: str,
                                              direction: str, sign_in: str) -> None:
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE=language)
    assert f'<html lang="{language}" dir="{direction}">' in page.text
    assert sign_in in page.text


def test_the_switcher_overrides_the_browser_language(client: Client, db: None) -> None:
    login = reverse("accounts:login")
    switched = client.post(reverse("set_language"), {"language": "ru"},
                           HTTP_ACCEPT_LANGUAGE="ar", HTTP_REFERER=f"http://testserver{login}")
    assert switched.status_code == 302
    assert switched["Location"] == f"http://testserver{login}"  # back where the user was
    page = client.get(login, HTTP_ACCEPT_LANGUAGE="ar")
    assert '<html lang="ru" dir="ltr">' in page.text
    assert 'value="ru" lang="ru" selected' in page.text


def test_an_unknown_language_falls_back_to_english(client: Client, db: None) -> None:
    client.post(reverse("set_language"), {"language": "xx"})
    page = client.get(reverse("accounts:login"))
    assert '<html lang="en" dir="ltr">' in page.text


@pytest.mark.parametrize(("language", "date_of_birth"), [
    ("en", "17 May 2019"),
    ("ru", "17 мая 2019"),
    ("bg", "17 Май 2019"),  # Django's Bulgarian month names are capitalised
    ("zh-hans", "2019年5月17日"),
])
def test_dates_are_written_the_local_way(cast: Cast, client: Client, language: str,
                                         date_of_birth: str) -> None:
    client.force_login(cast.guardian_a)
    page = client.get(reverse("patients:case", args=[cast.case_a.pk]),
                      HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    assert date_of_birth in page.text


@pytest.mark.parametrize(("language", "amount"), [
    ("en", "15,000.10"),
    ("bg", "15\xa0000,10"),
    ("ru", "15\xa0000,10"),
    ("ar", "15.000,10"),
])
def test_amounts_are_grouped_the_local_way(language: str, amount: str) -> None:
    with translation.override(language):
        assert floatformat(Decimal("15000.10"), "2g") == amount
