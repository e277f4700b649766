"""Visible misspellings in short UI text: navigation links and form buttons.

A typo in the menu ("Masage", "Pirce list") is on every page and tells the customer nobody
read the site. Finding one without flagging names, brands and loanwords needs restraint;
a word is reported only when all of these hold:

- the page's language has a dictionary here (pyspellchecker's word-frequency lists ship
  in its wheel and are read offline: en, es, fr, de, it, pt, nl, ru); any other language
  is "not checked";
- the word is letters only, at least five of them, not all capitals (acronyms);
- it is in neither the page language's dictionary nor the English one (loanwords such as
  "Newsletter", "Booking"), nor in the owner's ``[spelling] accept`` list, the page title or
  the site's host name;
- one edit (a letter added, changed or two swapped) turns it into a frequent word of the
  language (among its 20,000 most frequent), and no such neighbour is merely an inflection,
  an accent, a regional spelling or a missing letter away (a plural missing from the list,
  "orcamento" without its cedilla, British "favourites", Brazilian "contato");
- the page declares its language and its text does not read as another one (an English
  page marked ``lang="pl"`` is not checked);
- it appears nowhere else on the page than in that UI text: a word the prose uses too is a
  name or a term the owner chose.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import sys
import tempfile
import time
import unicodedata
import zlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from cxprobe import Setting

from ._lazyre import lazy_compile

#: Languages whose dictionaries pyspellchecker ships.
LANGUAGES = frozenset({"en", "es", "fr", "de", "it", "pt", "nl", "ru"})
#: A neighbour must be among this many most frequent words of its language.
FREQUENT_RANK = 20_000
_WORD = lazy_compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

#: ``[spelling] accept`` in a config file: words that are right although no dictionary knows them.
ACCEPT = Setting(
    name="spelling.accept", kind="list", default=(), section="spelling",
    help="Words of menu items and form buttons that are spelt right although no dictionary knows them "
         "(product names, local terms), e.g. [\"Wrenchlog\", \"Velofix\"]; matched case-insensitively.",
    validate=lambda value, where: tuple(v.strip().lower() for v in value if v.strip()),
)


@cache
def _checker(lang: str) -> Any:
    """The language's spell checker (its dictionary read once per process), or None."""
    if lang not in LANGUAGES:
        return None
    import spellchecker  # imported here: reading a dictionary takes a moment

    path = Path(spellchecker.__file__).parent / "resources" / f"{lang}.json.gz"
    if not path.is_file():  # installed where its files are not plain files (a zip)
        return spellchecker.SpellChecker(language=lang, distance=1)
    sp = spellchecker.SpellChecker(language=None, distance=1)
    cached = _cache_file(path, lang, str(getattr(spellchecker, "__version__", "")))
    if cached is not None and _read_cache(cached, lang, sp):
        return sp
    # The same dictionary as SpellChecker(language=lang) reads, a quarter sooner for
    # English: that lower-cases each of its words after decoding the JSON (the words
    # already are); this lower-cases the file's text once, as it reads its own files.
    sp.word_frequency.load_dictionary(str(path))
    if cached is not None:
        _write_cache(cached, lang, sp)
    return sp


@cache
def _frequent_floor(lang: str) -> int:
    """The count of the language's FREQUENT_RANK-th most frequent word."""
    sp = _checker(lang)
    floor = _FLOORS.get(lang)
    if floor is None:
        floor = _FLOORS[lang] = _floor_of(sp.word_frequency.dictionary)
    return floor


def _floor_of(counts: Any) -> int:
    ranked = sorted(counts.values(), reverse=True)
    return int(ranked[min(FREQUENT_RANK, len(ranked)) - 1]) if ranked else 0


# --------------------------------------------------------------------------- the cache
# Decoding a dictionary's JSON and tallying its letters take 0.2-0.45 s a language (the
# English one, which every run reads for loanwords, 160,000 words), in every run: a
# static audit's probes and browser mode's warm-up alike. The same dictionary, read once,
# is kept in the user's cache folder in marshal's format (what Python's own .pyc files
# use), behind a CRC-32 of its content, which reads back in about a third of the time (a
# fifth of the instructions). The file's name holds everything its content depends on (the
# dictionary file's size and time, pyspellchecker's, Python's and marshal's versions, the
# frequent rank, this format); a file that does not read back whole is read from the
# dictionary again and written anew. Nothing fails for want of a cache folder.

