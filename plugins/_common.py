"""Helpers shared by the built-in probes: touchpoint words in several languages and
finders over page facts. Only public cxprobe API is used here (dogfooding).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar
from urllib.parse import SplitResult, urlsplit

from cxprobe import Context, Evidence, Link, PageFacts, per_run

from ._lazyre import folded_spans, lazy_compile
from .words import POLICY_WORDS

T = TypeVar("T")

# Touchpoint words in English, French, German, Spanish (and a few Italian/Portuguese/Dutch).
CONTACT_RE = lazy_compile(
    r"\b(contact(?:\s+us)?|get\s+in\s+touch|reach\s+us|talk\s+to\s+us|write\s+to\s+us|kontakt(?:ieren)?|"
    r"contacto|cont[aá]ctanos|cont[aá]ctenos|nous\s+contacter|contactez[- ]nous|contatti|contattaci|contato|"
    r"fale\s+conosco|neem\s+contact)\b",
    re.I,
)
CONTACT_SLUG = lazy_compile(r"(^|[/_-])(contact|contact-us|contactus|kontakt|contacto|contactez-nous|contatti|contato|get-in-touch)([/_.-]|$)", re.I)
IMPRESSUM_RE = lazy_compile(r"\b(impressum|imprint|mentions\s+l[ée]gales|aviso\s+legal|legal\s+notice)\b", re.I)
PRICING_RE = lazy_compile(
    r"\b(pricing|prices|price\s+list|our\s+prices|plans(?:\s+(?:and|&)\s+pricing)?|plans\s*&\s*pricing|rates|fees|"
    r"tarifs?|prix|preise|preis(?:e|liste)?|precios|tarifas|pre[çc]os|prezzi|abonnements?|subscriptions?|tickets?)\b",
    re.I,
)
# A link or button that names pricing in the navigation.
PRICING_LINK_RE = lazy_compile(r"^\s*(pricing|prices?|plans(?:\s*&\s*pricing)?|tarifs?|preise|precios|tarifas|rates)\s*$", re.I)
PRICING_SLUG = lazy_compile(r"(^|[/_-])(pricing|prices|plans|price|tarifs|preise|precios|tarifas|rates|tickets?)([/_.-]|$)", re.I)
HIDDEN_PRICE_RE = lazy_compile(
    r"\b(contact\s+(?:our\s+)?sales|talk\s+to\s+sales|request\s+(?:a\s+)?(?:quote|pricing|demo|proposal)|"
    r"get\s+(?:a\s+)?(?:quote|custom\s+quote|pricing)|ask\s+for\s+(?:a\s+)?quote|"
    r"(?:schedule|book)\s+(?:a|an|your)\s+(?:free\s+|quick\s+|discovery\s+|sales\s+|intro\s+)?(?:call|demo|consultation)|"
    r"free\s+consultation|call\s+for\s+pricing|price\s+on\s+request|"
    r"pricing\s+on\s+request|custom\s+pricing|devis|demander\s+un\s+devis|angebot\s+anfordern|presupuesto|"
    r"solicitar\s+presupuesto)\b",
    re.I,
)
HELP_RE = lazy_compile(
    r"\b(help(?:\s+cent(?:er|re))?|support|customer\s+service|knowledge\s*base|docs|documentation|"
    r"guides?|tutorials?|user\s+guide|manual|hilfe|aide|centre\s+d'aide|ayuda|soporte|assistance|kundenservice|"
    r"servicio\s+al\s+cliente|aiuto|assistenza|ajuda|suporte|central\s+de\s+ajuda|klantenservice|pomoc|n[áa]pov[ěe]da|"
    r"hj[äa]lp|hj[æe]lp|ohjeet|ajutor|yard[ıi]m|"
    # pages of practical answers for a clinic's patients or a host's guests
    r"patient\s+information|for\s+patients|f[üu]r\s+patienten|patienteninformation(?:en)?|pour\s+les\s+patients|"
    r"para\s+pacientes|per\s+i\s+pazienti|voor\s+pati[ëe]nten|dla\s+pacjent[óo]w|pro\s+pacienty|"
    r"informations\s+pratiques|informaci[oó]n\s+pr[aá]ctica|informazioni\s+utili|informa[çc][õo]es\s+[úu]teis|"
    r"praktische\s+informatie|guest\s+(?:guide|information)|welcome\s+book)\b",
    re.I,
)
HELP_SLUG = lazy_compile(r"(^|[/_-])(help|support|docs|documentation|kb|knowledge-?base|hilfe|aide|ayuda|soporte|guides?|"
                       r"aiuto|assistenza|ajuda|suporte|klantenservice|pomoc|napoveda|for-patients|patienten|pacientes|"
                       r"pazienti|pacjenci|pro-pacienty|welcome-book)([/_.-]|$)", re.I)
FAQ_RE = lazy_compile(r"\b(faqs?|f\.a\.q\.?|frequently\s+asked(?:\s+questions)?|common\s+questions|questions\s+fr[ée]quentes|"
                    r"foire\s+aux\s+questions|h[äa]ufige\s+fragen|h[äa]ufig\s+gestellte\s+fragen|preguntas\s+frecuentes|"
                    r"domande\s+frequenti|perguntas\s+frequentes|d[úu]vidas\s+frequentes|veelgestelde\s+vragen|"
                    r"najcz[ęe][śs]ciej\s+zadawane\s+pytania|cz[ęe]ste\s+pytania|[čc]asto\s+kladen[ée]\s+ot[áa]zky|"
                    r"vanliga\s+fr[åa]gor|ofte\s+stillede\s+sp[øo]rgsm[åa]l|ofte\s+stilte\s+sp[øo]rsm[åa]l|"
                    r"usein\s+kysytyt\s+kysymykset|[îi]ntreb[ăa]ri\s+frecvente|s[ıi]k[çc]a\s+sorulan\s+sorular)\b", re.I)
FAQ_SLUG = lazy_compile(r"(^|[/_-])(faqs?|frequently-asked-questions|preguntas-frecuentes|perguntas-frequentes|"
                      r"domande-frequenti|veelgestelde-vragen|haeufige-fragen|fragen)([/_.-]|$)", re.I)
STATUS_RE = lazy_compile(r"\b(system\s+status|service\s+status|status\s+page|uptime)\b", re.I)

#: kind -> (link/title text, url slug) of each policy, in the languages of Europe and the
#: Americas (plugins/words.py).
POLICY_KINDS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = POLICY_WORDS

SOCIAL_NETWORKS: dict[str, tuple[str, ...]] = {
    "facebook": ("facebook.com", "fb.com", "fb.me"),
    "twitter": ("twitter.com", "x.com"),
    "instagram": ("instagram.com",),
    "linkedin": ("linkedin.com",),
    "youtube": ("youtube.com", "youtu.be"),
    "tiktok": ("tiktok.com",),
    "pinterest": ("pinterest.com",),
    "github": ("github.com",),
    "mastodon": ("mastodon.social", "fosstodon.org"),
    "threads": ("threads.net",),
    "discord": ("discord.gg", "discord.com"),
    "reddit": ("reddit.com",),
    "medium": ("medium.com",),
    "dribbble": ("dribbble.com",),
    "behance": ("behance.net",),
    "telegram": ("t.me", "telegram.me"),
    "vimeo": ("vimeo.com",),
    "bluesky": ("bsky.app",),
    "xing": ("xing.com",),
}
#: How the networks write their own names (the others: capitalised).
_NETWORK_TITLES = {"linkedin": "LinkedIn", "youtube": "YouTube", "tiktok": "TikTok", "github": "GitHub",
                   "whatsapp": "WhatsApp"}


def network_title(net: str) -> str:
    """A network's name as people write it: "linkedin" -> "LinkedIn"."""
    return _NETWORK_TITLES.get(net, net.title())


