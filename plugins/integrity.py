"""Broken promises a customer hits: forms that cannot send, legal details left as template
fill-ins, template filler left on the pages, misspelled menu items.

The probes join existing touchpoints, because each answers that touchpoint's question:

- ``contact.form_delivery``: "How do I reach a human?" — a form that cannot send is a way
  to reach nobody;
- ``policies.legal_details``: a legal notice or privacy page that still says
  "[Company name]" or "SIRET : à compléter" tells the customer nobody stands behind it;
- ``clarity.template_copy``: pseudo-Latin filler, "Product Name" on every card, "First
  slide", a page titled "Document", images from placeholder services — template copy that
  ``clarity.placeholder`` (lorem ipsum, "your company name") does not already report;
- ``clarity.spelling``: a misspelled menu item or button ("Masage") in the page's language
  (the rules are in ``_spelling``).

Two extractors read the facts beside them: ``form_delivery`` (how each form would send) and
``template_copy`` (filler and fill-in fields, block by block).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from urllib.parse import urljoin, urlsplit

from bs4 import Tag

from cxprobe import (
    Context,
    Document,
    Evidence,
    Extractor,
    Issue,
    Outcome,
    PageFacts,
    Probe,
    Site,
    hookimpl,
    issue,
    outcome,
)

from . import _spelling
from ._common import FILL_IN_RE, PLACEHOLDER_RE, page_labels, url_parts
from ._lazyre import (
    lazy_compile,
    lower,
    lower_case_twin,
    might_match,
    remember_counts,
    token_counts,
)
from ._placeholders import _TO_BE_COMPLETED, fill_in_fields
from ._spelling import ACCEPT as SPELLING_ACCEPT

# =========================================================================== forms

#: Controls a customer fills in; a form holding none of them (a nav "form" wrapping one
#: link) is not judged.
_FILLABLE_TYPES = frozenset({"text", "email", "tel", "textarea", "select", "number", "date", "datetime-local",
                             "time", "url", "month", "week"})
#: Hosts and markers of form services that receive submissions for a static site.
_FORM_SERVICE_HOSTS = (
    "formspree.io", "getform.io", "formsubmit.co", "web3forms.com", "usebasin.com", "formcarry.com", "formkeep.com",
    "staticforms.xyz", "fabform.io", "submit-form.com", "pageclip.co", "docs.google.com", "script.google.com",
    "hsforms.com", "hubspot.com", "list-manage.com", "sibforms.com", "sendinblue.com", "brevo.com",
    "mailerlite.com", "convertkit.com", "kit.com", "jotform.com", "typeform.com", "wufoo.com", "cognitoforms.com",
    "zoho.com", "formbold.com", "airtable.com", "forms.office.com", "tally.so", "formester.com", "netlify.com",
)
#: Scripts of services that send a form from the page (EmailJS, HubSpot, ...).
_FORM_SERVICE_SCRIPTS = lazy_compile(
    r"emailjs|hsforms|hubspot|jotform|typeform|web3forms|getform|formspree|formsubmit|staticforms|"
    r"wufoo|cognitoforms|tally\.so|mailchimp|list-manage|sibforms|mailerlite|convertkit|recaptcha|hcaptcha|turnstile",
    re.I)
#: Same-site scripts that are user-interface libraries, not form handlers.
_UI_LIBRARIES = lazy_compile(
    r"(?:^|[/.-])(?:jquery(?:[.-]\d[\w.-]*)?|jquery[.-](?:easing|migrate|ui|sticky|waypoints|counterup|magnific-popup|"
    r"fancybox|lazy|scrollto|nav)|bootstrap(?:\.bundle)?|popper|aos|swiper(?:-bundle)?|owl\.carousel|slick|glightbox|"
    r"lightbox2?|isotope(?:\.pkgd)?|wow|purecounter(?:_vanilla)?|typed|waypoints?|noframework\.waypoints|gsap|"
    r"scrolltrigger|lenis|all|fontawesome|modernizr|scrollreveal|parallax|particles|masonry(?:\.pkgd)?|"
    r"imagesloaded(?:\.pkgd)?|counterup2?|magnific-popup|fancybox|animate|photoswipe(?:-lightbox)?|"
    r"tiny-slider|splide|simple-lightbox|venobox|feather|lucide|alpine|htmx)(?:\.min)?\.js$",
    re.I)
#: CDN hosts that serve libraries; a script from one of them is not the site's own handler.
_LIBRARY_CDNS = ("cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com", "code.jquery.com", "stackpath.bootstrapcdn.com",
                 "maxcdn.bootstrapcdn.com", "ajax.googleapis.com", "www.googletagmanager.com", "www.google-analytics.com",
                 "kit.fontawesome.com", "use.fontawesome.com", "cdn.tailwindcss.com", "fonts.googleapis.com",
                 "static.cloudflareinsights.com", "cdn.userway.org", "www.google.com", "www.gstatic.com",
                 "platform.twitter.com", "connect.facebook.net", "www.tiktok.com", "cdn.cookielaw.org",
                 "cdn-cookieyes.com", "consent.cookiebot.com", "plausible.io", "cdn.ampproject.org")
#: Script code that could send or intercept any form of the page.
_GENERIC_FORM_CODE = lazy_compile(
    r"addEventListener\(\s*['\"]submit|\.on\(\s*['\"]submit|\.submit\s*\(|onsubmit|document\.forms|"
    r"querySelector(?:All)?\(\s*['\"][^'\"]*\bform\b|getElementsByTagName\(\s*['\"]form|\$\(\s*['\"]form\b|"
    r"FormData|XMLHttpRequest|\bfetch\s*\(|\$\.(?:ajax|post|get)\b|axios|emailjs|sendForm|sendBeacon",
    re.I)
#: Code that sends or goes somewhere: a handler holding none of these only shows a message.
_SENDS = lazy_compile(r"fetch|XMLHttpRequest|ajax|\$\.post|axios|sendBeacon|emailjs|\.submit\(|location|window\.open|"
                    r"\bopen\(|action|wa\.me|whatsapp|mailto|FormData|href|send|post|gtag|dataLayer|\w+\(\s*(?:this|event|e)\b",
                    re.I)
_ALERT = lazy_compile(r"\balert\s*\(", re.I)
#: Attributes through which a front-end framework handles a form (htmx, Alpine, Vue,
#: Angular, Livewire, Phoenix, Rails UJS, Turbo): the library may come from a CDN.
_FRAMEWORK_ATTR = lazy_compile(r"^(?:hx-|x-on:|@|v-on:|wire:|phx-|data-remote$|data-turbo|data-action$|\(ngsubmit\)|"
                             r"\[formgroup\]|ng-submit$|data-ajax)", re.I)
#: Values a template leaves where a key, token or form id goes.
_TOKEN_VALUE = lazy_compile(
    r"^(?:x{4,}|X{4,}|0{6,}|your[-_ ]?(?:form[-_ ]?)?(?:id|key|token|access[-_ ]?key|api[-_ ]?key|endpoint|email|site[-_ ]?key|"
    r"form(?:[-_ ]?(?:id|key))?|account(?:[-_ ]?id)?|public[-_ ]?key|service[-_ ]?id|template[-_ ]?id|user[-_ ]?id)"
    r"(?:[-_ ]?here)?|YOUR_[A-Z0-9_]+|\{\{.*\}\}|\$\{.*\}|\{[\w-]+\}|<[^>]+>|\[[^\]]+\]|%[A-Z_]+%|"
    r"api[-_ ]?(?:token|key)|access[-_ ]?key|(?:form|site|public)[-_ ]?(?:id|key)|insert[-_ ].+|replace[-_ ]?(?:me|with.*)|"
    r"change[-_]?me|todo|placeholder)$",
    re.I)
_TOKEN_NAMES = lazy_compile(r"key|token|form[-_]?id|access|endpoint|site[-_]?key|account|public", re.I)
_DEAD_HREF = lazy_compile(r"^\s*(?:#!?|javascript:\s*(?:void\s*\(\s*0?\s*\)|;)?\s*;?)?\s*$", re.I)
_SEARCH_NAME = lazy_compile(r"^(?:q|s|query|search|keywords?|term|searchterm|search_query|recherche|suche|buscar|cerca)$", re.I)
_SERVER_EXTENSIONS = (".php", ".asp", ".aspx", ".jsp", ".cgi", ".pl", ".py", ".cfm")


@dataclass(frozen=True)
class FormDelivery:
    """How one ``<form>`` of a page would send what a customer types into it."""

    #: Short CSS-like selector of the form.
    selector: str
    #: Words that name the form for its owner: the heading before it, else its button's words.
    label: str
    #: The action as written.
    action: str
    #: The action resolved against the page ("" when empty, "#" or absent).
    action_url: str
    #: The method, lower-cased ("get" when absent).
    method: str
    #: Controls a customer fills in.
    fillable: int
    #: The labels of the controls without a ``name`` (their values are never sent by the browser).
    unnamed: tuple[str, ...]
    #: "button" (a working submit control), "disabled" (every one disabled), "link" (only a
    #: link that goes nowhere, e.g. ``<a href="#">Book</a>``), "link-out" (a link that leads
    #: elsewhere), "scripted" (a button a script must handle), "implicit" (one field: Enter
    #: sends it), "none".
    submit: str
    #: The submit control's words ("Send"), at most 60 characters.
    submit_text: str
    #: The form service the form posts to (by host or marker), or "".
    service: str
    #: Template values left where a key, token or form id goes.
    tokens: tuple[str, ...]
    #: What could handle a submission in script: "attribute" (onsubmit/onclick or a
    #: javascript: action), "inline" (a page script names it or handles forms), "service"
    #: (a form service's script), "script" (a same-site or unknown script that cannot be
    #: read here), "alert" (its only handler shows a message and sends nothing), "".
    handler: str
    #: The text of the message an alert-only handler shows.
    alert_text: str
    #: A search form (role, type or field name): it works without sending anything.
    search: bool
    #: Where the form service sends the customer after sending (``_next``, ``redirect``).
    redirect: str


def _attr(tag: Tag, name: str) -> str:
    v = tag.get(name)
    if isinstance(v, list):
        return " ".join(v)
    return str(v) if v is not None else ""


def _host(url: str, base: str = "") -> str:
    """The host ``url`` names (relative to ``base``), or "" when it is no URL ("A://[")."""
    try:
        return (urlsplit(urljoin(base, url) if base else url).hostname or "").lower()
    except ValueError:
        return ""


def _is_service(host: str) -> str:
    for s in _FORM_SERVICE_HOSTS:
        if host == s or host.endswith("." + s):
            return s
    return ""


def _alert_text(code: str) -> str:
    m = re.search(r"\balert\s*\(\s*(['\"`])(.*?)\1", code, re.S)
    return m.group(2)[:120] if m else ""


def _only_alerts(code: str) -> bool:
    """True when handler code shows an alert and does nothing that sends or navigates."""
    if not _ALERT.search(code):
        return False
    rest = _ALERT.sub("", re.sub(r"\balert\s*\(\s*(['\"`]).*?\1\s*\)", "", code, flags=re.S))
    rest = re.sub(r"(?:event|e)\.preventDefault\(\s*\)|return\s+false|;", " ", rest)
    return not _SENDS.search(rest)


def _page_scripts(doc: Document) -> tuple[str, str]:
    """(the page's inline script code, the kind of external script that could handle a form:
    "service", "script" or "")."""
    inline: list[str] = []
    external = ""
    page_host = _host(doc.url)
    for s in doc.tags("script"):
        doc.tick()
        src = _attr(s, "src").strip()
        typ = _attr(s, "type").lower()
        if typ and not any(t in typ for t in ("javascript", "module", "ecmascript")):
            continue  # JSON-LD, templates, data
        if not src:
            inline.append(s.get_text()[:200_000])
            continue
        url = urljoin(doc.base, src)
        host = _host(url)
        if _FORM_SERVICE_SCRIPTS.search(url):
            external = "service"
        elif external != "service":
            path = urlsplit(url).path
            if host == page_host or not host:
                if not _UI_LIBRARIES.search(path):
                    external = "script"  # the site's own code: we cannot read it here
            elif host not in _LIBRARY_CDNS and not _UI_LIBRARIES.search(path):
                external = "script"
    return "\n".join(inline), external


def _names_form(code: str, form: Tag) -> bool:
    """True when script code names the form by id, name or one of its classes."""
    for attr in ("id", "name"):
        v = _attr(form, attr).strip()
        if v and re.search(r"[#'\"`.]" + re.escape(v) + r"\b", code):
            return True
    return any(re.search(r"[.'\"` ]" + re.escape(c) + r"\b", code) for c in _attr(form, "class").split() if len(c) >= 3)


def read_form(doc: Document, form: Tag, inline: str, external: str) -> FormDelivery:
    """How one form would send."""
    action = _attr(form, "action").strip()
    method = (_attr(form, "method") or "get").strip().lower()
    action_url = "" if _DEAD_HREF.match(action) else urljoin(doc.base, action)
    fillable = 0
    unnamed: list[str] = []
    search = _attr(form, "role").lower() == "search"
    submits: list[Tag] = []
    scripted = False
    tokens: list[str] = []
    redirect = ""
    links: list[Tag] = []
    handler_code: list[str] = [_attr(form, "onsubmit")]
    framework = False
    for el in (form, *doc.descendants(form)):
        doc.tick()
        if not isinstance(el, Tag):
            continue
        name = el.name
        for k, v in el.attrs.items():
            if _FRAMEWORK_ATTR.match(k):
                framework = True
            if k.startswith("data-") and _TOKEN_NAMES.search(k) and isinstance(v, str) and _TOKEN_VALUE.match(v.strip()):
                tokens.append(f'{k}="{v.strip()}"')
        if el is form:
            continue
        if name in ("input", "textarea", "select"):
            typ = (_attr(el, "type") or ("textarea" if name == "textarea" else "select" if name == "select" else "text")).lower()
            fname = _attr(el, "name").strip()
            if typ == "hidden":
                val = _attr(el, "value").strip()
                if _TOKEN_NAMES.search(fname) and val and _TOKEN_VALUE.match(val):
                    tokens.append(f'{fname}="{val}"')
                if fname.lower() in ("_next", "redirect", "_redirect", "redirect_url", "_url"):
                    redirect = urljoin(doc.base, val) if val else ""
                continue
            if typ == "search" or (_SEARCH_NAME.match(fname) and typ in ("text", "search")):
                search = True
            if typ in ("submit", "image"):
                submits.append(el)
                continue
            if typ in ("button", "reset"):
                if _attr(el, "onclick"):
                    scripted = True
                    handler_code.append(_attr(el, "onclick"))
                continue
            if typ in _FILLABLE_TYPES:
                fillable += 1
                if not fname:
                    label = _attr(el, "placeholder") or _attr(el, "aria-label") or _attr(el, "id") or typ
                    unnamed.append(label.strip()[:40])
        elif name == "button":
            btype = (_attr(el, "type") or "submit").lower()
            if btype == "submit":
                submits.append(el)
                if _attr(el, "onclick"):
                    handler_code.append(_attr(el, "onclick"))
            elif _attr(el, "onclick") or btype == "button":
                scripted = True
                handler_code.append(_attr(el, "onclick"))
        elif name == "a":
            links.append(el)
    submit_text = ""
    if submits:
        enabled = [s for s in submits if not s.has_attr("disabled")]
        submit = "button" if enabled else "disabled"
        first = (enabled or submits)[0]
        submit_text = doc.text(first, 60) or _attr(first, "value")
    elif scripted:
        submit = "scripted"
    elif links:
        dead = [a for a in links if _DEAD_HREF.match(_attr(a, "href")) and not _attr(a, "onclick")]
        if any(_attr(a, "onclick") for a in links):
            submit = "scripted"
            handler_code.extend(_attr(a, "onclick") for a in links)
        elif dead:
            submit = "link"
            submit_text = doc.text(dead[-1], 60)
        else:
            submit = "link-out"
    else:
        submit = "implicit" if fillable == 1 else "none"
    service = _is_service(_host(action_url)) if action_url else ""
    if not service and (form.has_attr("data-netlify") or form.has_attr("netlify") or form.has_attr("data-static-form-name")):
        service = "netlify"
    if action_url:
        parts = [p for p in re.split(r"[/?=&#]", urlsplit(action_url).path + "?" + urlsplit(action_url).query) if p]
        tokens.extend(p for p in parts if _TOKEN_VALUE.match(p))
    code = " ".join(c for c in handler_code if c)
    handler = ""
    alert_text = ""
    if code or action.lower().startswith("javascript:") and not _DEAD_HREF.match(action):
        if action.lower().startswith("javascript:"):
            code += " " + action
        if _only_alerts(code):
            handler, alert_text = "alert", _alert_text(code)
        else:
            handler = "attribute"
    if not handler and framework:
        handler = "attribute"
    if not handler:
        if inline and (_names_form(inline, form) or _GENERIC_FORM_CODE.search(inline)):
            handler = "inline"
        elif external:
            handler = external
    label = _form_label(doc, form)
    return FormDelivery(
        selector=doc.selector(form), label=label or submit_text, action=action, action_url=action_url, method=method,
        fillable=fillable, unnamed=tuple(unnamed), submit=submit, submit_text=submit_text.strip()[:60], service=service,
        tokens=tuple(dict.fromkeys(tokens)), handler=handler, alert_text=alert_text, search=search, redirect=redirect)


def _form_label(doc: Document, form: Tag) -> str:
    """The heading of the form's section, else the last heading before it: the words a site
    owner knows the form by."""
    node = form.parent
    for _ in range(8):
        if not isinstance(node, Tag) or node.name in ("body", "html"):
            break
        if node.name in ("section", "article", "aside", "dialog") or node.get("role") == "dialog":
            h = node.find(re.compile(r"^h[1-6]$"))
            if isinstance(h, Tag):
                return doc.text(h, 80)
            break
        node = node.parent
    heading = doc.heading_before(form)
    return doc.text(heading, 80) if heading is not None else ""


@dataclass(frozen=True)
class AlertButton:
    """A button or link whose only action is an alert: "Checkout", "Book now", "Send"."""

    #: Short CSS-like selector of the control.
    selector: str
    #: Its words ("Checkout").
    text: str
    #: The message its alert shows.
    alert_text: str


#: Words of controls that promise an action: send, book, order, pay, in many languages.
_ACTION_WORDS = lazy_compile(
    r"\b(?:send|submit|book|reserve|order|checkout|check\s+out|pay|buy|purchase|subscribe|sign\s+up|register|"
    r"request|apply|enviar|reservar|pedir|comprar|pagar|solicitar|envoyer|r[ée]server|commander|payer|acheter|"
    r"valider|s'inscrire|senden|absenden|buchen|reservieren|bestellen|kaufen|bezahlen|anfragen|abschicken|"
    r"invia|inviare|prenota|ordina|acquista|paga|richiedi|enviar|agendar|encomendar|verzenden|versturen|boeken|"
    r"reserveren|bestellen|betalen|kopen|wy[śs]lij|zarezerwuj|zam[óo]w|kup|zap[łl]a[ćc]|odeslat|objednat|rezervovat|koupit)",
    re.I)


def alert_buttons(doc: Document) -> tuple[AlertButton, ...]:
    """Controls that promise an action ("Checkout", "Réserver") and only show an alert."""
    out: list[AlertButton] = []
    for name in ("button", "a", "input"):
        for el in doc.tags(name):
            doc.tick()
            code = _attr(el, "onclick")
            if not code or not _only_alerts(code):
                continue
            text = doc.text(el, 60) or _attr(el, "value")
            if _ACTION_WORDS.search(text):
                out.append(AlertButton(doc.selector(el), text.strip(), _alert_text(code)))
    return tuple(out[:20])


@dataclass(frozen=True)
class PageForms:
    """``form_delivery`` facts of one page."""

    #: Each ``<form>`` of the page, in document order.
    forms: tuple[FormDelivery, ...]
    #: Controls that promise an action and only show an alert (at most 20).
    alert_buttons: tuple[AlertButton, ...]


class FormDeliveryExtractor(Extractor):
    """``form_delivery``: how each ``<form>`` of the page would send, and action buttons that
    only show an alert."""

    name = "form_delivery"
    description = "how each form would send (action, service, submit control, named fields, script handlers)"

    def extract(self, doc: Document) -> PageForms:
        forms = doc.tags("form")
        inline, external = _page_scripts(doc) if forms else ("", "")
        return PageForms(tuple(read_form(doc, f, inline, external) for f in forms[:20]), alert_buttons(doc))


def _static_site(ctx: Context) -> bool:
    """True when the site is plain files: POSTing to one of its pages reaches no program."""
    target = ctx.config.target
    if target and not re.match(r"^https?://", target, re.I):
        return True  # a folder or a file, served as static files
    paths = [url_parts(p.url).path.lower() for p in ctx.pages]
    if any(p.endswith(_SERVER_EXTENSIONS) for p in paths):
        return False
    return any(p.endswith((".html", ".htm")) for p in paths)


def _key(kind: str, fd: FormDelivery) -> str:
    """One finding per form (by its words), whatever page it is on."""
    return f"{kind}|{fd.label.lower()[:60]}"


def _form_name(fd: FormDelivery) -> str:
    return f"the form {fd.label!r}" if fd.label else "a form"


class FormDeliveryProbe(Probe):
    id = "contact.form_delivery"
    touchpoint = "contact"
    title = "Forms can be sent"
    failure_title = "Some forms cannot be sent"
    description = """
