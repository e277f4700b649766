"""Contact touchpoint: "How do I reach a human?"."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

from cxprobe import (
    Cause,
    Context,
    Document,
    Evidence,
    Extractor,
    Issue,
    Link,
    Outcome,
    Probe,
    Touchpoint,
    hookimpl,
    issue,
    outcome,
    per_run,
)

from ._common import (
    CHAT_VENDORS,
    CONTACT_RE,
    CONTACT_SLUG,
    HELP_RE,
    HELP_SLUG,
    IMPRESSUM_RE,
    PageHit,
    dead_links,
    depth_score,
    find_purpose_page,
    link_label,
    live_links,
    share,
)
from ._contact_links import link_details, mismatch_cause
from ._lazyre import folded_search, lazy_compile
from ._placeholders import (
    ACCEPT,
    Placeholder,
    accept_list,
    email_placeholder,
    judge,
    phone_is_placeholder,
    real_emails,
    real_phones,
)
from .facts import Phone, contact_details, form_purposes
from .facts.phones import NumberIndex
from .words import mentions_hours

#: A page's text offering a chat.
_CHAT_CLAIM = lazy_compile(r"\b(live\s+chat|chat\s+with\s+us|chat\s+now|start\s+a\s+chat)\b", re.I)

TOUCHPOINT = Touchpoint(
    id="contact", title="Contact", question="How do I reach a human?", weight=3,
    weights={"local": 4, "saas": 2.5, "ecommerce": 3, "nonprofit": 2.5},
    fact_defaults={"page": None, "depth": None, "methods": [], "emails": [], "phones": [], "placeholders": [],
                   "accepted": []},
)
CONTACT_FORMS = ("contact", "booking")
#: Score by number of methods in half steps (an address alone counts half): 0, 0.5, 1, ... 3+.
METHOD_CURVE = (0.0, 0.3, 0.6, 0.75, 0.9, 0.95, 1.0)


#: What a chat vendor's snippet writes in an inline script: its API object, its loader's
#: host or its settings name. A bare word is not enough: "crispy hash browns" in a menu's
#: data is no Crisp widget, and "drift" or "beacon" are ordinary words.
_CHAT_SNIPPETS: dict[str, re.Pattern[str]] = {name: lazy_compile(rx, re.I) for name, rx in {
    "intercom": r"intercomSettings|widget\.intercom\.io|\bIntercom\(",
    "drift": r"\bdrift\.(?:load|on|api)\b|js\.driftt\.com",
    "zendesk": r"\bzE\(|static\.zdassets\.com|zendesk\.com/embeddable",
    "zopim": r"\$zopim|zopim\.com",
    "crisp": r"\$crisp\b|CRISP_WEBSITE_ID|client\.crisp\.chat",
    "tawk": r"Tawk_API|embed\.tawk\.to",
    "hubspot": r"js\.hs-scripts\.com|js\.usemessages\.com|HubSpotConversations",
    "livechat": r"__lc\.license|cdn\.livechatinc\.com|LiveChatWidget",
    "tidio": r"code\.tidio\.co|tidioChatApi",
    "olark": r"\bolark\(|static\.olark\.com",
    "freshchat": r"\bfcWidget\b|wchat\.freshchat\.com",
    "freshworks": r"widget\.freshworks\.com|FreshworksWidget",
    "chatwoot": r"chatwootSDK|chatwootSettings",
    "smartsupp": r"\b_smartsupp\b|smartsuppchat\.com",
    "userlike": r"userlike-cdn|userlikeReady",
    "purechat": r"purechatApi|app\.purechat\.com",
    "jivosite": r"code\.jivosite\.com|jivo_api",
    "helpscout": r"beacon-v2\.helpscout\.net|\bBeacon\('init'",
    "gorgias": r"gorgias\.chat|GorgiasChat",
    "front-chat": r"chat-assets\.frontapp\.com|FrontChat\(",
    "liveperson": r"lpcdn\.lpsnmedia\.net|lpTag\b",
    "comm100": r"comm100\.(?:com|io)|Comm100API",
    "kommunicate": r"widget\.kommunicate\.io|kommunicateSettings",
    "chatra": r"\bChatraID\b|call\.chatra\.io",
    "zoho": r"\$zoho\.salesiq|salesiq\.zoho",
    "messenger": r"xfbml\.customerchat|fb-customerchat",
}.items()}


class ChatSnippetExtractor(Extractor):
    """``chat``: chat vendors whose snippet an inline script holds (a widget loaded without
    a script URL of its own)."""

    name = "chat"
    description = "chat vendors named in inline scripts (Intercom, Tawk.to, Crisp, ...)"

    def extract(self, doc: Document) -> tuple[str, ...]:
        found: list[str] = []
        for script in doc.tags("script"):
            doc.tick()
            if script.has_attr("src"):
                continue
            body = (script.string or "")[:20000]
            found.extend(v for v, rx in _CHAT_SNIPPETS.items() if rx.search(body))
        return tuple(dict.fromkeys(found))


def _vendors_in_source(source: str) -> frozenset[str]:
    """The chat vendors whose script or frame address (a needle with a dot or a slash)
    ``source`` holds."""
    low = source.lower()
    return frozenset(vendor for vendor, needles in CHAT_VENDORS.items()
                     if any(n in low for n in needles if "." in n or "/" in n))


@per_run
def chat_vendors(ctx: Context) -> dict[str, str]:
    """Known chat widgets (vendor -> page URL) from script and iframe sources."""
    found: dict[str, str] = {}
    vendors_in = cache(_vendors_in_source)  # a menu's scripts recur on every page: each is read once a run
    for f in ctx.facts():
        chat = f.fact("chat")
        if not chat and not f.scripts and not f.iframes:
            continue
        in_sources = frozenset().union(*(vendors_in(s) for s in (*f.scripts, *f.iframes)))
        for vendor, needles in CHAT_VENDORS.items():
            if vendor in found:
                continue
            if vendor in in_sources or any(vendor.split(".")[0] == h or h in needles for h in chat):
                found[vendor] = f.url
    return found


@per_run
def methods_by_page(ctx: Context) -> dict[str, set[str]]:
    """url -> contact methods the page shows."""
    chat = chat_vendors(ctx)
    accept = accept_list(ctx)
    out: dict[str, set[str]] = {}
    for f in ctx.facts():
        m: set[str] = set()
        # A placeholder (name@example.com, a 555 number) is no way to reach anyone.
        if any(e.label != "third-party" for e in real_emails(f, accept)):
            m.add("email")
        if any(p.label != "third-party" for p in real_phones(f, accept)):
            m.add("phone")
        if any(purpose in CONTACT_FORMS for _form, purpose in form_purposes(f)):
            m.add("form")
        if contact_details(f).addresses:
            m.add("address")
        if f.url in chat.values():
            m.add("chat")
        out[f.url] = m
    return out


@per_run
def distinct_phones(ctx: Context) -> list[str]:
    """Each number once (E.164 where parseable, else as shown), however often it is written."""
    kept: list[tuple[str, str]] = []  # (digits, value)
    index = NumberIndex()
    accept = accept_list(ctx)
    for f in ctx.facts():
        phones = (p for p in real_phones(f, accept) if p.label != "third-party")
        for p in sorted(phones, key=lambda p: (p.e164 is None, p.source != "tel")):
            value = p.e164 or p.shown
            i = index.find(p.digits)
            if i is None:
                index.add(p.digits, len(kept))
                kept.append((p.digits, value))
            elif kept[i][1] != value and p.e164 and not kept[i][1].startswith("+"):
                kept[i] = (kept[i][0], value)
    return sorted({v for _d, v in kept})


@per_run
def locate_contact(ctx: Context) -> PageHit | None:
    """The contact page per DESIGN's definition (purpose page, section, else first page with a method)."""
    hit = find_purpose_page(ctx, CONTACT_RE, CONTACT_SLUG)
    form_pages: list[tuple[int, str]] = []
    for f in ctx.facts():
        fd = ctx.depth(f.url)
        if fd is not None and any(purpose == "contact" for _x, purpose in form_purposes(f)):
            form_pages.append((fd, f.url))
    if form_pages:
        d, u = min(form_pages)
        if hit is None or (hit.depth is not None and d < hit.depth):
            hit = PageHit(url=u, depth=d, reason="it holds a contact form", evidence=Evidence(url=u))
    if hit is not None:
        return hit
    # One-page sites: a #contact section reached from a link on the same page.
    start = ctx.start
    if start is not None:
        for lk in live_links(ctx, start):
            if lk.fragment and lk.url == start.url and CONTACT_RE.search(link_label(lk)) and lk.fragment in start.anchors:
                return PageHit(url=f"{start.url}#{lk.fragment}", depth=0, reason=f"the link {lk.text!r} leads to its section",
                               evidence=Evidence(url=start.url, selector=lk.selector, snippet=lk.text))
        for anchor in start.anchors:
            if CONTACT_SLUG.search("/" + anchor.lower()):
                return PageHit(url=f"{start.url}#{anchor}", depth=0, reason=f"the page has a #{anchor} section",
                               evidence=Evidence(url=start.url, selector=f"#{anchor}"))
    impressum = find_purpose_page(ctx, IMPRESSUM_RE, re.compile(r"(^|/)(impressum|imprint|mentions-legales)", re.I))
    by_page = methods_by_page(ctx)
    # A support page that shows how to reach a person is where customers look next.
    support = find_purpose_page(ctx, HELP_RE, HELP_SLUG)
    if support is not None and by_page.get(support.url, set()) - {"address"}:
        reached = [dd for u, m in by_page.items() if m - {"address"} and (dd := ctx.depth(u)) is not None]
        shallowest = min(reached, default=None)
        if shallowest is None or support.depth is None or support.depth <= max(shallowest, 1):
            return PageHit(url=support.url, depth=support.depth, reason="it is the support page and shows how to reach a person",
                           evidence=support.evidence)
    shown = sorted((dd, u) for u, m in by_page.items() if m - {"address"} and (dd := ctx.depth(u)) is not None)
    if impressum is not None and (not shown or (impressum.depth or 0) <= shown[0][0]):
        return impressum
    if shown:
        d, u = shown[0]
        return PageHit(url=u, depth=d, reason="it is the first page that shows a way to reach a person",
                       evidence=Evidence(url=u))
    addr = sorted((dd, u) for u, m in by_page.items() if m and (dd := ctx.depth(u)) is not None)
    if addr:
        d, u = addr[0]
        return PageHit(url=u, depth=d, reason="it is the first page that shows a postal address", evidence=Evidence(url=u))
    return None