#: Paths that are a network's own pages, not someone's profile.
NOT_PROFILE_PATHS = lazy_compile(
    r"^/(|home|login|signup|share|sharer(\.php)?|intent/.*|share.*|dialog/.*|plugins/.*|hashtag/.*|search.*|"
    r"explore.*|watch|legal.*|policies.*|privacy.*|about|help.*|settings.*|terms.*)/?$",
    re.I,
)
_NETWORK_NAMES = (r"facebook|twitter|x-twitter|instagram|linkedin|youtube|tiktok|pinterest|github|mastodon|threads|"
                  r"discord|reddit|medium|dribbble|behance|telegram|vimeo|bluesky|xing")
#: A network named in link text ("Follow us on Instagram").
SOCIAL_TEXT_RE = lazy_compile(rf"\b({_NETWORK_NAMES})\b", re.I)
#: An icon class naming a network: "fa-facebook", "bi-twitter", "icon-instagram", "github-icon".
SOCIAL_TOKEN_RE = lazy_compile(
    rf"^(?:fa[bsr]?-|bi-|icon-|ion-|ti-|la[bs]?-|social-|logo-|ri-|uil-|mdi-|si-|eva-|feather-|lni-)?({_NETWORK_NAMES})"
    r"(?:-(?:f|square|circle|alt|icon|logo|outline|fill|line|official|round|rounded|brands?))*$",
    re.I,
)


