"""Consistency touchpoint: "Does it feel like one company everywhere?"."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import cache, lru_cache
from statistics import pstdev

from cxprobe import (
    STOPWORDS,
    Context,
    Evidence,
    Outcome,
    Probe,
    Touchpoint,
    hookimpl,
    issue,
    outcome,
    per_run,
)
from cxprobe import detect_language as _detect

from ._common import CONTACT_SLUG
from ._contact_links import link_details, mismatch_cause
from ._lazyre import lazy_compile
from ._placeholders import (
    accept_list,
    email_is_placeholder,
    email_placeholder,
    phone_is_placeholder,
)
from .facts import contact_details
from .facts.phones import NumberIndex

TOUCHPOINT = Touchpoint(
    id="consistency", title="Consistency", question="Does it feel like one company everywhere?", weight=2,
    fact_defaults={"brand_names": [], "phones": [], "emails": [], "conflicts": []},
)

def detect_language(text: str) -> str | None:
    """The language a text is written in (cxprobe's offline stop-word detector)."""
    return _detect(text)


LEGAL_PAGE_RE = lazy_compile(r"privacy|datenschutz|impressum|imprint|legal|mentions|terms|agb|cgv|cgu|eula|policy|"
                           r"cookie|gdpr|dsgvo|aviso|privacidad|confidentialit|disclaimer|haftungsausschluss|"
                           r"privacidade|termos|privacyverklaring|voorwaarden|polityka|regulamin|ochrana-osobnich|"
                           r"informativa|condizioni|note-legali|rgpd|lgpd", re.I)


def is_legal_page(f: object) -> bool:
    """Privacy, terms, imprint and similar pages (address or title says so)."""
    url = getattr(f, "url", "")
    title = getattr(f, "title", "")
    return bool(LEGAL_PAGE_RE.search(url.rsplit("/", 1)[-1] or url) or LEGAL_PAGE_RE.search(title.split("|")[0]))


@per_run
def legal_pages(ctx: Context) -> frozenset[str]:
    """The URLs of the crawled pages that :func:`is_legal_page` says are legal (once a run)."""
    return frozenset(f.url for f in ctx.facts() if is_legal_page(f))


#: Phone labels that name a purpose of their own: a line for it is not a rival "call us"
#: number. Booking is what a general line is for at a restaurant or a car wash: one purpose.
_GENERAL_LABELS = ("", "booking")


def _own_numbers(ctx: Context, legal: frozenset[str]) -> dict[str, set[str]]:
    """digits -> pages, for the numbers the business offers as its own: shown in a header,
    navigation or footer, on the contact page, or on two pages or more. A number on one page
    only, in its body (a list of local restaurants, a helpline quoted in an article), is
    somebody else's or a mention, not an offer of the same service."""
    pages: dict[str, set[str]] = {}
    chrome: set[str] = set()
    contact_pages: set[str] = set()
    for f in ctx.facts():
        if f.url in legal:
            continue
        path = f.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] or f.url
        on_contact = bool(CONTACT_SLUG.search("/" + path)) or bool(CONTACT_SLUG.search(f.url))
        for p in contact_details(f).phones:
            pages.setdefault(p.digits, set()).add(f.url)
            if p.region in ("header", "nav", "footer"):
                chrome.add(p.digits)
            if on_contact:
                contact_pages.add(p.digits)
    return {d: urls for d, urls in pages.items() if d in chrome or d in contact_pages or len(urls) >= 2}


