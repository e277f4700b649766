"""Language detection counts words without listing them; the counts must be those of
reading every word with the pattern."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from cxprobe.language import _ADDRESS, _WORD, _word_counts, detect_language

PIECES = ["the", "and", "Der", "und", "shop.de", "info@shop.de", "www.example.com", "word.", "don't", "12",
          "x_y", "İstanbul", "ǅemal", "½", "Ⅻ", "ß", "e-mail", "https://a.b/c", "a.b", "…", "—", "\u00a0", "\n",
          "\t", " ", ".", "@", "Straße", "œuvre", "naïve", "日本語", "ﬁne"]


def reference(text: str) -> tuple[int, Counter[str]]:
    """The words as read before: every token's addresses removed, then the pattern over
    the whole text."""
    tokens = text.lower().split()
    for i, tok in enumerate(tokens):
        if "@" in tok or "." in tok[:-1]:
            tokens[i] = _ADDRESS.sub(" ", tok)
    words = _WORD.findall(" ".join(tokens))
    return len(words), Counter(words)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=60))
def test_counts_are_those_of_reading_every_word(parts: list[str]) -> None:
    text = " ".join(parts)
    assert _word_counts(text) == reference(text)


def test_a_page_is_read_in_its_language() -> None:
    german = ("Wir sind ein kleines Team in Wesel und reinigen Büros für Sie. " * 6
              + "Schreiben Sie uns an info@reinigung.de oder besuchen Sie www.reinigung.de. ")
    english = "We are a small team and we clean the offices of your company with care. " * 6
    assert detect_language(german) == "de"
    assert detect_language(english) == "en"
    assert detect_language("Hello there") is None
    # Addresses are no words: "de" and "com" of the domains count for no language.
    assert _word_counts("info@shop.de www.shop.de shop.de")[0] == 0
    assert _word_counts("naïve ½ x_y") == (4, Counter({"naïve": 1, "½": 1, "x": 1, "y": 1}))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=60))
def test_the_page_word_count_is_that_of_reading_every_word(parts: list[str]) -> None:
    import re

    from cxprobe.document.tree import count_words

    text = " ".join(parts)
    assert count_words(Counter(text.split())) == len(re.findall(r"\w+", text))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES + ["The", "THE", "Und", "DER"]), st.text(max_size=8)), max_size=80))
def test_the_language_of_counted_tokens_is_that_of_the_text(parts: list[str]) -> None:
    from cxprobe.language import detect_language_of_tokens

    text = " ".join(parts * 3)
    assert detect_language_of_tokens(Counter(text.split())) == detect_language(text)
