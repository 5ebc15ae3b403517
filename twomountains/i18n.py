"""Translations: every string the dashboard shows comes from data/i18n/<lang>.yaml."""
from __future__ import annotations

from functools import lru_cache

import yaml

from twomountains.paths import DATA_DIR

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"


class DuplicateKey(ValueError):
    """The same key in two translation files of one language."""


@lru_cache(maxsize=None)
def strings(lang: str) -> dict[str, str]:
    """All keys of data/i18n/<lang>/*.yaml (one file per area of the dashboard)."""
    merged: dict[str, str] = {}
    for path in sorted((DATA_DIR / "i18n" / lang).glob("*.yaml")):
        with open(path, encoding="utf-8") as handle:
            for key, value in (yaml.safe_load(handle) or {}).items():
                if key in merged:
                    raise DuplicateKey(f"{path}: {key} is defined twice")
                merged[key] = value
    return merged


def normalise_language(value: str | None) -> str:
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str, **params) -> str:
    """The text for `key` in `lang`, with {placeholders} filled in; a missing key raises KeyError."""
    template = strings(lang)[key]
    return template.format(**params) if params else template


def name(row, lang: str, field: str = "name") -> str:
    """A bilingual column pair of metadata (name_zh / name_en) in the chosen language."""
    return row[f"{field}_{lang}"]