def social_hint(text: str, hints: str) -> str | None:
    """The network a link's text or icon names, or None ("sponsor-github-item" is not an icon)."""
    m = SOCIAL_TEXT_RE.search(text)
    if m and len(text) <= 40:
        return m.group(1).lower().replace("x-twitter", "twitter")
    for token in hints.split():
        t = SOCIAL_TOKEN_RE.match(token)
        if t:
            return t.group(1).lower().replace("x-twitter", "twitter")
    return None

CHAT_VENDORS: dict[str, tuple[str, ...]] = {
    "intercom": ("widget.intercom.io", "js.intercomcdn.com", "intercom"),
    "drift": ("js.driftt.com", "drift.com"),
    "zendesk": ("static.zdassets.com", "zopim.com", "zendesk.com/embeddable", "ekr.zdassets.com"),
    "crisp": ("client.crisp.chat",),
    "tawk.to": ("embed.tawk.to",),
    "hubspot": ("js.usemessages.com", "js.hs-scripts.com", "hubspot.com/conversations"),
    "livechat": ("cdn.livechatinc.com", "livechat.com"),
    "tidio": ("code.tidio.co",),
    "olark": ("static.olark.com",),
    "freshchat": ("wchat.freshchat.com", "freshchat", "fw-cdn.com"),
    "chatwoot": ("chatwoot",),
    "smartsupp": ("smartsuppchat.com", "smartsupp.com"),
    "userlike": ("userlike-cdn", "userlike.com"),
    "purechat": ("purechat.com",),
    "jivochat": ("code.jivosite.com", "jivosite"),
    "helpscout": ("beacon-v2.helpscout.net",),
    "gorgias": ("gorgias.chat",),
    "liveperson": ("lpcdn.lpsnmedia.net", "liveperson.net"),
    "comm100": ("comm100.com",),
    "chatra": ("call.chatra.io",),
    "zoho": ("salesiq.zoho", "zohopublic"),
    "facebook-messenger": ("connect.facebook.net/en_us/sdk/xfbml.customerchat",),
    "front": ("chat-assets.frontapp.com",),
    "kommunicate": ("widget.kommunicate.io",),
    "gladly": ("gladly.com",),
}

REVIEW_PLATFORMS: dict[str, tuple[str, ...]] = {
    "trustpilot": ("trustpilot.com",),
    "google-reviews": ("search.google.com/local/writereview", "g.page/r/"),
    "yelp": ("yelp.com",),
    "tripadvisor": ("tripadvisor.",),
    "g2": ("g2.com",),
    "capterra": ("capterra.com",),
    "feefo": ("feefo.com",),
    "reviews.io": ("reviews.io",),
    "app-store-reviews": ("apps.apple.com",),
    "uservoice": ("uservoice.com",),
    "canny": ("canny.io",),
    "typeform": ("typeform.com",),
    "surveymonkey": ("surveymonkey.",),
    "google-forms": ("docs.google.com/forms", "forms.gle"),
}
COMMENT_SCRIPTS = ("disqus.com", "giscus.app", "utteranc.es", "commento.io", "hyvor.com", "remark42", "cusdis.com")