class ContactPage(Probe):
    id = "contact.page"
    touchpoint = "contact"
    title = "Contact page is within easy reach of the home page"
    failure_title = "Contact page is missing or hard to reach"
    description = """
A customer with a question looks for "Contact" first. When the contact page is missing, or
buried three or more clicks deep, the customer gives up or picks up the phone to a competitor.

Checked: the page whose purpose is contact (address, title, heading or the link that leads to
it says so, or it holds a contact form); on a one-page site a #contact section; else the
shallowest page that shows a contact method. Scored by clicks from the start page:
0-1 -> 1.0, 2 -> 0.9, 3 -> 0.6, 4+ -> 0.3, none -> 0. Dead "Contact" links (#, empty,
javascript:void(0)) never count and are reported.

Fix: link a contact page from the header navigation and the footer of every page.
"""
    weight = 3

    def check(self, ctx: Context) -> Outcome:
        hit = locate_contact(ctx)
        issues = []
        missing: dict[str, Cause] = {}
        for f, lk in dead_links(ctx, CONTACT_RE):
            cause = ctx.link_cause(lk)
            if lk.url and cause is not None and ctx.is_broken(lk.url):
                missing.setdefault(cause.key, cause)
            issues.append(issue("dead-contact-link", "Contact link goes nowhere",
                                f"The link {lk.text!r} has href {lk.href!r}: clicking it does not reach a contact page.",
                                severity="error", key=lk.text.lower(), cause=cause,
                                evidence=[Evidence(url=f.url, selector=lk.selector, snippet=f'<a href="{lk.href}">{lk.text}</a>')]))
        if hit is None:
            # Every Contact link leads to one missing page: publishing it is the one fix.
            issues.append(issue("no-contact-page", "No contact page or section",
                                f"No page, section or contact method was found ({ctx.not_found_reason()}). "
                                "Customers cannot find how to reach you.", severity="error",
                                evidence=[Evidence(url=ctx.site.start_url)],
                                cause=next(iter(missing.values())) if len(missing) == 1 else None))
            return outcome(0.0, issues, {"page": None, "depth": None})
        score = depth_score(hit.depth)
        if hit.depth is not None and hit.depth >= 2:
            issues.append(issue("contact-deep", "Contact page is several clicks deep",
                                f"The contact page {hit.url} is {hit.depth} clicks from the start page ({hit.reason}).",
                                key=str(hit.depth), evidence=[hit.evidence]))
        return outcome(score, issues, {"page": hit.url, "depth": hit.depth})