@per_run
def contact_conflicts(ctx: Context) -> list[dict[str, object]]:
    """Different values offered for the same purpose, and shown details that differ from links.

    Two numbers conflict when both are the business's own (see :func:`_own_numbers`), share
    a purpose (no label, or the same label: fax, WhatsApp, a mobile line, an emergency line,
    a department, a location or a person each make their own purpose) and no region of a
    page shows them together: numbers listed side by side are alternatives the site offers
    on purpose; numbers that replace each other from page to page, or a header and a footer
    that disagree, are the conflict.

    Placeholders (name@example.com, a 555 number) are judged apart from real details: a
    real number and a placeholder are not two offers of one service (the placeholder is
    the contact touchpoint's error). Two different placeholders for one purpose are
    listed with ``placeholder: true`` and are not scored or reported here.
    """
    accept = accept_list(ctx)
    accepted_emails = {a.lower() for a in accept}
    conflicts: list[dict[str, object]] = []
    legal = legal_pages(ctx)
    own = _own_numbers(ctx, legal)
    # Each distinct number once: its digits, as shown, the places it is shown at — a place
    # is (page, region): numbers in one region of one page stand side by side — and the
    # purposes it is offered for, per placeholder-ness.
    numbers: list[tuple[str, str, set[tuple[str, str]]]] = []
    groups: dict[tuple[bool, str], set[int]] = {}
    index = NumberIndex()
    for f in ctx.facts():
        if f.url in legal:
            continue
        for p in contact_details(f).phones:
            # Fax lines and numbers of other organisations (an authority, the host) are
            # not offers of the same service; a messaging link is a channel of its own.
            if p.label in ("fax", "third-party"):
                continue
            fake = phone_is_placeholder(p, accept)
            if not fake and p.digits not in own:
                continue
            purpose = "messaging" if p.source in ("whatsapp", "sms") else (
                "general" if p.label in _GENERAL_LABELS else p.label)
            place = (f.url, p.region)
            found = index.find(p.digits)
            if found is None:
                i = len(numbers)
                index.add(p.digits, i)
                numbers.append((p.digits, p.shown, {place}))
            else:
                i = found
                d, shown, places = numbers[i]
                places.add(place)
                if not any(c.isdigit() for c in shown):
                    numbers[i] = (d, p.shown, places)
            groups.setdefault((fake, purpose), set()).add(i)
    together: dict[tuple[str, str], set[int]] = {}
    for i, (_d, _s, places) in enumerate(numbers):
        for place in places:
            together.setdefault(place, set()).add(i)
    # Whatever their labels, numbers shown side by side somewhere are alternatives.
    partners = [set().union(*(together[place] for place in places)) for _d, _s, places in numbers]
    for (fake, label), members in sorted(groups.items()):
        # Placeholders are listed whenever there are two: none of them reaches anybody, so
        # side by side or not they are two stand-ins for one detail.
        # A member is a rival when some other member is never beside it (a set
        # intersection costs the smaller set: linear in the numbers, not quadratic).
        rivals = sorted(members) if fake and len(members) > 1 else sorted(
            i for i in members if len(partners[i] & members) < len(members))
        if rivals:
            chosen = [numbers[i] for i in rivals]
            conflicts.append(_conflict(f"phone:{label}", sorted(s for _d, s, _p in chosen),
                                       {url for _d, _s, places in chosen for url, _r in places}, fake))
    by_local: dict[tuple[bool, str], dict[str, set[str]]] = {}
    for f in ctx.facts():
        if f.url in legal:
            continue
        for e in contact_details(f).emails:
            if e.label == "third-party":
                continue
            local, _, domain = e.address.partition("@")
            by_local.setdefault((email_is_placeholder(e, accept), local), {}).setdefault(domain, set()).add(f.url)
    for (fake, local), domains in sorted(by_local.items()):
        if len(domains) > 1:
            conflicts.append(_conflict(f"email:{local}", sorted(f"{local}@{d}" for d in domains),
                                       set().union(*domains.values()), fake))
    for f in ctx.facts():
        for detail in link_details(ctx, f):
            if not detail.agrees:
                shown = detail.shown.lower() if detail.kind == "email" else detail.display
                fake = detail.kind == "email" and all(email_placeholder(a) is not None and a not in accepted_emails
                                                      for a in (shown, detail.target))
                conflicts.append(_conflict(f"{detail.kind}:link_mismatch", sorted({shown, detail.target}), {f.url}, fake))
    return conflicts


def conflict_sentence(kind: str, values: list[str]) -> str:
    """A conflict of the facts (``kind`` "phone:general", "email:info", "email:link_mismatch"...)
    said for the site's owner: the kind stays in the facts, never in the words."""
    channel, _, purpose = kind.partition(":")
    listed = ", ".join(values)
    if purpose == "link_mismatch":
        if channel == "email":
            return f"An email address is shown with a link that writes to another one: {listed}. Use one address."
        return f"A phone number is shown with a link that dials another one: {listed}. Use one number."
    if channel == "email":
        return (f"The mailbox {purpose!r} is shown at {len(values)} different domains: {listed}. "
                "Customers cannot tell which one is read; show one.")
    if purpose == "general":
        what = "phone numbers"
    elif purpose == "messaging":
        what = "messaging numbers (WhatsApp, SMS)"
    elif purpose.startswith("office:"):
        what = f"numbers for {purpose.partition(':')[2]}"
    else:
        what = f"{purpose} numbers"
    return (f"{len(values)} different {what} are offered for the same purpose and never side by side: {listed}. "
            "Customers cannot tell which one works; show one, or say what each is for.")