PLACEHOLDER_RE = lazy_compile(
    r"\b(lorem\s+ipsum|dolor\s+sit\s+amet|consectetur\s+adipiscing|main\s+hero\s+message|"
    r"your\s+(?:company|business|brand|website|site)\s+(?:name|here)|company\s+name\s+here|"
    r"insert\s+(?:text|headline|tagline)|headline\s+goes\s+here|tagline\s+goes\s+here|text\s+goes\s+here|"
    r"sample\s+text|placeholder\s+text|a\s+bootstrap\s+\d?\s*template|(?:free\s+)?bootstrap\s+(?:\d\s+)?(?:business\s+)?(?:theme|template)|"
    r"template\s+by|sell\s+yourself|your\s+tagline|sub-?heading\s+goes\s+here|write\s+something\s+here|"
    r"this\s+is\s+a\s+(?:template|simple\s+hero)|coming\s+soon\s+text|(?:copyright\s+)?©\s*your\s+(?:website|company|business|name)|"
    r"copyright\s+(?:&copy;\s*)?your\s+(?:website|company|business)|client\s+name,\s+location|featured\s+title|"
    r"paragraph\s+of\s+text\s+beneath|start\s+bootstrap(?:\s+template)?|some\s+quick\s+example\s+text|"
    r"card\s+title\s+that\s+wraps|company\s+name\s+here|your\s+logo\s+here)\b",
    re.I,
)



#: Fill-in tokens left from a template: "[SaaS Product]", "[main benefit]", "{{ company }}", "%NAME%".
FILL_IN_RE = lazy_compile(
    r"\[(?:your\s+|main\s+|key\s+|saas\s+|company\s+|product\s+)*(?:product|company|business|brand|name|benefit|"
    r"features?|trial\s+period|period|city|date|email|phone(?:\s+number)?|address|price|plan|service|location|"
    r"website|url|title|headline|tagline|industry|customer|audience)(?:\s+name)?\]"
    r"|\{\{\s*[a-z_][\w.]*\s*\}\}|%[A-Z][A-Z_]{2,}%",
    re.I,
)


def placeholder_copy(*texts: str) -> list[str]:
    """Placeholder copy (:data:`PLACEHOLDER_RE`), then fill-in tokens (:data:`FILL_IN_RE`),
    as written in ``texts`` (each read on its own: a title, then the page's text), in that
    order."""
    found: list[str] = []
    for text in texts:
        # Most pages hold none of the words, which a substring search tells at once.
        found.extend(text[start:end] for start, end in folded_spans(PLACEHOLDER_RE, text))
    for text in texts:
        found.extend(m.group(0) for m in FILL_IN_RE.finditer(text))
    return found


#: A link text that is only an address; the words of a label. Compiled once: both are
#: asked of every link and heading of a site.
_BARE_URL = lazy_compile(r"^(?:https?://|www\.)\S+$", re.I)
_WORDS = lazy_compile(r"\w+")


def link_label(link: Link) -> str:
    """The words a customer reads on a link; a bare URL as link text says nothing."""
    text = link.text.strip()
    if _BARE_URL.match(text):
        return ""
    return text


def short_label(text: str, max_words: int = 5) -> bool:
    """A heading or title part short enough to be a label ("Contact us", "Simple pricing"),
    not a sentence that happens to hold the word ("We help families fix leaks fast")."""
    return 0 < len(_WORDS.findall(text)) <= max_words


def dead_links(ctx: Context, pattern: re.Pattern[str], *, full: bool = False) -> list[tuple[PageFacts, Link]]:
    """Links whose text matches ``pattern`` and that go nowhere (or to a 4xx page)."""
    out = []
    for f in ctx.facts():
        for lk in f.links:
            # Whether it goes nowhere first: most links go somewhere, and that costs less
            # to ask than the pattern.
            if not (lk.dead or (lk.url and ctx.is_broken(lk.url))):
                continue
            text = lk.text.strip()
            if text and (pattern.fullmatch(text) if full else pattern.search(text)):
                out.append((f, lk))
    return out


@per_run
def _read_per_page(ctx: Context, fn: Callable[[Context, PageFacts], T]) -> dict[int, tuple[PageFacts, T]]:
    """id of a page's facts -> (those facts, ``fn(ctx, facts)``): filled by :func:`per_page` only."""
    return {}


def per_page(ctx: Context, fn: Callable[[Context, PageFacts], T], f: PageFacts) -> T:
    """``fn(ctx, f)``, computed once a run for each page however many probes ask (``fn``
    a module-level function; callers must not change what it returns)."""
    read = _read_per_page(ctx, fn)
    known = read.get(id(f))
    if known is None or known[0] is not f:  # an id is reused only once its facts are gone
        known = read[id(f)] = (f, fn(ctx, f))
    return known[1]