class ContactMethods(Probe):
    id = "contact.methods"
    touchpoint = "contact"
    title = "Several ways to reach a person are offered"
    failure_title = "Few or no ways to reach a person"
    description = """
Customers differ: some want to call, some to write, some to chat. Checked site-wide:
email (mailto link or an address shown as text), phone (tel: link, a click-to-message link
to a number — WhatsApp wa.me, sms: — a number phonenumbers accepts, or digits next to a
phone cue such as "Call us" or a phone icon), a contact or
booking form (a free-text field plus an email or phone field; newsletter, search and login
forms do not count), live chat (a known widget's script or iframe: Intercom, Drift, Zendesk,
Crisp, Tawk.to, HubSpot, LiveChat, Tidio, Olark, Freshchat, ... never the words "chat with
us"), and a postal address. Contact details in HTML comments, scripts and templates never count.

Placeholders are no way to reach anyone and never count: emails at example domains
(example.com, exemple.com, beispiel.de, *.test, domain.com, yourcompany.com, ...), numbers in
fictional ranges (555-0100..0199, area code 555, the UK and Australian drama ranges), the
123-456-7890 family, invalid numbers whose digits are a sequence or repetition
(+1 222-222-222), and fields never filled in ("[Phone number]", "Telefon: folgt",
"Tél. : à compléter"). They are an error of their own. If a detail that looks like a
placeholder is real, list it under `[contact] accept` in config.

Score: none 0, one 0.6, two 0.9, three or more 1.0; a postal address counts half a method
(address only 0.3, address and one other 0.75); times 0.75 when placeholders are shown.
Fix: show at least an email address and a form or phone number on the contact page, and
replace every placeholder with the real detail.
"""
    weight = 3

    def check(self, ctx: Context) -> Outcome:
        by_page = methods_by_page(ctx)
        methods = sorted(set().union(*by_page.values())) if by_page else []
        accept = accept_list(ctx)
        emails = sorted({e.address for f in ctx.facts() for e in real_emails(f, accept) if e.label != "third-party"})
        phones = distinct_phones(ctx)
        n = len([m for m in methods if m != "address"]) + (0.5 if "address" in methods else 0)
        score = METHOD_CURVE[min(int(n * 2), len(METHOD_CURVE) - 1)]
        issues = []
        judged = judge(ctx)
        if judged.placeholders:
            score *= 0.75
            issues.append(placeholder_issue(judged.placeholders))
        if not methods:
            issues.append(issue("no-contact-method", "No way to reach a person is shown",
                                f"No email, phone number, contact form, chat widget or address was found ({ctx.not_found_reason()}).",
                                severity="error", evidence=[Evidence(url=ctx.site.start_url)]))
        elif n < 2:
            missing = [METHOD_WORDS[m] for m in ("email", "phone", "form") if m not in methods]
            issues.append(issue("single-contact-method", "Only one way to reach a person",
                                f"The site offers only {_and(METHOD_WORDS[m] for m in methods)}. "
                                f"Add a second way to reach you: {_or(missing)}.",
                                key=",".join(methods), evidence=[Evidence(url=ctx.site.start_url)]))
        claims = []
        if "chat" not in methods:
            for f in ctx.facts():
                claim = folded_search(_CHAT_CLAIM, f.all_text)
                if claim:
                    claims.append(Evidence(url=f.url, snippet=claim))
        if claims:
            issues.append(issue("chat-claim-without-widget", "Page promises a chat but no chat widget is present",
                                "The text offers a chat, but no known chat widget loads on the page.",
                                severity="warning", evidence=claims))
        facts = {"methods": methods, "emails": emails, "phones": phones, "accepted": list(judged.accepted),
                 "placeholders": placeholder_facts(judged.placeholders)}
        return outcome(score, issues, facts)