A form that looks ready but sends nothing is worse than no form: the customer writes, presses
the button, and waits for an answer that never comes. Checked on every form a customer fills
in (search forms excluded): a template value where the form service's id or key goes
(`formspree.io/f/YOUR_ID`, `access_key="API_TOKEN"`); a handler that only shows an alert; no
action and no script that could send it, on a site of plain files; an action leading to a page
that does not exist; no button that sends it (or only an `<a href="#">` "Book" link); a
disabled button and no script that could enable it; fields without a `name`, which the browser
never sends; a `mailto:` action, which opens the visitor's mail program (or nothing) instead
of sending. Action buttons ("Checkout", "Réserver") whose only effect is an alert count too.
A form whose page loads its own scripts is given the benefit of the doubt: static mode cannot
read them. Fix: connect the form to a working endpoint or form service, give every field a
`name`, and test it once by sending it. Score: the share of judged forms that can send
(mailto counts half); not applicable without forms.
"""
    weight = 2

    def check(self, ctx: Context) -> Outcome:
        static = _static_site(ctx)
        judged = 0
        broken = 0.0
        issues: list[Issue] = []
        for f in ctx.facts():
            facts: PageForms = f.fact("form_delivery")
            for b in facts.alert_buttons:
                judged += 1
                broken += 1
                said = f" (it says {b.alert_text!r})" if b.alert_text else ""
                issues.append(issue("alert-only-button", "A button only shows a message instead of acting",
                                    f"The button {b.text!r} does nothing but show an alert{said}: nothing is sent, "
                                    "ordered or booked. Connect it to a real order, booking or contact step.",
                                    severity="error", key=b.text.lower(),
                                    evidence=[Evidence(url=f.url, selector=b.selector, snippet=b.text)]))
            for fd in facts.forms:
                if fd.search or fd.fillable == 0:
                    continue
                judged += 1
                found = self._judge(ctx, f.url, fd, static)
                if found is not None:
                    issues.append(found)
                    broken += 0.5 if found.severity == "warning" else 1
        if not judged:
            return Outcome.na("no form a customer fills in")
        return outcome(1 - broken / judged, issues, {})

    @staticmethod
    def _judge(ctx: Context, url: str, fd: FormDelivery, static: bool) -> Issue | None:
        ev = [Evidence(url=url, selector=fd.selector, snippet=(fd.action or fd.submit_text or fd.label)[:120])]
        name = _form_name(fd)
        if fd.tokens:
            return issue("template-token", "A form still holds a template placeholder",
                         f"{name[0].upper()}{name[1:]} sends to {', '.join(fd.tokens[:3])}: the form service's id or key "
                         "was never filled in, so submissions are refused. Put in the real value from your form service.",
                         severity="error", key=_key("token", fd),
                         evidence=[Evidence(url=url, selector=fd.selector, snippet=", ".join(fd.tokens[:3]))])
        if fd.handler == "alert":
            said = f" ({fd.alert_text!r})" if fd.alert_text else ""
            return issue("alert-only-form", "A form only shows a message and sends nothing",
                         f"Submitting {name} shows an alert{said} and sends nothing. Connect it to an endpoint or a "
                         "form service, or replace it with your email and phone.", severity="error", key=_key("alert", fd),
                         evidence=[Evidence(url=url, selector=fd.selector, snippet=fd.alert_text or fd.label)])
        if fd.action.lower().startswith("mailto:"):
            return issue("mailto-action", "A form opens the visitor's mail program instead of sending",
                         f"{name[0].upper()}{name[1:]} has action {fd.action[:80]!r}: the browser hands the fields to the "
                         "visitor's mail program, and sends nothing when there is none (most phones in a browser, "
                         "shared computers). Use a form service or endpoint.", severity="warning", key=_key("mailto", fd), evidence=ev)
        own_site = bool(fd.action_url) and _host(fd.action_url) == _host(url)
        if own_site and ctx.is_broken(fd.action_url.split("#")[0]):
            return issue("action-missing-page", "A form sends to a page that does not exist",
                         f"{name[0].upper()}{name[1:]} sends to {fd.action!r}, which answers with an error "
                         f"(HTTP {ctx.status_of(fd.action_url.split('#')[0])}).", severity="error", key=_key("missing-action", fd),
                         evidence=ev, cause=ctx.page_cause(fd.action_url))
        if fd.redirect and _host(fd.redirect) == _host(url) and ctx.is_broken(fd.redirect.split("#")[0]):
            return issue("redirect-missing-page", "After sending, a form leads to a page that does not exist",
                         f"{name[0].upper()}{name[1:]} sends the customer on to {fd.redirect!r}, which answers with an "
                         "error: the message may arrive, but the customer sees an error page and will send it again.",
                         severity="warning", key=_key("missing-redirect", fd), evidence=ev,
                         cause=ctx.page_cause(fd.redirect))
        scripted = fd.handler in ("attribute", "inline", "service", "script")
        if scripted:
            return None  # a script may send it: static mode cannot tell
        # No action, or an action that is one of the site's own pages: on plain files that
        # reaches no program. A form service (Netlify) may catch a post to the page itself.
        page_target = not fd.service and (
            not fd.action_url or (own_site and ctx.depth(fd.action_url.split("#")[0]) is not None))
        if page_target and static:
            where = "has no action" if not fd.action_url else f"sends to the page {fd.action!r}"
            return issue("no-destination", "A form has nowhere to send",
                         f"{name[0].upper()}{name[1:]} {where} and no script handles it: on a site of plain files "
                         "pressing the button reloads the page and nobody receives the message. Connect it to a form "
                         "service or an endpoint.", severity="error", key=_key("no-destination", fd), evidence=ev)
        if fd.submit == "link":
            return issue("link-instead-of-submit", "A form's send button is a link that goes nowhere",
                         f"In {name}, {fd.submit_text!r} is a link to '#' rather than a submit button: clicking it "
                         "sends nothing. Use <button type=\"submit\">.", severity="error", key=_key("link-submit", fd), evidence=ev)
        if fd.submit == "none":
            return issue("no-submit", "A form has no button to send it",
                         f"{name[0].upper()}{name[1:]} has {fd.fillable} field{'s' if fd.fillable != 1 else ''} and no submit button, so it cannot be "
                         "sent. Add <button type=\"submit\">.", severity="error", key=_key("no-submit", fd), evidence=ev)
        if fd.submit == "disabled":
            return issue("disabled-submit", "A form's send button is disabled",
                         f"The button {fd.submit_text!r} of {name} is disabled and no script can enable it.",
                         severity="error", key=_key("disabled-submit", fd), evidence=ev)
        if fd.unnamed and fd.submit in ("button", "implicit"):
            if len(fd.unnamed) == fd.fillable:
                return issue("unnamed-fields", "A form sends none of its fields",
                             f"No field of {name} has a name attribute ({', '.join(fd.unnamed[:4])}), so the browser "
                             "sends an empty submission. Give every field a name.", severity="error", key=_key("unnamed-all", fd),
                             evidence=ev)
            return issue("unnamed-fields", "Some fields of a form are never sent",
                         f"These fields of {name} have no name attribute and are dropped when it is sent: "
                         f"{', '.join(fd.unnamed[:4])}.", severity="warning", key=_key("unnamed-some", fd), evidence=ev)
        return None


# =========================================================================== template copy

#: Words of the Latin filler generators (lorem ipsum, Cicero's "Sed ut perspiciatis", the
#: BootstrapMade and Loripsum variants). Real Latin (a motto, a prayer) rarely uses them.
_FILLER_LATIN = frozenset("""
lorem ipsum dolor amet consectetur consectetuer adipiscing adipisicing adipisci elit eiusmod tempor incididunt labore
dolore aliqua veniam nostrud exercitation ullamco laboris aliquip commodo consequat aute irure reprehenderit voluptate
velit cillum fugiat pariatur excepteur occaecat cupidatat proident deserunt mollit laborum perspiciatis accusantium
doloremque laudantium aperiam inventore veritatis architecto beatae explicabo voluptatem voluptas aspernatur odit
consequuntur nesciunt quisquam numquam eius tempora incidunt magnam quaerat imperdiet hendrerit vestibulum tincidunt
egestas curabitur mauris dapibus sagittis lacinia fringilla ultrices ullamcorper pellentesque vulputate nibh blandit
tamen quem legam multos noster fore quorum illum eram varias nisl nunc tellus viverra faucibus pretium aliquam
phasellus praesent maecenas fusce donec nullam integer etiam proin suspendisse vivamus cras morbi quisque aenean
sapien lectus tortor risus metus lacus purus justo felis turpis augue mattis ornare rhoncus feugiat euismod
facilisis accumsan sollicitudin porttitor posuere dignissim elementum condimentum scelerisque molestie malesuada
iaculis venenatis volutpat consequatur molestiae voluptatum ducimus blanditiis praesentium deleniti corrupti
repellendus reiciendis laboriosam exercitationem dolorum quibusdam eveniet necessitatibus saepe asperiores
repellat recusandae itaque earum rerum hic tenetur sapiente delectus autem officiis debitis quas distinctio
libero soluta nobis eligendi optio cumque impedit minus quod maxime placeat facere possimus assumenda
""".split())
#: Latin function words that fill the gaps between them (also words of other languages,
#: so they only count beside the words above).
_LATIN_FUNCTION = frozenset("sed ut et in ad ex ea id est non quis nisi sit enim qui quae quo eu at ac a vel nec "
                            "duis nulla magna culpa sunt sint esse ante eget diam sem odio arcu massa ipsa iste "
                            "natus error totam rem eaque ab illo quasi vitae dicta nemo enim ipsam quia aut fugit "
                            "magni dolores eos ratione sequi neque porro dolorem modi".split())
_WORD = lazy_compile(r"[^\W\d_]+", re.U)

#: A heading that is only a template's generic name: "Product Name", "Service Title",
#: "Card title", in several languages; and numbered ones ("Item 1", "Product 2").
_GENERIC_NAME = lazy_compile(
    r"^(?:(?:product|service|item|feature|project|plan|package|card|post|article|team\s+member|member|course|event)\s+"
    r"(?:name|title|heading)|card\s+title|title\s+here|heading\s+here|your\s+(?:title|heading|product|service)|"
    r"nom\s+du\s+(?:produit|service)|titre\s+du\s+(?:produit|service)|produktname|produkttitel|dienstleistungsname|"
    r"nombre\s+del?\s+(?:producto|servicio)|t[íi]tulo\s+del?\s+(?:producto|servicio)|nome\s+d[oa]\s+(?:produto|servi[çc]o)|"
    r"nome\s+(?:del\s+)?(?:prodotto|servizio)|productnaam|nazwa\s+produktu)$", re.I)
_NUMBERED_NAME = lazy_compile(
    r"^(?:item|product|service|feature|project|produit|produkt|producto|produto|prodotto|servicio|servi[çc]o|servizio|"
    r"leistung|dienst|artikel|article|art[íi]culo|articolo|artigo)\s*#?\s*\d{1,2}$", re.I)
#: Carousel captions of the Bootstrap examples.
_SLIDE_CAPTION = lazy_compile(
    r"^(?:(?:first|second|third|fourth|fifth)\s+slide(?:\s+label)?|slide\s+\d(?:\s+label)?|"
    r"some\s+representative\s+placeholder\s+content.*)$", re.I)
#: Page titles that editors and starter templates put in and nobody replaced.
_STARTER_TITLE = lazy_compile(
    r"^(?:document|untitled(?:\s+document)?|untitled-?\d*|new\s+document|title|page\s+title|your\s+title(?:\s+here)?|"
    r"my\s+(?:website|site|web\s*page|page|portfolio)|website|web\s*page|homepage\s+title|starter\s+template|"
    r"bootstrap(?:\s+\d)?\s+(?:demo|starter|example)|hello,?\s+world!?|react\s+app|vite\s+app|vite\s*\+\s*\w+(?:\s*\+\s*\w+)?|"
    r"create\s+next\s+app|landing\s+page\s+template|html\s+template|free\s+template|template|sans\s+titre|"
    r"sin\s+t[íi]tulo|senza\s+titolo|sem\s+t[íi]tulo|unbenannt|ohne\s+titel|naamloos|bez\s+tytu[łl]u|bez\s+n[áa]zvu)$",
    re.I)
#: Placeholder image services: gone ones show a broken image, live ones a grey box or a
#: random photo.
_DEAD_IMAGE_HOSTS = ("placehold.it", "via.placeholder.com", "placeholder.com", "placekitten.com", "lorempixel.com",
                     "placeimg.com", "fillmurray.com", "placecage.com", "stevensegallery.com", "baconmockup.com",
                     "placebear.com", "source.unsplash.com", "unsplash.it")
_LIVE_IMAGE_HOSTS = ("placehold.co", "dummyimage.com", "picsum.photos", "fakeimg.pl", "loremflickr.com",
                     "placeholdit.com", "placebeard.it", "dummyjson.com")

# --------------------------------------------------------------------------- legal fill-ins

#: Pages whose purpose is legal: a legal notice, imprint, privacy, terms, cookies.
_LEGAL_PAGE = lazy_compile(
    r"impressum|imprint|legal|mentions|aviso|note[-_ ]?legali|informa(?:tiva|zioni)[-_ ]?legali|privacy|privacidad|"
    r"privacidade|privatsph|datenschutz|confidentialit|terms|conditions|\bcgv\b|\bcgu\b|\bagb\b|termini|t[ée]rminos|"
    r"termos|polityka|prywatno|regulamin|disclaimer|cookie|juridique|rechtlich|colofon|privacyverklaring|"
    r"voorwaarden|ochrana|podm[íi]nky|gdpr|rgpd|lgpd|dsgvo",
    re.I)
#: Fields of a legal notice, in the languages of Europe and the Americas.
_LEGAL_WORDS = (
    r"company|company\s+name|business\s+name|legal\s+name|legal\s+form|registered\s+(?:office|address)|address|"
    r"registration|number|vat|director|publisher|host|owner|name|date|city|country|"
    r"soci[ée]t[ée]|nom|raison\s+sociale|d[ée]nomination|forme\s+juridique|si[èe]ge|adresse|num[ée]ro|siret|siren|rcs|"
    r"tva|capital|directeur|responsable|h[ée]bergeur|ville|"
    r"firma|firmenname|unternehmen|rechtsform|anschrift|gesch[äa]ftsf[üu]hrer|inhaber|registergericht|registernummer|"
    r"ragione\s+sociale|denominazione|sede|indirizzo|partita\s+iva|titolare|"
    r"raz[óo]n\s+social|empresa|domicilio|nombre|direcci[óo]n|"
    r"denomina[çc][ãa]o|nome|endere[çc]o|cnpj|respons[áa]vel|"
    r"bedrijfsnaam|bedrijf|adres|naam|kvk|btw|nazwa|siedziba|n[áa]zev|s[íi]dlo"
)
_OPEN_WORDS = r"(?:your\s+|votre\s+|vos\s+|ihre?n?\s+|tu\s+|su\s+|il\s+tuo\s+|la\s+tua\s+|o\s+seu\s+|a\s+sua\s+|uw\s+)?"
#: "[Nom de la société]", "[À COMPLÉTER — ex. SAS]", "<à compléter>", "[Firmenname]".
_BRACKET_FILL_IN = lazy_compile(
    rf"\[\s*(?:{_TO_BE_COMPLETED})[^\]\n]{{0,60}}\]|<\s*(?:{_TO_BE_COMPLETED})[^>\n]{{0,60}}>|"
    rf"\[\s*{_OPEN_WORDS}(?:{_LEGAL_WORDS})(?:\s+(?:de\s+la\s+|de\s+l'|du\s+|des\s+|der\s+|des\s+|del\s+|della\s+|da\s+|do\s+|"
    rf"of\s+the\s+|of\s+)?[\w'’-]+){{0,3}}\s*\]",
    re.I)
#: Registration and tax numbers, with the labels they go by.
_REGISTRATION_LABEL = (
    r"SIRE[NT]|RCS|N°\s*TVA(?:\s+intracommunautaire)?|TVA\s+intracommunautaire|VAT(?:\s+(?:number|no\.?|id|reg\.?))?|"
    r"USt-?Id(?:Nr)?\.?|USt-?IdNr\.?|Umsatzsteuer-?(?:ID|Identifikationsnummer)|Steuer-?nummer|Handelsregister(?:nummer)?|"
    r"HRB|Registernummer|CNPJ|CPF|NIF|CIF|NIE|P\.?\s?IVA|Partita\s+IVA|Codice\s+fiscale|REA|KvK(?:-nummer)?|BTW(?:-nummer)?|"
    r"NIP|REGON|KRS|I[ČC]O?|DI[ČC]|Company\s+(?:number|registration(?:\s+number)?|no\.?|reg\.?\s+no\.?)|"
    r"Registration\s+(?:number|no\.?)|ABN|ACN|EIN|Capital\s+social|au\s+capital\s+de|Stammkapital"
)
_BLANK_VALUE = (
    rf"(?:{_TO_BE_COMPLETED})|[xX]{{3,}}(?:[\s.-]?[xX]{{2,}})*|0{{3}}(?:[\s.]?0{{3}}){{1,}}|123\s?456\s?789|"
    r"\.{{3,}}|_{{3,}}|…|\?{{2,}}|-{{3,}}|\[[^\]]{{0,40}}\]|<[^>]{{0,40}}>"
).replace("{{", "{").replace("}}", "}")
_REGISTRATION_BLANK = lazy_compile(rf"(?<!\w)(?:{_REGISTRATION_LABEL})\s*[:：]?\s*(?:n[°o]\.?\s*)?(?:{_BLANK_VALUE})(?!\w)", re.I)
#: A template's company name as the owner of the site.
_TEMPLATE_COMPANY = lazy_compile(
    r"(?:©|&copy;|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?:by\s+)?"
    r"(?:company\s+name|your\s+(?:company|business)(?:\s+name)?|lorem\s+(?:ipsum\s+)?(?:inc|ltd|llc|corp|gmbh|sas|srl)\.?|"
    r"company,?\s+(?:inc|ltd|llc)\.?|nom\s+de\s+(?:la\s+soci[ée]t[ée]|l'entreprise)|votre\s+(?:soci[ée]t[ée]|entreprise)|"
    r"firmenname|ihre\s+firma|nombre\s+de\s+(?:la\s+)?empresa|tu\s+empresa|nome\s+(?:da|dell'|della)\s*(?:empresa|azienda)|"
    r"sua\s+empresa|la\s+tua\s+azienda|bedrijfsnaam|uw\s+bedrijf|nazwa\s+firmy)(?!\w)",
    re.I)


#: Stand-in names and addresses of legal-notice templates: the German "Max Mustermann,
#: Musterstraße 1, 12345 Musterstadt", "John Doe", and a template company name after a
#: legal label ("Raison sociale : Nom de la société").
_TEMPLATE_PARTY = lazy_compile(
    r"(?<!\w)(?:max\s+mustermann|erika\s+musterfrau|muster(?:stra(?:ß|ss)e|stadt|hausen|weg|gasse|firma|mann|frau)"
    r"|john\s+doe|jane\s+doe)(?!\w)", re.I)
_LABELLED_TEMPLATE_NAME = lazy_compile(
    r"(?<!\w)(?:company(?:\s+name)?|business\s+name|legal\s+name|owner|publisher|raison\s+sociale|d[ée]nomination|"
    r"[ée]diteur|firma|firmenname|inhaber|ragione\s+sociale|denominazione|titolare|raz[óo]n\s+social|titular|"
    r"denomina[çc][ãa]o|bedrijfsnaam|nazwa\s+firmy)\s*[:：]\s*"
    r"(?:company\s+name|your\s+company(?:\s+name)?|nom\s+de\s+(?:la\s+soci[ée]t[ée]|l'entreprise)|votre\s+soci[ée]t[ée]|"
    r"ihre\s+firma|nome\s+(?:dell'|della\s+)?azienda|nombre\s+de\s+(?:la\s+)?empresa|nome\s+da\s+empresa|"
    r"uw\s+bedrijf(?:snaam)?|lorem\s+ipsum|acme(?:\s+(?:inc|corp|ltd|gmbh))?\.?)(?!\w)", re.I)


#: Lorem ipsum, which clarity.placeholder reports already (lower-case text).
_LOREM = lazy_compile(r"lorem\s+ipsum|dolor\s+sit\s+amet|consectetur\s+adipiscing")
_REGISTRATION_BLANK_LOWER = lower_case_twin(_REGISTRATION_BLANK)
#: What every blank value (:data:`_BLANK_VALUE`) holds in lower-case text: a "to be
#: completed" phrase, or one of these marks (the pattern's labels are too short to look for).
_BLANK_MARKS = ("xxx", "000", "123", "...", "___", "…", "??", "---", "[", "<")
_TO_BE_COMPLETED_LOWER = lower_case_twin(lazy_compile(_TO_BE_COMPLETED, re.I))


def _blank_possible(low: str) -> bool:
    """False only when lower-case ``low`` holds no blank value for
    :data:`_REGISTRATION_BLANK_LOWER` to find (most pages: its own scan costs about a
    millisecond on a 27 KB page)."""
    return any(mark in low for mark in _BLANK_MARKS) or might_match(_TO_BE_COMPLETED_LOWER, low)
_TEMPLATE_COMPANY_LOWER = lower_case_twin(_TEMPLATE_COMPANY)
_LABELLED_TEMPLATE_NAME_LOWER = lower_case_twin(_LABELLED_TEMPLATE_NAME)
_TEMPLATE_PARTY_LOWER = lower_case_twin(_TEMPLATE_PARTY)


@dataclass(frozen=True)
class TemplateCopy:
    """One piece of template copy on a page.

    ``kind``: ``legal-fill-in`` (a blank legal or business field), ``pseudo-latin``,
    ``generic-name``, ``slide-caption``, ``starter-title``, ``dead-placeholder-image``,
    ``placeholder-image``."""

    #: What kind of template copy (one of the kinds above).
    kind: str
    #: The text as written (at most 160 characters).
    text: str
    #: Short CSS-like selector of the element that holds it.
    selector: str = ""


def _latin_filler(text: str) -> bool:
    """True when a block of text is mostly Latin filler words."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 6:
        return False
    filler = sum(1 for w in words if w in _FILLER_LATIN)
    function = sum(1 for w in words if w in _LATIN_FUNCTION)
    return filler >= 3 and (filler + function) / len(words) >= 0.6