def _conflict(kind: str, values: list[str], pages: set[str], placeholder: bool) -> dict[str, object]:
    entry: dict[str, object] = {"kind": kind, "values": values, "pages": sorted(pages)}
    if placeholder:
        entry["placeholder"] = True
    return entry


class ContactConsistency(Probe):
    id = "consistency.contacts"
    touchpoint = "consistency"
    title = "One set of contact details is used everywhere"
    failure_title = "Conflicting contact details are shown"
    description = """
Two different "call us" numbers, or support@a.com on one page and support@b.com on another,
make customers wonder which one works. Conflicts: the business's own numbers (shown in a
header, navigation or footer, on the contact page, or on two pages or more) that serve the same
purpose and never stand side by side on any page; one mailbox name at two domains; a shown
email or number that differs from its link target. Not conflicts: lines labelled for
different purposes (sales, support, fax, booking, WhatsApp, a mobile line, an emergency line,
a location or a person: "Notfallnummer", "· Food truck"), numbers listed together as
alternatives, one number written two ways ("+44 (0)20 …" and "020 …"), numbers of others
listed on one page (local restaurants, a helpline in an article), numbers on legal pages, and
anything inside code samples (code, pre, kbd, samp).
Placeholder details (name@example.com, a 555 number) are the contact touchpoint's error and
never a conflict with a real detail; conflicts among placeholders only are listed in the
facts with `placeholder: true` and neither scored nor reported here.
Score: none 1.0, one 0.6, more 0.3.
"""
    weight = 2

    def check(self, ctx: Context) -> Outcome:
        all_conflicts = contact_conflicts(ctx)
        conflicts = [c for c in all_conflicts if not c.get("placeholder")]
        accept = accept_list(ctx)
        phones = sorted({p.e164 or p.shown for f in ctx.facts() for p in contact_details(f).phones if not phone_is_placeholder(p, accept)})
        emails = sorted({e.address for f in ctx.facts() for e in contact_details(f).emails if not email_is_placeholder(e, accept)})
        facts = {"phones": phones, "emails": emails, "conflicts": all_conflicts}
        issues = []
        for c in conflicts:
            kind = str(c["kind"])
            values = [str(v) for v in c["values"]]  # type: ignore[attr-defined]
            pages = [str(u) for u in c["pages"]]  # type: ignore[attr-defined]
            channel, _, purpose = kind.partition(":")
            cause = mismatch_cause(channel, values[0], values[-1]) if purpose == "link_mismatch" else None
            # One snippet for every page: the same string, not a copy per page (a conflict of
            # hundreds of numbers on thousands of pages was megabytes of copies to keep and to
            # send back from a second core).
            snippet = ", ".join(values)
            issues.append(issue("contact-conflict", "Different contact details are offered for the same purpose",
                                conflict_sentence(kind, values), severity="warning",
                                key=f"{kind}|{'|'.join(values)}", cause=cause,
                                evidence=[Evidence(url=u, snippet=snippet) for u in pages]))
        score = 1.0 if not conflicts else 0.6 if len(conflicts) == 1 else 0.3
        return outcome(score, issues, facts)


