"""Text that came from a link, a file or the database stays text: one escaping function per renderer.

- Markdown (st.markdown, captions, titles, messages, labels): markdown_text
- HTML (st.html: the overview's goal cards): html_text
- plotly (titles, legends, categories, hover; plotly reads a little HTML: <a>, <b>, <br>, <img>?): plotly_text
- Vega-Lite / altair (labels are drawn as plain text; strings inside Vega expressions need quoting):
  vega_text, vega_expression_string
- the terminal (the command line prints only escaped text, never a control character): terminal_text

Every page, chart builder and command uses these; a name never reaches a renderer unescaped.
"""
import html
import json
import re
import sys
import unicodedata
from contextlib import contextmanager

# The characters that start Markdown, HTML or Streamlit syntax: emphasis, links, images, headings, lists,
# tables, code, raw HTML, entities (&lt;), math ($) and directives (:red[...], :material/...:). Setext
# headings ("===" under a line) cannot form: line breaks become spaces first.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")
# GitHub-flavoured Markdown (what Streamlit uses) turns bare "http://…", "www.…" and "a@b.c" into links
# AFTER escapes are resolved, so backslashes do not stop it: a word joiner (U+2060, invisible) inside the
# pattern does.
_AUTOLINK = re.compile(r"(?i)(?:https?|ftp|mailto|xmpp|www)(?=[:.])|@")
WORD_JOINER = "\u2060"
_LINE_BREAK = re.compile(r"\s*[\r\n\u2028\u2029\x0b\x0c\x85]+\s*")


def _one_line(value) -> str:
    """Line breaks as spaces and other control characters dropped: a name is one paragraph."""
    text = _LINE_BREAK.sub(" ", str(value))
    return "".join(c for c in text if unicodedata.category(c) != "Cc" or c == "\t")


def markdown_text(value) -> str:
    """Escape every Markdown and HTML-significant character so Streamlit shows the text literally."""
    text = _AUTOLINK.sub(lambda match: match.group(0) + WORD_JOINER, _one_line(value))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def html_text(value) -> str:
    """Text for raw HTML (st.html): one line, every HTML-significant character (quotes too, for attributes)
    as an entity, so a name can neither open a tag nor end an attribute."""
    return html.escape(_one_line(value), quote=True)


def plotly_text(value) -> str:
    """Text for a plotly title, legend, category or hover label: its HTML-like tags shown as characters.
    (plotly draws &lt; &gt; &amp; as the characters; a raw <a href> would be a live link.)"""
    return _one_line(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def vega_text(value) -> str:
    """Text for a Vega-Lite title, label or tooltip title: drawn as plain text, kept on one line."""
    return _one_line(value)


def vega_expression_string(value) -> str:
    """A string literal for inside a Vega expression (labelExpr): quoted, so it cannot end the literal."""
    return json.dumps(_one_line(value), ensure_ascii=False)


_TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
_TERMINAL_UNSAFE_LINES = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def _escape(match) -> str:
    return f"\\u{ord(match.group(0)):04x}"


def terminal_text(value, keep_lines: bool = False) -> str:
    """Text for the terminal: control characters (escape sequences, carriage returns, bells, bidi
    overrides) printed as visible escapes such as \\u001b, so a file cannot rewrite what the analyst sees.
    The escape is JSON's, so a JSON document stays valid and a tool reading it gets the original text.
    `keep_lines`: line feeds and tabs stay (the command line's own layout)."""
    pattern = _TERMINAL_UNSAFE if keep_lines else _TERMINAL_UNSAFE_LINES
    return pattern.sub(_escape, str(value))


class TerminalStream:
    """A text stream that escapes what terminal_text escapes (keeping lines) before it reaches `stream`:
    the command line prints every message, table and JSON document through it."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_text(text, keep_lines=True))
        return len(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


@contextmanager
def escaped_output():
    """While a command runs, everything it prints to stdout and stderr goes through TerminalStream."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalStream(out), TerminalStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


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