def _filler_words(low: str, enough: int = 3) -> int:
    """How many of the words of ``low`` (lower case) are Latin filler words, counting up to
    ``enough``. Each distinct token is read once: a token of letters only is one word."""
    found = 0
    for tok, n in token_counts(low).items():
        if tok.isalpha():
            if tok in _FILLER_LATIN:
                found += n
        else:
            found += n * sum(1 for w in _WORD.findall(tok) if w in _FILLER_LATIN)
        if found >= enough:
            break
    return found


class TemplateCopyExtractor(Extractor):
    """``template_copy``: template filler and blank legal fields on the page."""

    name = "template_copy"
    description = ("template copy beyond lorem ipsum (pseudo-Latin, generic product names, slide captions, starter "
                   "titles, placeholder images) and blank legal or business fields")

    def extract(self, doc: Document) -> tuple[TemplateCopy, ...]:
        out: list[TemplateCopy] = []
        seen: set[tuple[str, str]] = set()

        def add(kind: str, text: str, where: Tag | str = "") -> None:
            key = (kind, text.lower())
            if key not in seen and len(out) < 40:
                seen.add(key)
                # Selectors cost a walk up the tree: only for what is reported.
                selector = doc.selector(where) if isinstance(where, Tag) else where
                out.append(TemplateCopy(kind, text[:160], selector))

        f = doc.facts
        title = " ".join(f.title.split())
        if title and _STARTER_TITLE.match(title):
            add("starter-title", title, "title")
        legal_page = bool(_LEGAL_PAGE.search(urlsplit(doc.url).path) or _LEGAL_PAGE.search(title)
                          or any(_LEGAL_PAGE.search(h.text) for h in f.headings if h.level == 1))
        # Clarity reports pages with lorem ipsum already; pseudo-Latin is looked for elsewhere.
        all_low = lower(f.all_text)
        remember_counts(all_low, lambda: doc.token_counts(lower=True))  # counted already (see clarity's copy)
        check_latin = not (might_match(_LOREM, all_low) and _LOREM.search(all_low))
        generic: dict[str, list[str]] = {}
        blocks = list(zip(doc.block_texts, (block for _region, _texts, block in doc.blocks), strict=True))
        # Each pattern is first tried once on the whole page (the blocks joined by line
        # breaks, which none of them needs to match inside a block): most pages have no
        # fill-in at all, and one pass over the page costs far less than one per block.
        page = "\n".join(text for text, _block in blocks)
        low = page.lower()
        # might_match first: a substring search for the words a pattern needs is far faster
        # than the pattern, and most pages hold none of them.
        def found(pattern: re.Pattern[str], text: str) -> bool:
            return might_match(pattern, text) and pattern.search(text) is not None

        if len(low) == len(page):  # lower-casing kept every offset: the faster twins
            scan_registration = _blank_possible(low) and found(_REGISTRATION_BLANK_LOWER, low)
            scan_company = found(_TEMPLATE_COMPANY_LOWER, low)
            scan_labelled = found(_LABELLED_TEMPLATE_NAME_LOWER, low)
            scan_party = legal_page and found(_TEMPLATE_PARTY_LOWER, low)
        else:
            scan_registration = found(_REGISTRATION_BLANK, page)
            scan_company = found(_TEMPLATE_COMPANY, page)
            scan_labelled = found(_LABELLED_TEMPLATE_NAME, page)
            scan_party = legal_page and found(_TEMPLATE_PARTY, page)
        scan_brackets = ("[" in page or "<" in page) and _BRACKET_FILL_IN.search(page) is not None
        if check_latin:
            check_latin = _filler_words(low) >= 3
        for text, block in blocks:
            doc.tick()
            if not text:
                continue
            selector: Tag | str = block if isinstance(block, Tag) else ""
            if len(text) <= 60 and isinstance(block, Tag):
                if _SLIDE_CAPTION.match(text):
                    add("slide-caption", text, selector)
                elif (_GENERIC_NAME.match(text) or _NUMBERED_NAME.match(text)) and (
                        block.name in ("h1", "h2", "h3", "h4", "h5", "h6") or "title" in " ".join(doc.tokens(block))):
                    generic.setdefault(text, []).append(doc.selector(block))
            if check_latin and len(text) >= 30 and _latin_filler(text):
                add("pseudo-latin", text, selector)
            # A blank registration number first ("SIREN : <à compléter>"), then brackets
            # outside it, so one blank is one entry.
            taken: list[tuple[int, int]] = []
            for m in _REGISTRATION_BLANK.finditer(text) if scan_registration else ():
                doc.tick()
                taken.append(m.span())
                add("legal-fill-in", m.group(0).strip(), selector)
            for m in _BRACKET_FILL_IN.finditer(text) if scan_brackets else ():
                doc.tick()
                if any(a <= m.start() < b for a, b in taken):
                    continue
                if legal_page or re.search(_TO_BE_COMPLETED, m.group(0), re.I):
                    add("legal-fill-in", m.group(0), selector)
            for m in _TEMPLATE_COMPANY.finditer(text) if scan_company else ():
                doc.tick()
                add("legal-fill-in", m.group(0).strip(), selector)
            for m in _LABELLED_TEMPLATE_NAME.finditer(text) if scan_labelled else ():
                doc.tick()
                add("legal-fill-in", m.group(0).strip(), selector)
            if scan_party:
                for m in _TEMPLATE_PARTY.finditer(text):
                    doc.tick()
                    add("legal-fill-in", m.group(0).strip(), selector)
        for name, selectors in generic.items():
            if _NUMBERED_NAME.match(name):
                continue  # "Item 1" alone may be a real list; a family of them is judged below
            add("generic-name", f"{name} (×{len(selectors)})" if len(selectors) > 1 else name, selectors[0])
        family = [t for t in generic if _NUMBERED_NAME.match(t)]
        if len(family) >= 2:
            add("generic-name", ", ".join(sorted(family)[:4]), generic[family[0]][0])
        for img in f.images:
            doc.tick()
            host = _host(img.src, doc.base)
            if any(host == h or host.endswith("." + h) for h in _DEAD_IMAGE_HOSTS):
                add("dead-placeholder-image", img.src)
            elif any(host == h or host.endswith("." + h) for h in _LIVE_IMAGE_HOSTS):
                add("placeholder-image", img.src)
        return tuple(out)