def _live_links(ctx: Context, f: PageFacts) -> tuple[Link, ...]:
    return tuple(lk for lk in f.links if not lk.dead and not (lk.url and ctx.is_broken(lk.url)))


def live_links(ctx: Context, f: PageFacts) -> Iterator[Link]:
    """Links of a page that go somewhere (not dead, not to a broken page); read once a run."""
    return iter(per_page(ctx, _live_links, f))


def same_page_anchor(f: PageFacts, lk: Link) -> bool:
    """True for a link to a section of the page it is on (#contact on a one-page site)."""
    return bool(lk.fragment) and lk.url is not None and lk.url.split("#")[0] == f.url.split("#")[0]


@dataclass(frozen=True)
class PageHit:
    """A page (or section) that serves a touchpoint, and why we think so."""

    url: str
    depth: int | None
    reason: str
    evidence: Evidence


@per_run
def _link_labels(ctx: Context) -> tuple[tuple[str, str], ...]:
    """Every (target, label) of the site's live links to a page (not a section), each pair
    once, in the order first met: a menu's links recur on every page."""
    seen: dict[tuple[str, str], None] = {}
    for f in ctx.facts():
        for lk in live_links(ctx, f):
            if lk.url and not lk.fragment:
                label = link_label(lk)
                if label and len(label) <= 60:
                    seen.setdefault((lk.url, label), None)
    return tuple(seen)


@dataclass(frozen=True)
class PageLabels:
    """What :func:`find_purpose_page` reads of a page, whatever the purpose: its address's
    path, its short headings and the short parts of its title."""

    url: str
    depth: int
    path: str
    title: str
    h1: str
    short_h1s: tuple[str, ...]
    short_title_parts: tuple[str, ...]


_TITLE_PARTS = lazy_compile(r"\s+[|\-–—:·]\s+")


@per_run
def page_labels(ctx: Context) -> tuple[PageLabels, ...]:
    """:class:`PageLabels` of every judged page, in URL order (``ctx.pages``; once a run:
    every purpose asks them of every page)."""
    out = []
    for p in ctx.pages:
        f = p.facts
        if f is None:
            continue
        parts = tuple(part for part in _TITLE_PARTS.split(f.title) if short_label(part)) if f.title else ()
        out.append(PageLabels(url=p.url, depth=p.depth, path=url_parts(p.url).path, title=f.title,
                               h1=f.h1s[0] if f.h1s else "", short_h1s=tuple(h for h in f.h1s if short_label(h)),
                               short_title_parts=parts))
    return tuple(out)


@per_run
def _label_texts(ctx: Context) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """Each distinct short heading and each distinct short title part of the judged pages,
    with the positions in :func:`page_labels` of the pages that show it (once a run): a
    purpose is matched against each text once, however many pages share it."""
    h1s: dict[str, list[int]] = {}
    titles: dict[str, list[int]] = {}
    for i, pl in enumerate(page_labels(ctx)):
        for text in pl.short_h1s:
            h1s.setdefault(text, []).append(i)
        for text in pl.short_title_parts:
            titles.setdefault(text, []).append(i)
    return ({t: tuple(ix) for t, ix in h1s.items()}, {t: tuple(ix) for t, ix in titles.items()})


@per_run
def find_purpose_page(ctx: Context, text_re: re.Pattern[str], slug_re: re.Pattern[str],
                      extra: Iterable[tuple[str, str]] = ()) -> PageHit | None:
    """The shallowest crawled page whose slug, title, h1 or incoming link text says its purpose."""
    incoming: dict[str, str] = {}
    for url, label in _link_labels(ctx):
        if url not in incoming and text_re.search(label):
            incoming[url] = label
    labels = page_labels(ctx)
    h1s, titles = _label_texts(ctx)
    # How strongly each page says its purpose, the strongest way first: its address (0),
    # a heading (1), a title part (2), the link to it (3). Every text is matched once: a
    # site's pages are thousands, the pages that say a purpose few.
    search = slug_re.search
    strength: dict[int, int] = {i: 0 for i, pl in enumerate(labels) if search(pl.path)}
    search = text_re.search
    for rank, texts in ((1, h1s), (2, titles)):
        for text, pages in texts.items():
            if search(text):
                for i in pages:
                    strength.setdefault(i, rank)
    if incoming:
        for i, pl in enumerate(labels):
            if pl.url in incoming and pl.depth > 0:
                strength.setdefault(i, 3)
    if not strength:
        return None
    candidates: list[tuple[int, int, str, int]] = []
    for i, rank in strength.items():
        d = ctx.depth(labels[i].url)
        candidates.append((d if d is not None else 99, rank, labels[i].url, i))
    d, rank, url, i = min(candidates)
    pl = labels[i]
    if rank == 0:
        reason = f"its address {pl.path} says so"
    elif rank == 1:
        reason = f"its heading says so: {pl.h1[:60]!r}"
    elif rank == 2:
        reason = f"its title says so: {pl.title[:60]!r}"
    else:
        reason = f"the link to it says {incoming[pl.url]!r}"
    return PageHit(url=url, depth=None if d == 99 else d, reason=reason,
                   evidence=Evidence(url=url, snippet=pl.title[:120]))