#: Legal-form suffixes that come and go around a brand: "Acme GmbH", "Acme Ltda", "Acme S.L.".
_LEGAL_FORMS = frozenset({
    "gmbh", "ag", "kg", "ohg", "ug", "ev", "e.v", "mbh", "co", "ltd", "ltda", "llc", "llp", "inc", "corp", "plc", "lp",
    "sarl", "sas", "sasu", "sa", "eurl", "sl", "slu", "sc", "srl", "spa", "snc", "bv", "nv", "vof", "ab", "as", "aps",
    "oy", "sp", "zoo", "z", "o.o", "sro", "s.r.o", "me", "eireli", "epp", "cia", "company",
})
#: Articles and particles that a brand drops or keeps ("Le Clos des Cyprès" / "Clos des Cyprès").
_BRAND_FILLER = frozenset({
    "the", "a", "an", "of", "and", "le", "la", "les", "l", "des", "de", "du", "d", "et", "der", "die", "das", "und", "von",
    "el", "los", "las", "y", "del", "il", "lo", "gli", "di", "e", "o", "os", "as", "da", "do", "dos", "het", "een",
    "van", "en", "i", "w", "z", "&",
})
#: "dir/index.html" and "dir/" are one page.
_INDEX_FILE = lazy_compile(r"/index\.(?:html?|php)$", re.I)
_TITLE_SPLIT = lazy_compile(r"\s+[|\-–—:·•»/]\s+|\s*[|·•»]\s*")


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    """Lower case without accents: "Cyprès" and "CYPRES" are one word."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


@lru_cache(maxsize=1 << 14)
def brand_words(name: str) -> tuple[str, ...]:
    """The words that make a name: folded, without articles and legal-form suffixes (kept:
    a site's name recurs in every title)."""
    words = re.findall(r"[\w.]+", _fold(name))
    return tuple(w.strip(".") for w in words if w.strip(".") and w.strip(".") not in _BRAND_FILLER
                 and w.strip(".").replace(".", "") not in _LEGAL_FORMS)


def carries_brand(title: str, brand: tuple[str, ...]) -> bool:
    """True when a title names the brand: at least half of its words (a translated title
    keeps the name and changes "Kanzlei" to "Law Firm"), in any order and inside a longer
    phrase ("Welcome to Acme Bakery – Home"), or its acronym ("ACAT" for "Associazione
    dei Club Alcologici Territoriali"), or the words an acronym brand stands for."""
    return _carries(brand_words(title), brand)


def _carries(words: tuple[str, ...], brand: tuple[str, ...], present: frozenset[str] | None = None) -> bool:
    """:func:`carries_brand` for a title already split into its brand words (``present``:
    the same words as a set, when the caller judges one title against many brands)."""
    if not brand:
        return False
    if present is None:
        present = frozenset(words)
    if sum(1 for w in brand if w in present) * 2 >= len(brand):
        return True
    if len(brand) >= 2 and "".join(w[0] for w in brand) in present:
        return True
    if len(brand) == 1 and len(brand[0]) >= 2:
        initials = "".join(w[0] for w in words)
        return brand[0] in initials
    return False


class _Titles:
    """Page titles split into brand words once, indexed by word, so that the number of
    titles carrying a candidate brand costs what its words occur, not a pass per title."""

    def __init__(self, title_words: list[tuple[str, ...]]) -> None:
        self.words = title_words
        self.sets = [frozenset(tw) for tw in title_words]
        self.initials = ["".join(w[0] for w in tw) for tw in title_words]
        self.having: dict[str, list[int]] = {}
        for i, present in enumerate(self.sets):
            for w in present:
                self.having.setdefault(w, []).append(i)

    def carrying(self, brand: tuple[str, ...]) -> int:
        """How many titles :func:`_carries` ``brand``."""
        if not brand:
            return 0
        hits: Counter[int] = Counter()
        for w in brand:  # a word the brand says twice counts twice, as in _carries
            hits.update(self.having.get(w, ()))
        yes = {i for i, n in hits.items() if n * 2 >= len(brand)}
        if len(brand) >= 2:
            yes.update(self.having.get("".join(w[0] for w in brand), ()))
        elif len(brand[0]) >= 2:
            yes.update(i for i, initials in enumerate(self.initials) if i not in yes and brand[0] in initials)
        return len(yes)


def brand_of(title: str) -> list[str]:
    """The parts of a title between separators ("Home | Acme" -> ["Home", "Acme"])."""
    return [p.strip() for p in _TITLE_SPLIT.split(title) if p.strip()]


class BrandConsistency(Probe):
    id = "consistency.brand"
    touchpoint = "consistency"
    title = "Every page title carries the brand name"
    failure_title = "Page titles do not carry one brand name"
    description = """
The brand name in every tab title tells customers they are still with the same company.
The brand is the title part (or og:site_name) that the most titles carry. A title carries it
when it names at least half of the brand's words, whatever their case, accents and order,
with or without an article or a legal form (GmbH, SARL, Ltda, S.L.), inside a longer phrase,
or as its acronym; so "Esencia | Gastrobar", "Law Firm Buhlke" on the English version of
"Kanzlei Buhlke" and "ACAT" for its full name all carry it. When no name is shared by two
titles, the finding says so. Score = share of pages whose title carries the brand.
"""
    weight = 1

    #: Candidate names judged against every title: the most frequent title parts.
    CANDIDATES = 20

    def check(self, ctx: Context) -> Outcome:
        pages = list(ctx.facts())
        if not pages:
            return Outcome.na("no pages")
        parts: Counter[str] = Counter()
        shown: dict[str, str] = {}
        for f in pages:
            for part in set(brand_of(f.title)):
                key = " ".join(brand_words(part))
                if key:
                    parts[key] += 1
                    shown.setdefault(key, part)
            site_name = f.social_meta.get("og:site_name")
            if site_name and brand_words(site_name):
                key = " ".join(brand_words(site_name))
                parts[key] += 1
                shown.setdefault(key, site_name)
        # Each title split once; every candidate is judged against the split titles.
        title_words = [brand_words(f.title) for f in pages]
        titles = _Titles(title_words)
        best: tuple[int, int, int, str] | None = None
        for key, n in sorted(parts.items(), key=lambda kv: (-kv[1], kv[0]))[: self.CANDIDATES]:
            words = tuple(key.split())
            carried = titles.carrying(words)
            rank = (carried, n, -len(words), key)
            if best is None or rank[:3] > best[:3]:
                best = rank
        brand = best[3] if best else None
        brand_name = shown.get(brand, brand) if brand else None
        # The brand part of each title: the part most titles share (a tagline or a page
        # name is not a brand name).
        names = sorted({max(ps, key=lambda x: (parts[" ".join(brand_words(x))], -ps.index(x))) for f in pages
                        if (ps := brand_of(f.title))})
        if len(pages) == 1:
            return outcome(1.0 if pages[0].title else 0.5, (), {"brand_names": names})
        words = tuple(brand.split()) if brand else ()
        shared = best is not None and best[0] >= 2
        carries = [shared and _carries(tw, words, ts) for tw, ts in zip(title_words, titles.sets, strict=True)]
        missing = [Evidence(url=f.url, snippet=f.title) for f, c in zip(pages, carries, strict=True) if not c]
        issues = []
        if missing and shared:
            issues.append(issue("title-without-brand", "Page title does not carry the brand name",
                                f"Most titles carry {brand_name!r}; these do not.", severity="info", evidence=missing))
        elif missing:
            issues.append(issue("title-without-brand", "Page title does not carry the brand name",
                                "No name is shared by the page titles: each tab shows only its page's name.",
                                severity="info", evidence=missing))
        facts = {"brand_names": names, "brand": brand_name.lower() if brand_name else None}
        return outcome(sum(carries) / len(pages), issues, facts)


class ChromeConsistency(Probe):
    id = "consistency.navigation"
    touchpoint = "consistency"
    title = "Pages share the same navigation and footer"
    failure_title = "Navigation or footer changes from page to page"
    description = """
When the menu changes between pages, customers lose their bearings. Checked: the link texts
(case and accents aside) and the link targets of each page's navigation/header and footer
against the start page's: when either the Jaccard similarity or the share of the start
page's links the page keeps is >= 0.5, it is the same menu — a legal page whose menu is
reworded but leads to the same sections, or that adds its own links, matches. Score = share
of pages that match.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        start = ctx.start
        pages = [f for f in ctx.facts()]
        if start is None or len(pages) < 2:
            return Outcome.na("fewer than two pages")

        indexless = cache(lambda url: _INDEX_FILE.sub("/", url))  # a menu's targets recur on every page

        def chrome(f: object) -> tuple[set[str], set[str]]:
            """The navigation's link texts (case and accents folded) and link targets: a
            menu reworded on a legal page ("PREISLISTE" / "Dienstleistungen") that leads to
            the same sections is the same menu."""
            links = [lk for lk in f.links if lk.region in ("nav", "header", "footer")]  # type: ignore[attr-defined]
            texts = {_fold(lk.text) for lk in links if lk.text}
            targets = {f"{indexless(lk.url)}#{lk.fragment}" for lk in links if lk.url}
            return texts, targets

        def similarity(base: set[str], other: set[str]) -> float:
            """Jaccard, or the share of the start page's links the page keeps (a legal
            page that keeps the menu and adds its own links has the same navigation)."""
            if not (base | other):
                return 1.0
            kept = len(base & other) / len(base) if base else 0.0
            return max(len(base & other) / len(base | other), kept)

        base_texts, base_targets = chrome(start)
        if not base_texts:
            return Outcome.na("the start page has no navigation links")
        differ = []
        for f in pages:
            texts, targets = chrome(f)
            if max(similarity(base_texts, texts), similarity(base_targets, targets)) < 0.5:
                differ.append(Evidence(url=f.url, snippet=f"{len(base_texts & texts)} of {len(base_texts)} navigation links shared"))
        issues = []
        if differ:
            issues.append(issue("navigation-differs", "Page has a different navigation or footer",
                                "The menu or footer on this page differs from the home page's.", severity="info", evidence=differ))
        return outcome(1 - len(differ) / len(pages), issues)


class LanguageConsistency(Probe):
    id = "consistency.language"
    touchpoint = "consistency"
    title = "Each page declares the language it is written in"
    failure_title = "Page language is missing or does not match the text"
    description = """