def _already_reported(text: str) -> bool:
    """Copy that clarity.placeholder or the contact placeholders report already."""
    return bool(FILL_IN_RE.search(text) or PLACEHOLDER_RE.search(text) or any(True for _ in fill_in_fields(text)))


def _copies(ctx: Context, kinds: Iterable[str]) -> list[tuple[str, TemplateCopy]]:
    wanted = set(kinds)
    out: list[tuple[str, TemplateCopy]] = []
    for f in ctx.facts():
        found: tuple[TemplateCopy, ...] = f.fact("template_copy")
        out.extend((f.url, c) for c in found if c.kind in wanted)
    return out


class LegalDetailsProbe(Probe):
    id = "policies.legal_details"
    touchpoint = "policies"
    title = "Legal and business details are filled in"
    failure_title = "Legal or business details are still template fill-ins"
    description = """
A legal notice that reads "[Company name]", "SIRET : à compléter" or "USt-IdNr.: XXX" tells the
customer that nobody stands behind the site, and in many countries the details are a legal
duty (the Impressum, the mentions légales, the aviso legal). Checked on every page, in the
languages of Europe and the Americas: bracketed fill-in fields on legal pages ("[Nom de la
société]", "[Firmenname]"), "to be completed" in brackets anywhere ("[À COMPLÉTER]",
"<da inserire>"), registration, VAT and tax numbers left blank ("à compléter", "XXX",
"000 000 000"), a template's company name after the copyright sign or a legal label ("© Company
Name", "Raison sociale : Nom de la société"), and a legal-notice template's stand-in person or
address ("Max Mustermann, Musterstraße 1, 12345 Musterstadt", "John Doe").
Placeholder contact details are the contact touchpoint's. Fix: fill in every field with the
company's real details, or remove the line. Score: none 1.0, any 0.2; not applicable when the
site has no legal page and shows none.
"""
    weight = 2

    def check(self, ctx: Context) -> Outcome:
        found = [(u, c) for u, c in _copies(ctx, ("legal-fill-in",)) if not _already_reported(c.text)]
        if not found:
            legal = any(_LEGAL_PAGE.search(pl.path) or _LEGAL_PAGE.search(pl.title) for pl in page_labels(ctx))
            return outcome(1.0, (), {}) if legal else Outcome.na("no legal page found")
        by_text: dict[str, list[tuple[str, TemplateCopy]]] = {}
        for u, c in found:
            by_text.setdefault(c.text.lower(), []).append((u, c))
        fields = sorted({c.text for _u, c in found}, key=str.lower)
        issues = [issue("legal-fill-in", "Legal or business details are left as template fill-ins",
                        "These fields were never filled in: " + ", ".join(repr(t) for t in fields[:6])
                        + (f" and {len(fields) - 6} more" if len(fields) > 6 else "")
                        + ". Put in the company's real details or remove the lines.",
                        severity="error", key="legal-fill-in",
                        evidence=[Evidence(url=u, selector=c.selector, snippet=c.text) for u, c in found])]
        return outcome(0.2, issues, {})


