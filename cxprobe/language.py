"""Offline, deterministic language detection from common words.

Enough to tell which language a page's text is in (English, German, French, Spanish,
Italian, Portuguese, Dutch, Polish, Czech, Swedish, Danish, Norwegian, Finnish, Romanian,
Turkish), to check a page's declared ``lang`` and to read phone numbers in the right
country. No model, no download, no randomness. Addresses (emails, URLs, domain names) are
left out first: the "de" of "info@shop.de" is no Spanish word.
"""

from __future__ import annotations

import re
from collections import Counter

#: Frequent words per language code ("en", "de", ...): what detect_language counts, and
#: what a probe can drop to compare the words that carry meaning.
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to in is for you your with that this are on we our it be as at from or by can an will have more".split()),
    "de": frozenset("der die das und ist nicht sie ein eine zu den mit für von auf ich wir uns ihre sich auch werden oder bei dem des".split()),
    "fr": frozenset("le la les et des est une un pour que qui dans nous vous sur pas avec par plus sont au aux du ce votre notre".split()),
    "es": frozenset("el la los las y de que en es para por con una un del al se su sus nuestro nuestra más como está son usted".split()),
    "it": frozenset("il lo la gli le e di che è per una un del della con non sono nel nella questo siamo vostro nostro".split()),
    "pt": frozenset("o a os as e de que em é para com uma um do da dos das não por mais como você nosso nossa são".split()),
    "nl": frozenset("de het een en van is dat op te in voor met zijn niet ons onze uw wij u aan ook als bij".split()),
    "pl": frozenset("i w z na się nie do to że jest jak dla po od są oraz przez lub ale czy przy tak także który która "
                    "które naszej nasz nasze może".split()),
    "cs": frozenset("a v se na je že s z do to jsou pro by jako ale nebo jak po při také který která které jsme naše "
                    "váš vaše od".split()),
    "sv": frozenset("och att det som en är på för med av till den inte har vi ett om jag kan de ni vår våra".split()),
    "da": frozenset("og at det som en er på for med af til den ikke har vi et om jeg kan de vores jer".split()),
    "no": frozenset("og at det som en er på for med av til den ikke har vi et om jeg kan de vår våre dere".split()),
    "fi": frozenset("ja on ei että se joka kuin mutta myös tai ovat olla oli sekä meidän te me sinun".split()),
    "ro": frozenset("și în de la cu pe un o să nu este din pentru care mai sau ca ce sunt noi nostru noastră".split()),
    "tr": frozenset("ve bir bu da de için ile olarak daha çok gibi ama veya olan en her biz sizin bizim".split()),
}
#: The country whose phone numbering a language most likely means, when nothing else says.
LANGUAGE_REGION = {"en": "US", "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "pt": "PT", "nl": "NL", "pl": "PL"}
_WORD = re.compile(r"[^\W\d_]+")
#: Emails, URLs and domain names: words of no language.
_ADDRESS = re.compile(r"\S+@\S+|\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}\b")


def _token_words(tok: str) -> list[str]:
    """The words of one token (lower case, no white space) with addresses left out. Only
    a token with an ``@`` or a dot can hold an address, and none spans white space, so the
    pattern runs on those tokens alone (on the whole text it costs a backtrack at every
    letter)."""
    if tok.isalpha():  # letters only: the token is one word (every letter is in _WORD)
        return [tok]
    # A dot that ends a token ("word.") starts no address: every address has a character
    # after its dot. Most tokens with a dot are the last word of a sentence.
    if "@" in tok or "." in tok[:-1]:
        tok = _ADDRESS.sub(" ", tok)
    return _WORD.findall(tok)


def _word_counts(text: str) -> tuple[int, Counter[str]]:
    """How many words ``text`` has (lower case, addresses left out), and how often each
    occurs. The text is split at white space and each distinct token read once: a
    page repeats most of its tokens, and no word spans white space."""
    return _word_counts_of(Counter(text.split()))


def _word_counts_of(tokens: Counter[str]) -> tuple[int, Counter[str]]:
    """:func:`_word_counts` of a text from its white-space tokens and how often each occurs
    (lower-casing a token is lower-casing it in the text: no case mapping makes or removes
    white space)."""
    total = 0
    seen: Counter[str] = Counter()
    for tok, n in tokens.items():
        words = _token_words(tok.lower())
        total += n * len(words)
        for w in words:
            seen[w] += n
    return total, seen


#: Each stop word's languages, for counting every language in one pass over the words.
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in STOPWORDS.items():
    for _w in _words:
        _LANGUAGES_OF[_w] = (*_LANGUAGES_OF.get(_w, ()), _lang)


def detect_language(text: str) -> str | None:
    """The language of ``text`` by stop words, or None when it is too short or unclear."""
    return _language_of(*_word_counts(text))


def detect_language_of_tokens(tokens: Counter[str]) -> str | None:
    """:func:`detect_language` of a text from its white-space tokens and their counts
    (``Counter(text.split())``), for a caller that has them already."""
    return _language_of(*_word_counts_of(tokens))


def _language_of(total: int, seen: Counter[str]) -> str | None:
    if total < 40:
        return None
    counts = dict.fromkeys(STOPWORDS, 0)
    # Only the distinct stop words are looked at.
    for w in _LANGUAGES_OF.keys() & seen.keys():
        n = seen[w]
        for lang in _LANGUAGES_OF[w]:
            counts[lang] += n
    lang, best = max(counts.items(), key=lambda kv: kv[1])
    ranked = sorted(counts.values(), reverse=True)
    if best < 5 or best < 1.5 * ranked[1]:
        return None
    return lang