#: The cache files' format: bump when what is kept changes.
CACHE_FORMAT = 1
#: Words' counts at FREQUENT_RANK, by language, as read from a cache file.
_FLOORS: dict[str, int] = {}
#: What the cache sets on pyspellchecker's WordFrequency (as its own _update_dictionary does).
_TALLIES = ("_longest_word_length", "_total_words", "_unique_words", "_letters")
#: Every field of pyspellchecker's WordFrequency whose tallies the cache knows (0.8-0.9): a
#: version with other fields may tally otherwise, and its dictionaries are decoded as before.
_KNOWN_FIELDS = frozenset({"_dictionary", "_total_words", "_unique_words", "_letters", "_tokenizer",
                           "_case_sensitive", "_longest_word_length"})
#: Days a cache file nobody read stays (another virtual environment's, an older Python's).
CACHE_KEEP_DAYS = 30


def cache_folder() -> Path | None:
    """``$XDG_CACHE_HOME/cxprobe/spelling`` (``~/.cache`` by default, and when the variable
    is not an absolute path, as the XDG rules say); None without a home."""
    root = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(root):
        try:
            root = str(Path.home() / ".cache")
        except (RuntimeError, KeyError):  # no home directory to find
            return None
    return Path(root) / "cxprobe" / "spelling"


def _cacheable(wf: Any) -> bool:
    fields = getattr(type(wf), "__slots__", None)
    if fields is None:
        fields = vars(wf)
    return set(fields) == _KNOWN_FIELDS


def _cache_file(path: Path, lang: str, version: str) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    py = f"{sys.implementation.name}{sys.version_info.major}.{sys.version_info.minor}"
    key = (f"{lang}-{st.st_size}-{st.st_mtime_ns}-pyspellchecker{version}-{py}-m{marshal.version}"
           f"-r{FREQUENT_RANK}-f{CACHE_FORMAT}")
    return folder / f"{re.sub(r'[^A-Za-z0-9.-]+', '_', key)}.marshal"


def _read_cache(file: Path, lang: str, sp: Any) -> bool:
    """Fill ``sp``'s dictionary from a cache file; False (``sp`` untouched) when there is
    none that reads back whole."""
    wf = sp.word_frequency
    if wf.dictionary or not _cacheable(wf):
        return False
    try:
        data = _unpack(file.read_bytes())
        if data is None:
            return False
        _format, words, (longest, total, unique, letters), floor = data
        if not (_format == CACHE_FORMAT and type(words) is dict and unique == len(words)
                and all(type(t) is int for t in (longest, total, unique, floor))
                and type(letters) is list and all(type(c) is str for c in letters)):
            return False
        letters = set(letters)
    except Exception:  # noqa: BLE001 - a file that does not read back whole is decoded again
        return False
    wf.dictionary.update(words)
    for name, value in zip(_TALLIES, (longest, total, unique, letters), strict=True):
        setattr(wf, name, value)
    _FLOORS[lang] = floor
    with contextlib.suppress(OSError):  # read: kept (see _forget_unread)
        os.utime(file)
    return True


def _write_cache(file: Path, lang: str, sp: Any) -> None:
    """Keep ``sp``'s dictionary in a cache file (written whole, then renamed: a reader never
    meets half a file), and drop the language's files nobody read for
    :data:`CACHE_KEEP_DAYS`. Any failure leaves no file behind and is ignored; nothing is
    prepared for a folder that cannot be written."""
    wf = sp.word_frequency
    if not _cacheable(wf):
        return
    tmp = None
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=f".{lang}-", suffix=".tmp")
        floor = _FLOORS.setdefault(lang, _floor_of(wf.dictionary))
        tallies = tuple(sorted(wf._letters) if name == "_letters" else getattr(wf, name) for name in _TALLIES)
        with os.fdopen(fd, "wb") as out:
            out.write(_pack((CACHE_FORMAT, dict(wf.dictionary), tallies, floor)))
        os.replace(tmp, file)
        tmp = None
        _forget_unread(file, lang)
    except (OSError, ValueError):
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