class TemplateCopyProbe(Probe):
    id = "clarity.template_copy"
    touchpoint = "clarity"
    title = "No template filler is left on the pages"
    failure_title = "Template filler is left on the pages"
    description = """
Template filler beyond lorem ipsum (which `clarity.placeholder` reports) tells the customer the
site was never finished: paragraphs of pseudo-Latin ("Sed imperdiet hendrerit blandit..."), a
generic name on the cards ("Product Name", "Service Title", "Item 1, Item 2"), carousel
captions such as "First slide label", a page titled "Document", "Untitled" or "My Website",
and images from placeholder services (placehold.it and via.placeholder.com are gone, so the
image shows broken; picsum.photos and dummyimage.com still show a stand-in). Fix: write the
real copy, name the real products, title each page, use your own images. Score: none 1.0;
one kind 0.6; two or three 0.4; four or more 0.2.
"""
    weight = 1

    _TITLES = {
        "pseudo-latin": ("Pseudo-Latin filler text is shown", "A paragraph is Latin filler, not your copy: {}.", "warning"),
        "generic-name": ("A template's generic product or service name is shown",
                         "Cards or headings still carry the template's name: {}.", "warning"),
        "slide-caption": ("Carousel shows the template's slide captions", "The slider reads {}.", "warning"),
        "starter-title": ("Page title is the template's default", "The browser tab and search results read {}.",
                          "warning"),
        "dead-placeholder-image": ("Images come from a placeholder service that no longer exists",
                                   "The image {} is served by a placeholder service that has shut down: customers "
                                   "see a broken image.", "error"),
        "placeholder-image": ("Images are placeholder stand-ins", "The image {} is a placeholder service's stand-in, "
                              "not a photo of your business.", "warning"),
    }

    def check(self, ctx: Context) -> Outcome:
        found = [(u, c) for u, c in _copies(ctx, self._TITLES) if c.kind != "starter-title" or not _already_reported(c.text)]
        if not found:
            return outcome(1.0, (), {})
        issues = []
        for u, c in found:
            title, message, severity = self._TITLES[c.kind]
            shown = c.text if len(c.text) <= 80 else c.text[:77] + "..."
            key = c.kind if c.kind in ("pseudo-latin", "starter-title") else f"{c.kind}|{c.text.lower()[:60]}"
            if c.kind in ("dead-placeholder-image", "placeholder-image"):
                key = f"{c.kind}|{_host(c.text) or c.text[:40]}"
            issues.append(issue(c.kind, title, message.format(repr(shown)), severity=severity, key=key,
                                evidence=[Evidence(url=u, selector=c.selector, snippet=c.text)]))
        kinds = {c.kind for _u, c in found}
        score = 0.6 if len(kinds) == 1 else 0.4 if len(kinds) <= 3 else 0.2
        return outcome(score, issues, {})


