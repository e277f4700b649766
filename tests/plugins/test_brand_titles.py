"""The brand probe counts the titles that carry a candidate brand through an index of
their words: the count is the one a pass over every title with ``_carries`` gives."""

from __future__ import annotations

from cxprobe_plugins.consistency import _carries, _Titles, brand_words
from hypothesis import given, settings
from hypothesis import strategies as st

WORDS = st.sampled_from(["acme", "bakery", "a", "ab", "abc", "home", "kanzlei", "buhlke", "law", "firm", "b", "c"])


@settings(max_examples=300)
@given(st.lists(st.lists(WORDS, max_size=6).map(tuple), max_size=12), st.lists(WORDS, max_size=4).map(tuple))
def test_the_index_counts_what_a_pass_over_the_titles_counts(titles: list[tuple[str, ...]],
                                                               brand: tuple[str, ...]) -> None:
    assert _Titles(titles).carrying(brand) == sum(1 for tw in titles if _carries(tw, brand))


def test_real_titles() -> None:
    titles = [brand_words(t) for t in ("Esencia | Gastrobar", "Law Firm Buhlke", "Kanzlei Buhlke – Kontakt",
                                       "ACAT – Chi siamo", "Home", "Associazione dei Club Alcologici Territoriali")]
    index = _Titles(titles)
    for brand in (("kanzlei", "buhlke"), ("acat",), ("associazione", "club", "alcologici", "territoriali"), ("esencia",)):
        assert index.carrying(brand) == sum(1 for tw in titles if _carries(tw, brand)) > 0
