"""Showing text that came from data (catalog, uploads) as text, never as Markdown or HTML."""
import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def markdown_text(value) -> str:
    """Escape every Markdown and HTML-significant character so Streamlit shows the text literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))


_CHINESE_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}


def plan_clause_label(clause: str, lang: str) -> str:
    """'二(二)3' as the plan numbers it, or 'Part 2 (2) item 3' for English readers."""
    if lang == "zh":
        return clause.replace(";", "、")
    labels = []
    for part in clause.split(";"):
        match = re.fullmatch(r"([一二三四五六七八九])\(([一二三四五六七八九])\)(\d+)", part)
        if match:
            section, sub, item = match.groups()
            labels.append(f"Part {_CHINESE_DIGITS[section]} ({_CHINESE_DIGITS[sub]}) item {item}")
        else:
            labels.append(part)
    return "; ".join(labels)