def placeholder_facts(found: tuple[Placeholder, ...]) -> list[dict[str, object]]:
    """Each placeholder once, with its kind, why it is one, and the pages that show it."""
    by_value: dict[tuple[str, str], dict[str, object]] = {}
    pages: dict[tuple[str, str], dict[str, None]] = {}  # insertion-ordered sets of URLs
    for p in found:
        key = (p.kind, p.shown.lower())
        by_value.setdefault(key, {"kind": p.kind, "value": p.shown, "reason": p.reason})
        pages.setdefault(key, {})[p.url] = None
    return [{**by_value[k], "pages": list(pages[k])} for k in sorted(by_value)]


#: The contact methods (the facts' words) as a customer would name them.
METHOD_WORDS = {"email": "an email address", "phone": "a phone number", "form": "a contact form",
                "chat": "a live chat", "address": "a postal address"}


def _and(items: Iterable[str]) -> str:
    words = list(items)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _or(items: Iterable[str]) -> str:
    words = list(items)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def placeholder_issue(found: tuple[Placeholder, ...]) -> Issue:
    """One error listing every placeholder contact detail and where it is shown."""
    listed = placeholder_facts(found)
    lines = [f"{e['value']} ({e['reason']})" for e in listed]
    more = f"; and {len(lines) - 12} more" if len(lines) > 12 else ""
    return issue("placeholder-contact", "Contact details are placeholders that reach nobody",
                 f"Shown as ways to reach you, but nobody answers them: {'; '.join(lines[:12])}{more}. "
                 "Replace them with real details, or list a real one under [contact] accept in config.",
                 severity="error",
                 evidence=[Evidence(url=p.url, selector=p.selector, snippet=p.shown) for p in found])