def depth_score(depth: int | None) -> float:
    """Contact/pricing depth curve: 0-1 clicks 1.0, 2 -> 0.9, 3 -> 0.6, 4+ -> 0.3, missing 0."""
    if depth is None:
        return 0.0
    if depth <= 1:
        return 1.0
    if depth == 2:
        return 0.9
    if depth == 3:
        return 0.6
    return 0.3


def share(n: int, d: int) -> float:
    return round(n / d, 4) if d else 0.0


@lru_cache(maxsize=1 << 15)
def url_parts(url: str) -> SplitResult:
    """``urlsplit(url)``, kept for a whole site's pages: several probes split every page's
    address, and urlsplit's own cache holds 128 (a site of thousands of pages, read page
    after page, never hits it)."""
    return urlsplit(url)


@lru_cache(maxsize=8192)
def network_of(url: str) -> str | None:
    host = (url_parts(url).hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    for net, hosts in SOCIAL_NETWORKS.items():
        for h in hosts:
            if host == h or host.endswith("." + h):
                return net
    return None


#: Network features that are not accounts (github.com/sponsors/x, youtube.com/watch?v=).
NOT_PROFILE_FIRST_SEGMENT = {
    "github": {"sponsors", "features", "pricing", "about", "marketplace", "topics", "collections", "explore",
               "login", "join", "site", "contact", "security", "enterprise"},
    "youtube": {"watch", "embed", "results", "playlist", "shorts"},
    "twitter": {"share", "intent", "search", "hashtag", "home", "i"},
    "facebook": {"sharer", "sharer.php", "share", "dialog", "plugins", "hashtag", "watch", "events"},
    "linkedin": {"shareArticle", "sharing", "feed", "jobs", "learning"},
}
#: Networks where an account takes two path segments (linkedin.com/company/acme).
TWO_SEGMENT = {"linkedin": {"company", "in", "school", "showcase"}, "youtube": {"channel", "c", "user"},
               "github": None, "reddit": {"r", "user", "u"}, "medium": None}


def is_profile(url: str) -> bool:
    """True when a social URL points at an account, not the network's home or a share dialog."""
    parts = urlsplit(url)
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if NOT_PROFILE_PATHS.match(path):
        return False
    segments = [x for x in path.split("/") if x]
    net = network_of(url)
    if not segments or (net and segments[0] in NOT_PROFILE_FIRST_SEGMENT.get(net, set())):
        return False
    return len(path.strip("/")) >= 2


def profile_url(url: str) -> str:
    """The account a social URL belongs to: github.com/acme/app/issues -> github.com/acme/app."""
    parts = urlsplit(url)
    segments = [x for x in parts.path.split("/") if x]
    net = network_of(url)
    keep = 1
    if net == "facebook" and segments and segments[0] in ("pages", "groups", "people", "pg"):
        keep = 4  # facebook.com/pages/category/Pub/Name-123: the whole path names the page
    elif net in TWO_SEGMENT:
        firsts = TWO_SEGMENT[net]
        if firsts is None or (segments and segments[0] in firsts):
            keep = 2
    host = (parts.hostname or "").lower()
    return f"{parts.scheme}://{host}/" + "/".join(segments[:keep])


def evidence(f: PageFacts, lk: Link | None = None, snippet: str = "") -> Evidence:
    if lk is not None:
        return Evidence(url=f.url, selector=lk.selector, snippet=snippet or f'<a href="{lk.href}">{lk.text}</a>'[:200])
    return Evidence(url=f.url, snippet=snippet[:200])