The `lang` attribute tells browsers, screen readers and translators what language a page is
in. Checked: every page declares one, and the declared language matches the text (detected
offline from common words in English, German, French, Spanish, Italian, Portuguese, Dutch).
Score = share of pages that declare a matching language.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        pages = list(ctx.facts())
        if not pages:
            return Outcome.na("no pages")
        good = 0
        missing, wrong = [], []
        langs: set[str] = set()
        for f in pages:
            declared = (f.lang or "").split("-")[0].lower()
            detected = f.text_lang
            if detected:
                langs.add(detected)
            if not declared:
                missing.append(Evidence(url=f.url))
                continue
            if detected and declared in STOPWORDS and detected != declared:
                wrong.append(Evidence(url=f.url, snippet=f'lang="{f.lang}" but the text reads as {detected}'))
                continue
            good += 1
        issues = []
        if missing:
            issues.append(issue("no-lang", "Page does not declare its language", "Add lang=\"..\" to the <html> element.",
                                severity="info", evidence=missing))
        if wrong:
            issues.append(issue("lang-mismatch", "Declared language does not match the text",
                                "The lang attribute says one language, the text is in another.", severity="warning", evidence=wrong))
        return outcome(good / len(pages), issues, {"languages": sorted(langs)})


class ToneConsistency(Probe):
    id = "consistency.tone"
    touchpoint = "consistency"
    title = "Pages are written at a similar reading level"
    failure_title = "Reading level swings widely between pages"
    description = """
One company should sound like one voice. Checked: the spread (standard deviation) of the
reading grade of the main text across pages, each page in its own language with the formula
made for it (as for `clarity.readability`; policy pages and pages with less than 3 sentences
and 40 words of prose left out). Spread <= 3 grades -> 1.0, falling to 0.6 at 6+. Not
applicable under three measured pages.
"""
    weight = 0.5

    def check(self, ctx: Context) -> Outcome:
        from .clarity import copy_checks

        grades = []
        for f in ctx.facts():
            if re.search(r"privacy|terms|legal|eula|policy|cookie", f.url, re.I):
                continue
            grade = copy_checks(f).main_grade  # measured where the page was read
            if grade is not None:
                grades.append(grade)
        if len(grades) < 3:
            return Outcome.na("fewer than three pages with readable text")
        spread = pstdev(grades)
        score = 1.0 if spread <= 3 else max(0.6, 1 - (spread - 3) * 0.4 / 3)
        return outcome(score, (), {"grade_spread": round(spread, 1)})


@hookimpl
def cxprobe_add_touchpoints(register: Callable[[Touchpoint], None]) -> None:
    register(TOUCHPOINT)


@hookimpl
def cxprobe_add_probes(register: Callable[[Probe], None]) -> None:
    for cls in (ContactConsistency, BrandConsistency, ChromeConsistency, LanguageConsistency, ToneConsistency):
        register(cls())
