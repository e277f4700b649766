"""Feedback touchpoint: "Can I tell them what I think?"."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from urllib.parse import urlsplit

from cxprobe import Context, Evidence, Outcome, Probe, Touchpoint, hookimpl, issue, outcome, per_run

from ._common import COMMENT_SCRIPTS, REVIEW_PLATFORMS, live_links
from ._lazyre import lazy_compile
from ._readability import language_of
from .facts import form_purposes
from .words import FEEDBACK_SERVICES, feedback_words

TOUCHPOINT = Touchpoint(
    id="feedback", title="Feedback", question="Can I tell them what I think?", weight=1,
    weights={"nonprofit": 2},
    fact_defaults={"channels": [], "page": None},
)


#: Every needle of every platform and service: a target that holds none names none.
_ANY_SERVICE = lazy_compile("|".join(re.escape(n) for _name, needles in (*REVIEW_PLATFORMS.items(), *FEEDBACK_SERVICES.items())
                                   for n in needles))


def _services_in(target: str) -> tuple[str, ...]:
    """The review platforms and feedback services a link's target names."""
    target = target.lower()
    if _ANY_SERVICE.search(target) is None:
        return ()
    return tuple(name for name, needles in (*REVIEW_PLATFORMS.items(), *FEEDBACK_SERVICES.items())
                 if any(n in target for n in needles))


@per_run
def feedback_channels(ctx: Context) -> tuple[list[str], list[Evidence], list[str]]:
    """The channels found (sorted), their evidence, and the pages where a customer gives
    feedback on the site: a feedback form's page, the site's own page a feedback link
    leads to, else the page with a link to a review platform or a feedback address."""
    channels: set[str] = set()
    ev: list[Evidence] = []
    pages: list[str] = []
    services_in = cache(_services_in)  # each target read once a run: a menu's links recur on every page
    for f in ctx.facts():
        lang = language_of(f.lang, f.text_lang)
        for form, purpose in form_purposes(f):
            if purpose == "feedback":
                channels.add("form")
                ev.append(Evidence(url=f.url, selector=form.selector, snippet=form.context[:120]))
                pages.append(f.url)
        for lk in live_links(ctx, f):
            for name in services_in(lk.url or lk.target or ""):
                channels.add(name)
                ev.append(Evidence(url=f.url, selector=lk.selector, snippet=lk.text))
                pages.append(f.url)
            if len(lk.text) <= 80 and feedback_words(lk.text, lang):
                pages.append(lk.url if lk.url and ctx.depth(lk.url) is not None else f.url)
                host = urlsplit(lk.url or "").hostname or ""
                if "github.com" in host and "/issues" in (lk.url or ""):
                    channels.add("issue-tracker")
                elif lk.scheme == "mailto":
                    channels.add("email")
                else:
                    channels.add("link")
                ev.append(Evidence(url=f.url, selector=lk.selector, snippet=lk.text))
            elif lk.url and "github.com" in lk.url and "/issues" in lk.url:
                channels.add("issue-tracker")
                ev.append(Evidence(url=f.url, selector=lk.selector, snippet=lk.text))
                pages.append(f.url)
        srcs = " ".join((*f.scripts, *f.iframes)).lower()
        if any(s in srcs for s in COMMENT_SCRIPTS):
            channels.add("comments")
            ev.append(Evidence(url=f.url, snippet="comment widget"))
            pages.append(f.url)
        if any(t in ("Review", "AggregateRating") for t in f.schema_types):
            channels.add("reviews")
            ev.append(Evidence(url=f.url, snippet="schema.org Review"))
            pages.append(f.url)
    return sorted(channels), ev, pages


class FeedbackChannel(Probe):
    id = "feedback.channel"
    touchpoint = "feedback"
    title = "Customers can give feedback"
    failure_title = "There is no way to give feedback"
    description = """
Customers who can tell you what went wrong come back; those who cannot tell everybody else.
Found: a feedback form or survey, a link to give feedback / report an issue / rate or review
/ complain, in the languages of Europe and the Americas ("Bewertung abgeben", "Laisser un
avis", "Libro de reclamaciones", "Livro de Reclamações", "Wystaw opinię"...; a single word
counts on pages in its language or English, and a word that means something else in running
text, such as "avis" or "issues", only as the link's whole text), an issue
tracker such as GitHub issues, a review or complaints platform (Trustpilot, Google reviews,
Yelp, Tripadvisor, G2, Trusted Shops, ProvenExpert, livroreclamacoes.pt, Reclame Aqui, ...),
comment widgets, schema.org reviews. Fact `page`: the nearest page where a customer gives
feedback on the site (a feedback form's page, the page a feedback link leads to, else the
page with the link), where the feedback journey ends.
Score: a channel 1.0, none 0.4.
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        channels, ev, pages = feedback_channels(ctx)
        issues = []
        if not channels:
            issues.append(issue("no-feedback-channel", "No way to give feedback",
                                f"No feedback form, survey, review link or issue tracker was found ({ctx.not_found_reason()}).",
                                severity="info", evidence=[Evidence(url=ctx.site.start_url)]))
        # The nearest page where a customer gives feedback: the journeys' "feedback" step.
        depths = sorted((d, u) for u in set(pages) if (d := ctx.depth(u)) is not None)
        page = depths[0][1] if depths else None
        return outcome(1.0 if channels else 0.4, issues, {"channels": channels, "page": page})


@hookimpl
def cxprobe_add_touchpoints(register: Callable[[Touchpoint], None]) -> None:
    register(TOUCHPOINT)


@hookimpl
def cxprobe_add_probes(register: Callable[[Probe], None]) -> None:
    register(FeedbackChannel())
