"""Which encoding a CSV's bytes are in: one for the whole file, or a refusal naming the rows that differ.

Excel on Chinese Windows writes GBK; everything else writes UTF-8. GB18030 decodes almost any bytes,
so a file with one GBK row pasted into UTF-8 text would decode "successfully" as GB18030 and store the
UTF-8 part as mojibake. A line that is valid UTF-8 with non-ASCII text can only be UTF-8 in practice (GBK
pairs rarely form UTF-8 sequences), so such lines beside lines that are not UTF-8 mean a mixed file.
Single-byte encodings cannot be told apart from the bytes (cp1250 or cp1252?): a guess is reported as one.
"""
from __future__ import annotations

from twomountains.ingest.problems import Problem, error

ROWS_NAMED = 10     # the refusal names this many rows at most (and how many more)


def _utf8_with_non_ascii(line: bytes) -> bool | None:
    """True: UTF-8 with non-ASCII text; False: not UTF-8; None: plain ASCII (any encoding)."""
    if line.isascii():
        return None
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def mixed_lines(data: bytes) -> tuple[list[int], int] | None:
    """The line numbers in the minority encoding and how many lines the majority has, when the file mixes
    UTF-8 lines with lines that are not UTF-8; None when it is one encoding."""
    utf8, other = [], []
    for number, line in enumerate(data.splitlines(), start=1):
        kind = _utf8_with_non_ascii(line)
        if kind is True:
            utf8.append(number)
        elif kind is False:
            other.append(number)
    if not utf8 or not other:
        return None
    return (other, len(utf8)) if len(other) <= len(utf8) else (utf8, len(other))


def mixed_problem(mixed: tuple[list[int], int]) -> Problem:
    rows, _ = mixed
    named = ", ".join(str(n) for n in rows[:ROWS_NAMED])
    more = len(rows) - ROWS_NAMED
    return error("mixed_encoding", row=rows[0], rows=named + (f" (+{more})" if more > 0 else ""), count=len(rows))


# A guess among single-byte code pages: Western European first (what Latin-1 text is, and the usual
# Windows one) when it reads the bytes nearly as cleanly as charset-normalizer's best guess, which on
# short French or German text often names a Baltic or Central European page by a hair.
_PREFERRED = ("cp1252", "latin_1", "iso8859_15")
_MARGIN = 0.1


def guess(data: bytes) -> tuple[str, str] | None:
    """(text, encoding name) by charset-normalizer, preferring cp1252 when it reads the bytes nearly as well
    as its best guess does; None when nothing fits."""
    from charset_normalizer import from_bytes
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    for match in matches:
        if set(match.could_be_from_charset) & set(_PREFERRED) and match.chaos <= best.chaos + _MARGIN:
            return str(match), "cp1252"
    return str(best), best.encoding