# =========================================================================== spelling

_LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian",
                   "pt": "Portuguese", "nl": "Dutch", "ru": "Russian"}


def _ui_texts(f: PageFacts) -> list[tuple[str, str, str]]:
    """(where, text, selector) of the page's short UI text: navigation links and form buttons.

    Headings are left out: their vocabulary is too wide for the dictionaries shipped here
    (inflected Spanish or Italian verbs, German compounds, names)."""
    out = [("navigation", lk.text, lk.selector) for lk in f.links
            if lk.region in ("nav", "header") and 0 < len(lk.text.split()) <= 5]
    forms: PageForms = f.fact("form_delivery")
    out += [("button", fd.submit_text, fd.selector) for fd in forms.forms if fd.submit_text]
    return out


class SpellingProbe(Probe):
    id = "clarity.spelling"
    touchpoint = "clarity"
    title = "Menu items and buttons are spelt right"
    failure_title = "A menu item or button is misspelled"
    description = """
A typo in the menu ("Masage", "Pirce list") is seen on every page and tells the customer
nobody read the site. Checked in the page's declared `lang` unless its text reads as another language
(English, Spanish, French, German, Italian, Portuguese, Dutch, Russian; other languages are
not checked): the words of navigation links and form buttons. To stay clear of names, brands,
loanwords and regional spellings, a word is reported only when no dictionary of its language
or of English knows it, one slip (a letter added, changed or two swapped) away from a frequent
word and not a regional or inflected form of it, and the page uses it nowhere else. A word that is right but unknown (a product name, a local term) goes in
`[spelling] accept` in config. Score: none 1.0, any 0.7; not applicable when no page is in a
language checked here.
"""
    weight = 0.5

    def warm(self, site: Site) -> None:
        # Reading a dictionary takes 0.2-0.4 s: the languages the pages declare, and
        # English (loanwords), read while the browser renders.
        langs = {_spelling.declared(p.facts) for p in site.pages if p.facts is not None}
        for lang in sorted(langs & _spelling.LANGUAGES):
            _spelling.warm(lang)

    def check(self, ctx: Context) -> Outcome:
        accept = {w.lower() for w in (ctx.config.option(SPELLING_ACCEPT.name, ()) or ())}
        checked = 0
        verdicts: dict[tuple[str, str], str | None] = {}
        issues: list[Issue] = []
        # A menu's texts recur on every page, and the site's host name too: each is split
        # into words (and a text judged a phrase of unknown words) once a run.
        @cache
        def words(text: str) -> tuple[str, ...]:
            return tuple(_spelling.words(text))

        @cache
        def phrase(lang: str, text: str) -> bool:
            return sum(1 for w in words(text) if len(w) >= 3 and not _spelling.known(lang, w)) >= 2

        for f in ctx.facts():
            # Only in the declared language, and not when the text reads as another one: a
            # wrong language turns every word into a "typo".
            lang = _spelling.declared(f)
            if lang not in _spelling.LANGUAGES or (f.text_lang and f.text_lang.lower() != lang):
                continue
            checked += 1
            own = {w.lower() for w in _spelling.words(f.title + " " + (url_parts(f.url).hostname or "").replace(".", " "))}
            ui = _ui_texts(f)
            in_ui: dict[str, int] = {}
            for _where, text, _sel in ui:
                for w in words(text):
                    in_ui[w.lower()] = in_ui.get(w.lower(), 0) + 1
            for where, text, selector in ui:
                # Two unknown words in one short text: a phrase in another language or a
                # name ("Olivas Rellenas" on an English menu), not a slip.
                if phrase(lang, text):
                    continue
                for w in words(text):
                    low = w.lower()
                    if low in accept or low in own:
                        continue
                    key = (lang, low)
                    if key not in verdicts:
                        verdicts[key] = _spelling.near_miss(lang, w)
                    better = verdicts[key]
                    if better is None:
                        continue
                    # Used in the page's prose too: a name or a term the owner chose. (A plain
                    # count: adjacent links are joined without a space in the page text.)
                    if f.all_text.lower().count(low) > in_ui[low]:
                        continue
                    issues.append(issue(
                        "misspelling", "A word in a menu or button looks misspelled",
                        f"{w!r} in the {where} {text!r} is not a {_LANGUAGE_NAMES[lang]} word; did you mean "
                        f"{better!r}? If it is right, add it to [spelling] accept in config.",
                        severity="warning", key=low,
                        evidence=[Evidence(url=f.url, selector=selector, snippet=text)]))
        if not checked:
            return Outcome.na("no page in a language checked here (" + ", ".join(sorted(_spelling.LANGUAGES)) + ")")
        return outcome(0.7 if issues else 1.0, issues, {})


# =========================================================================== registration


@hookimpl
def cxprobe_add_options(add_option: Callable[..., None]) -> None:
    add_option(SPELLING_ACCEPT)


@hookimpl
def cxprobe_add_extractors(register: Callable[[Extractor], None]) -> None:
    register(FormDeliveryExtractor())
    register(TemplateCopyExtractor())


@hookimpl
def cxprobe_add_probes(register: Callable[[Probe], None]) -> None:
    register(FormDeliveryProbe())
    register(LegalDetailsProbe())
    register(TemplateCopyProbe())
    register(SpellingProbe())
