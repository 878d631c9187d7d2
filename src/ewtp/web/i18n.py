"""Languages of the pages: English and Simplified Chinese from gettext catalogs.

The `.po` files under `web/locales/` are the source; they are compiled in memory when
the process starts (no `.mo` files to build or commit). The language is the user's
setting, else the best match of the browser's Accept-Language, else English.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "PageLocale",
    "current",
    "gettext",
    "negotiate",
    "ngettext",
    "use",
]

LOCALES = Path(__file__).resolve().parent / "locales"
LANGUAGES = ("en", "zh_Hans")
LANGUAGE_NAMES = {"en": "English", "zh_Hans": "简体中文"}
BABEL_LOCALE = {"en": "en_GB", "zh_Hans": "zh_Hans_CN"}
HTML_LANG = {"en": "en", "zh_Hans": "zh-Hans"}


@dataclass(frozen=True, slots=True)
class PageLocale:
    language: str
    zone: ZoneInfo
    translations: NullTranslations

    @property
    def babel(self) -> Locale:
        return _babel_locale(self.language)

    @property
    def html_lang(self) -> str:
        return HTML_LANG[self.language]


@cache
def _babel_locale(language: str) -> Locale:
    return Locale.parse(BABEL_LOCALE[language])


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalog of `language` (English is the source language)."""
    po = LOCALES / language / "LC_MESSAGES" / "messages.po"
    if language == "en" or not po.is_file():
        return NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def negotiate(accept_language: str | None) -> str:
    """The supported language the browser prefers most (q-values honoured)."""
    wanted: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if tag:
            wanted.append((-q, position, tag.strip().lower()))
    for _q, _pos, tag in sorted(wanted):
        if tag.startswith("zh") and not any(t in tag for t in ("hant", "-tw", "-hk", "-mo")):
            return "zh_Hans"
        if tag.startswith("en") or tag == "*":
            return "en"
    return "en"


_current: ContextVar[PageLocale | None] = ContextVar("page_locale", default=None)


def use(language: str, zone: str = "UTC") -> PageLocale:
    """Make `language` and `zone` the ones of this request's rendering."""
    if language not in LANGUAGES:
        language = "en"
    try:
        tz = ZoneInfo(zone)
    except (KeyError, ValueError):
        tz = ZoneInfo("UTC")
    locale = PageLocale(language, tz, translations(language))
    _current.set(locale)
    return locale


def current() -> PageLocale:
    return _current.get() or use("en")


def gettext(message: str) -> str:
    return current().translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return current().translations.ngettext(singular, plural, n)