class ContactEverywhere(Probe):
    id = "contact.everywhere"
    touchpoint = "contact"
    title = "Every page links to contact from its header, navigation or footer"
    failure_title = "Some pages have no way to contact from header, navigation or footer"
    description = """
A customer stuck on any page should find "Contact" where they expect it: the header,
navigation or footer. Checked: the share of pages with a working contact link in those
regions — a link that says contact, or leads to the contact page or section whatever it
says ("Get a Free Quote!" to #contact), or a phone number or email; the contact page itself
(or the page holding the contact section) needs no link to itself. Score = that share.

Fix: put a contact link in the shared header or footer template.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        pages = list(ctx.facts())
        if not pages:
            return Outcome.na("no pages")
        with_link = 0
        missing = []
        accept = accept_list(ctx)
        hit = locate_contact(ctx)
        # A link to the contact page or section counts whatever it says ("Get a Free Quote!"
        # to #contact, "Schreiben Sie uns" to /kontakt).
        contact_url = hit.url.split("#", 1)[0] if hit is not None else None
        contact_anchor = hit.url.split("#", 1)[1] if hit is not None and "#" in hit.url else None

        def leads_to_contact(lk: Link) -> bool:
            if lk.fragment and CONTACT_SLUG.search("/" + lk.fragment):
                return True
            if contact_url is None or lk.url is None:
                return False
            target = lk.url.split("#", 1)[0]
            return target == contact_url and (contact_anchor is None or lk.fragment == contact_anchor)

        for f in pages:
            ok = any(lk.region in ("header", "nav", "footer") and (_says_contact(link_label(lk)) or _real_link(lk, accept)
                                                                   or leads_to_contact(lk))
                     for lk in live_links(ctx, f))
            ok = ok or any(p.region in ("header", "footer") for p in real_phones(f, accept)) or \
                any(e.region in ("header", "footer") for e in real_emails(f, accept))
            # The contact page (or the page holding the contact section) needs no link to itself.
            ok = ok or (contact_url is not None and f.url.split("#", 1)[0] == contact_url)
            if ok:
                with_link += 1
            else:
                missing.append(Evidence(url=f.url))
        s = share(with_link, len(pages))
        issues = []
        if missing:
            issues.append(issue("no-contact-in-chrome", "Page has no contact link in its header, navigation or footer",
                                f"{len(missing)} of {len(pages)} pages {'gives' if len(missing) == 1 else 'give'} no contact route in "
                                "the header, navigation or footer.",
                                evidence=missing))
        return outcome(s, issues, {"share_with_contact_link": s})


@lru_cache(maxsize=4096)
def _says_contact(label: str) -> bool:
    """A link label that names contact (a menu's labels recur on every page)."""
    return CONTACT_RE.search(label) is not None


def _real_link(lk: Link, accept: tuple[str, ...]) -> bool:
    """A mailto:/tel: link whose target is not a placeholder."""
    if lk.scheme == "mailto":
        return email_placeholder(lk.target) is None or lk.target in {a.lower() for a in accept}
    if lk.scheme == "tel":
        digits = re.sub(r"\D", "", lk.target)
        return not phone_is_placeholder(Phone(shown=lk.target, digits=digits, e164=None, source="tel", region=lk.region), accept)
    return False


class ContactAgreement(Probe):
    id = "contact.agreement"
    touchpoint = "contact"
    title = "Shown contact details match their links"
    failure_title = "A shown contact detail differs from where its link goes"
    description = """
A link that shows support@a.com but opens mail to support@b.com, or shows one number and dials
another, sends the customer somewhere they did not choose. Checked: every mailto:, tel: and
click-to-message (WhatsApp, sms:) link whose visible text is itself an address or number, and
every call or message button without a number of its own ("Call", "Chiama") whose card shows
exactly one number. One number in two forms agrees: with or without the country code, the
national "0", a bracketed "(0)" ("+49 (0)30 …"), spaces, or words and hours beside it.

Fix: generate the link and its text from the same value.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        issues = []
        n = 0
        for f in ctx.facts():
            for d in link_details(ctx, f):
                n += 1
                if d.agrees:
                    continue
                text = d.link.text if d.link is not None else d.text
                snippet = f'<a href="{d.href}">{text}</a>'
                if d.kind == "email":
                    issues.append(issue("mailto-mismatch", "Shown email differs from its mailto link",
                                        f"The page shows {d.shown} but the link writes to {d.target}.",
                                        severity="error", key=f"{d.shown.lower()}|{d.target}",
                                        cause=mismatch_cause("email", d.shown, d.target,
                                                             f"The page shows {d.shown}, but its link writes to {d.target}"),
                                        evidence=[Evidence(url=f.url, selector=d.selector, snippet=snippet)]))
                elif d.link is None:
                    issues.append(issue("tel-mismatch", "Shown phone number differs from the number dialled",
                                        f"The page shows {d.shown!r} beside a button that "
                                        f"{'dials' if d.channel == 'tel' else 'writes to'} {d.target}.",
                                        severity="error", key=f"{re.sub(r'[^0-9]', '', d.shown)}|{re.sub(r'[^0-9]', '', d.target)}",
                                        cause=mismatch_cause("phone", d.display, d.target,
                                                             f"The page shows {d.display}, but its button "
                                                             f"{'dials' if d.channel == 'tel' else 'writes to'} {d.target}"),
                                        evidence=[Evidence(url=f.url, selector=d.selector, snippet=f"{d.shown} … {snippet}")]))
                else:
                    verb = {"tel": "dials", "whatsapp": "opens WhatsApp to", "sms": "texts"}.get(d.channel, "dials")
                    issues.append(issue("tel-mismatch", "Shown phone number differs from the number dialled",
                                        f"The page shows {d.display!r} but the link {verb} {d.target}.",
                                        severity="error", key=f"{re.sub(r'[^0-9]', '', d.shown)}|{re.sub(r'[^0-9]', '', d.target)}",
                                        cause=mismatch_cause("phone", d.display, d.target,
                                                             f"The page shows {d.display}, but its link {verb} {d.target}"),
                                        evidence=[Evidence(url=f.url, selector=d.selector, snippet=snippet)]))
        if n == 0:
            return Outcome.na("no mailto: or tel: link shows its own address or number")
        return outcome(1.0 if not issues else 0.4, issues)


class ContactHours(Probe):
    id = "contact.hours"
    touchpoint = "contact"
    title = "Business hours are shown next to the phone number"
    failure_title = "A phone number is shown without business hours"
    description = """
"Call us" without hours leaves the customer guessing whether anybody will pick up. Checked:
when the site shows a phone number, opening or business hours appear somewhere on the site
(text such as "Mon-Fri 9am-5pm" or schema.org openingHours). Not applicable without a phone.
"""
    weight = 0.5

    def check(self, ctx: Context) -> Outcome:
        pages = list(ctx.facts())
        accept = accept_list(ctx)
        if not any(real_phones(f, accept) for f in pages):
            return Outcome.na("no phone number shown")
        hours = sorted({h for f in pages for h in contact_details(f).hours})
        if hours or any(mentions_hours(f.all_text) for f in pages):
            return outcome(1.0, (), {"hours": hours[:5]})
        first = next(f for f in pages if real_phones(f, accept))
        return outcome(0.5, [issue("no-hours", "Phone number is shown without business hours",
                                   "Customers cannot tell when somebody answers the phone.", severity="info",
                                   evidence=[Evidence(url=first.url, snippet=real_phones(first, accept)[0].shown)])], {"hours": []})


@hookimpl
def cxprobe_add_options(add_option: Callable[..., None]) -> None:
    add_option(ACCEPT)


@hookimpl
def cxprobe_add_extractors(register: Callable[[Extractor], None]) -> None:
    register(ChatSnippetExtractor())


@hookimpl
def cxprobe_add_touchpoints(register: Callable[[Touchpoint], None]) -> None:
    register(TOUCHPOINT)


@hookimpl
def cxprobe_add_probes(register: Callable[[Probe], None]) -> None:
    for cls in (ContactPage, ContactMethods, ContactEverywhere, ContactAgreement, ContactHours):
        register(cls())