#: The first bytes of a cache file, before the CRC-32 of the rest.
_MAGIC = b"cxprobe-spelling\n"


def _pack(data: Any) -> bytes:
    """A cache file's bytes: :data:`_MAGIC`, the CRC-32 of the marshalled ``data``, it."""
    blob = marshal.dumps(data)
    return _MAGIC + zlib.crc32(blob).to_bytes(4, "big") + blob


def _unpack(raw: bytes) -> Any:
    """What :func:`_pack` packed, or None for bytes it did not write whole (a file cut
    short or changed since: the checksum is checked before anything is read)."""
    head = len(_MAGIC) + 4
    if len(raw) < head or not raw.startswith(_MAGIC):
        return None
    blob = raw[head:]
    if zlib.crc32(blob) != int.from_bytes(raw[len(_MAGIC):head], "big"):
        return None
    return marshal.loads(blob)


def _forget_unread(kept: Path, lang: str) -> None:
    """Remove the language's other cache files not read for :data:`CACHE_KEEP_DAYS` (those
    of another virtual environment in use stay: each is touched when read), and temporary
    files a process stopped while writing left for a day."""
    now = time.time()
    stale = [(p, CACHE_KEEP_DAYS) for p in kept.parent.glob(f"{lang}-*.marshal") if p != kept]
    stale += [(p, 1) for p in kept.parent.glob(f".{lang}-*.tmp")]
    for old, days in stale:
        with contextlib.suppress(OSError):
            if now - old.stat().st_mtime > days * 86400:
                old.unlink()


def declared(f: Any) -> str:
    """The primary language a page declares (``lang="pt-BR"`` -> "pt"), "" when none."""
    return (f.lang or "").split("-")[0].lower()


def warm(lang: str) -> None:
    """Read ahead what checking ``lang`` reads: its dictionary and English's, and its
    frequent words' floor."""
    if lang in LANGUAGES:
        _checker("en")
        _frequent_floor(lang)


def _plain(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


#: British and American spellings of the same word ("favourite", "personalise", "centre").
_REGIONAL = ((r"our", "or"), (r"is", "iz"), (r"ys", "yz"), (r"tre", "ter"), (r"ogue", "og"), (r"ll", "l"))


def _variant(word: str, other: str) -> bool:
    """True when two words differ only by an ending of one or two letters, by accents, or as
    British and American spellings do."""
    if _plain(word) == _plain(other):
        return True
    short, long_ = sorted((word, other), key=len)
    if long_.startswith(short) and len(long_) - len(short) <= 2 or (len(word) == len(other) and word[:-1] == other[:-1]):
        return True
    return any(word.replace(a, b) == other or other.replace(a, b) == word for a, b in _REGIONAL)


def known(lang: str, word: str) -> bool:
    """True when the language's dictionary (or English's) has the word."""
    w = word.lower()
    sp = _checker(lang)
    if sp is not None and w in sp.word_frequency:
        return True
    en = _checker("en")
    return lang != "en" and en is not None and w in en.word_frequency


def near_miss(lang: str, word: str) -> str | None:
    """The frequent word that ``word`` is one slip away from, or None (see the module doc)."""
    if lang not in LANGUAGES or len(word) < 5 or word.isupper() or not word.isalpha():
        return None
    if known(lang, word):
        return None
    sp = _checker(lang)
    w = word.lower()
    neighbours = [c for c in (sp.candidates(w) or ()) if c != w and c in sp.word_frequency]
    if not neighbours or any(_variant(w, c) for c in neighbours):
        return None
    # Two letters swapped is the commonest slip: such a neighbour is the likelier meaning.
    swapped = [c for c in neighbours if len(c) == len(w) and sorted(c) == sorted(w)]
    best = max(swapped or neighbours, key=lambda c: (sp.word_frequency[c], c))
    if sp.word_frequency[best] < _frequent_floor(lang):
        return None
    if len(best) == len(w) + 1:
        return None  # a letter missing: as often a regional spelling (Brazilian "contato") as a slip
    return str(best)


_JOINERS = lazy_compile(r"['’-]")


def words(text: str) -> Iterable[str]:
    """The words of a short UI text."""
    for m in _WORD.finditer(text):
        yield from _JOINERS.split(m.group(0))
