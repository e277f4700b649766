"""The objects plugins register: touchpoints, probes, gatherers and reporters.

A probe is a small class with metadata and one pure method, :meth:`Probe.check`, over
the artifacts it declared in ``requires``. It sees nothing else: no network, no HTML.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Concatenate, ParamSpec, TypeVar

from .model import (
    NOT_BROKEN_ERRORS,
    Cause,
    Evidence,
    Issue,
    Link,
    Outcome,
    Page,
    PageFacts,
    Rendering,
    Site,
)

if TYPE_CHECKING:
    from .config import AuditConfig
    from .document import Document

@dataclass(frozen=True)
class Touchpoint:
    """A customer question, scored 0-100 from its probes.

    ``weights`` maps a profile name to the touchpoint's weight in the cohesion score;
    ``weight`` is the default for profiles not listed.
    """

    #: Lower-case id ("contact"): the first part of its probes' ids.
    id: str
    #: Its name for people ("Contact").
    title: str
    #: The customer's question it answers ("How do I reach a human?").
    question: str
    #: Its weight in the cohesion score for profiles ``weights`` does not list.
    weight: float = 1.0
    #: Profile -> its weight in the cohesion score.
    weights: dict[str, float] = field(default_factory=dict)
    #: Facts the report always carries for this touchpoint, with their defaults.
    fact_defaults: dict[str, Any] = field(default_factory=dict)

    def weight_for(self, profile: str) -> float:
        """Its weight in the cohesion score under ``profile``."""
        return self.weights.get(profile, self.weight)


class Probe:
    """Base class of every probe. Subclass, fill in the metadata, implement :meth:`check`."""

    #: Unique id, dotted by touchpoint: "contact.depth".
    id: ClassVar[str] = ""
    #: The touchpoint this probe scores.
    touchpoint: ClassVar[str] = ""
    #: Present tense, what a passing site does: "Contact page is one click from home".
    title: ClassVar[str] = ""
    #: Present tense, what a failing site does: "Contact page is hard to find".
    failure_title: ClassVar[str] = ""
    #: Why it matters for the customer, and how to fix it (Markdown).
    description: ClassVar[str] = ""
    #: Weight inside its touchpoint.
    weight: ClassVar[float] = 1.0
    #: Artifacts it reads: "site" (static crawl), "rendering" (browser) and/or "journeys"
    #: (the journeys walked, :attr:`Context.journeys`).
    requires: ClassVar[tuple[str, ...]] = ("site",)
    #: Profile -> weight override inside the touchpoint (0 switches it off for a profile).
    profile_weights: ClassVar[dict[str, float]] = {}

    def check(self, ctx: Context) -> Outcome:  # pragma: no cover - abstract
        """Judge the artifacts in ``ctx`` and return an :class:`Outcome`."""
        raise NotImplementedError

    def warm(self, site: Site) -> None:
        """Load ahead of :meth:`check` what it reads once per process and can tell from
        the crawled ``site`` alone (a dictionary of the pages' languages, a model).

        Browser mode calls it once a run, on a thread of its own, while the pages render
        (the run only waits on the browser then); :meth:`check` is not called before it
        returns (or before the plugin time budget has passed). What it raises is ignored:
        :meth:`check` meets it again. Default: nothing.
        """

    def weight_for(self, profile: str) -> float:
        """Its weight inside its touchpoint under ``profile``."""
        return self.profile_weights.get(profile, self.weight)

    def __repr__(self) -> str:
        return f"<Probe {self.id}>"


class Extractor:
    """Reads one page's parsed document and returns facts under its own namespace.

    Every registered extractor runs on every page the crawl reads, over the same parsed
    tree (parsed once). What it returns is kept as ``PageFacts.fact(name)`` for probes to
    read, and the tree is dropped: return facts (scalars, strings, tuples, dicts and
    frozen dataclasses of those: JSON, and picklable for a process pool), never elements.
    An extractor that raises on a page is recorded for that page, and a probe that needs
    its facts there becomes an ``error`` result naming the extractor's plugin.
    """

    #: Namespace of its facts ("contact", "prices", "myplugin"): unique across plugins.
    name: ClassVar[str] = ""
    #: Namespaces of other extractors it reads with ``doc.fact(...)``: they run first.
    requires: ClassVar[tuple[str, ...]] = ()
    #: One line saying what its facts are (``cxprobe plugins``, the reference docs).
    description: ClassVar[str] = ""

    def extract(self, doc: Document) -> Any:  # pragma: no cover - abstract
        """Read ``doc`` (a :class:`cxprobe.Document`) and return this page's facts."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<Extractor {self.name}>"


class Gatherer:
    """Collects one artifact for probes, e.g. ``site`` (the crawl) or ``rendering``."""

    #: Name of the artifact it produces.
    artifact: ClassVar[str] = ""
    #: Artifacts it needs first.
    requires: ClassVar[tuple[str, ...]] = ()

    def applies(self, session: Any) -> bool:
        """False when the gatherer should not run in this session (e.g. static mode).

        ``session`` has ``config``, ``mode`` ("static" or "browser"), ``target`` and
        ``artifacts`` gathered so far.
        """
        return True

    def gather(self, session: Any) -> Any:  # pragma: no cover - abstract
        """Return the artifact. ``session`` gives config, target and earlier artifacts."""
        raise NotImplementedError


class Reporter:
    """Writes a finished report in one format."""

    #: Format name for ``--format``.
    name: ClassVar[str] = ""
    #: File extension when written to a folder.
    extension: ClassVar[str] = ".txt"
    #: One line saying what the format is for (``cxprobe plugins``, ``--help``).
    description: ClassVar[str] = ""

    def render(self, report: dict[str, Any], config: AuditConfig) -> str:  # pragma: no cover
        """Return the report as text."""
        raise NotImplementedError


T = TypeVar("T")
P = ParamSpec("P")


#: :meth:`Context.facts`'s key in :attr:`Context._shared` (no helper function is this object).
_JUDGED_FACTS = object()


@dataclass(frozen=True)
class Context:
    """What a probe sees: the artifacts it declared and the run's configuration."""

    #: The crawl: pages, link graph, depths.
    site: Site
    #: The run's configuration (read it; a plugin's settings: ``config.option("ns.key")``).
    config: AuditConfig
    #: Browser mode's artifact, for a probe that requires "rendering"; else None.
    rendering: Rendering | None = None
    #: "static" or "browser".
    mode: str = "static"
    #: The journeys walked (:class:`cxprobe.journeys.Journey`), for a probe that requires
    #: "journeys" (such probes run after every other probe); else None.
    journeys: tuple[Any, ...] | None = None
    #: Values computed once a run and shared by every probe (see :meth:`shared`).
    _shared: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def shared(self, fn: Callable[..., T], *args: Hashable) -> T:
        """``fn(self, *args)``, computed once a run and shared by every probe that asks.

        For a reading of the whole site that several probes need (where the contact page
        is, which policies exist): each probe calls the helper, and only the first pays
        for it. ``args`` must be hashable; the value must not be changed by a caller.
        The :func:`per_run` decorator wraps a helper so that every call goes through here.
        """
        key = (fn, args)
        try:
            return self._shared[key]  # type: ignore[no-any-return]
        except KeyError:
            pass
        value = fn(self, *args)
        self._shared[key] = value
        return value

    # ----------------------------------------------------------------- conveniences
    @property
    def pages(self) -> tuple[Page, ...]:
        """Judged pages (2xx HTML reached by links), in URL order."""
        return self.site.ok_pages

    def facts(self) -> Iterator[PageFacts]:
        """The facts of every judged page, in URL order."""
        try:
            judged: tuple[PageFacts, ...] = self._shared[_JUDGED_FACTS]
        except KeyError:  # listed once a run: every probe walks them, some several times
            judged = self._shared[_JUDGED_FACTS] = tuple(p.facts for p in self.pages if p.facts is not None)
        return iter(judged)

    @property
    def start(self) -> PageFacts | None:
        """The start page's facts, None when it is not a page (an error, a redirect away)."""
        sp = self.site.page(self.site.start_url)
        return sp.facts if sp is not None and sp.ok else None

    def depth(self, url: str | None) -> int | None:
        """Clicks from the start page to ``url``, None when no link reaches it."""
        return self.site.depth(url)

    @property
    def profile(self) -> str:
        """The run's profile ("general", "saas", ...)."""
        return self.config.profile

    def status_of(self, url: str) -> int | None:
        """HTTP status of an internal URL if it was fetched (None when not fetched)."""
        p = self.site.page(url)
        return None if p is None else p.status

    def is_broken(self, url: str) -> bool:
        """True when the URL was fetched and is not a page (4xx/5xx, loop, timeout)."""
        # The URLs it says yes to, made at the first call: probes ask it of every link.
        broken: frozenset[str] | None = self._shared.get(_broken_page)
        if broken is None:
            urls = {p.url for p in self.site.pages}
            broken = self._shared[_broken_page] = frozenset(u for u in urls if _broken_page(self.site.page(u)))
        return url in broken

    # ----------------------------------------------------------------- root causes
    def link_cause(self, link: Link) -> Cause | None:
        """The root cause of a link that fails the customer, or None for a working link.

        A link to a page that answers with an error shares its cause with every other
        link to that page (:meth:`page_cause`: the missing page is the thing to fix); a
        link that goes nowhere (``#``, empty, ``javascript:void(0)``) shares it with the
        other dead links of the same words (:meth:`dead_link_cause`). Probes that report
        the same link through this method are grouped under one headline in the report.
        """
        if link.url and self.is_broken(link.url):
            return self.page_cause(link.url, via=link.text)
        if link.dead:
            return self.dead_link_cause(link.text)
        return None

    def page_cause(self, url: str, via: str = "") -> Cause | None:
        """The root cause "this page answers with an error" for an internal URL the crawl
        fetched (None when it is not broken). ``via``: the words of the link that leads
        there, for the headline."""
        url = url.split("#", 1)[0]
        page = self.site.page(url)
        if page is None or not self.is_broken(url):
            return None
        path = _origin_free(url, self.site.origin)
        what = "a missing page" if page.status in (404, 410) else (
            f"an error page (HTTP {page.status})" if page.status else "a page that does not answer")
        words = " ".join(via.split())
        title = (f"The link {words!r} leads to {what} ({path})" if words and len(words) <= 60
                 else f"Links to {path} lead to {what}")
        return Cause(key=f"missing-page:{path}", title=title)

    @staticmethod
    def dead_link_cause(text: str) -> Cause | None:
        """The root cause "the link with these words goes nowhere" (None for a link without
        words: icons without a label cannot be told apart)."""
        words = " ".join(text.split())
        if not words:
            return None
        return Cause(key=f"dead-link:{words.lower()[:80]}", title=f"The link {words[:80]!r} goes nowhere")

    def not_found_reason(self) -> str:
        """'not found within the crawl' when the crawl was truncated, else 'absent'."""
        return "not found within the crawl" if self.site.truncated else "not found on the site"


def _broken_page(p: Page | None) -> bool:
    return p is not None and not p.ok and p.error not in NOT_BROKEN_ERRORS


def per_run(fn: Callable[Concatenate[Context, P], T]) -> Callable[Concatenate[Context, P], T]:
    """Decorate a helper ``fn(ctx, *args)`` so that it is computed once a run (per
    :class:`Context` and arguments) however many probes call it. The arguments after
    ``ctx`` must be hashable, and callers must not change what it returns."""

    @functools.wraps(fn)
    def wrapper(ctx: Context, *args: P.args, **kwargs: P.kwargs) -> T:
        if kwargs:
            raise TypeError(f"{fn.__name__}: a per_run helper takes positional arguments only")
        return ctx.shared(fn, *args)  # type: ignore[arg-type]

    return wrapper


def issue(kind: str, title: str, message: str, *, severity: str = "warning", key: str = "",
          evidence: Iterable[Evidence] = (), cause: Cause | None = None) -> Issue:
    """Build an :class:`Issue` (a finding before deduplication); ``cause`` names its root
    cause when other probes may report the same thing (:class:`~cxprobe.model.Cause`)."""
    return Issue(kind=kind, title=title, message=message, severity=severity, key=key,
                 evidence=tuple(evidence), cause=cause)


def _origin_free(url: str, origin: str) -> str:
    """``url`` without the site's origin ("/contact.html"), other hosts' URLs whole."""
    if origin and url.startswith(origin):
        return url[len(origin):] or "/"
    return url


_ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_-]*)*$")


def validate_probe(probe: Probe, touchpoints: Iterable[str]) -> list[str]:
    """Problems with a registered probe's metadata, as sentences (empty when fine)."""
    problems = []
    if not isinstance(probe, Probe):
        return [f"{probe!r} is not a cxprobe.Probe instance"]
    if not probe.id or not _ID_RE.match(probe.id):
        problems.append(f"id {probe.id!r} must be lower-case and dotted, like 'contact.depth'")
    if probe.touchpoint not in set(touchpoints):
        problems.append(f"touchpoint {probe.touchpoint!r} is not registered")
    if not probe.title or not probe.failure_title:
        problems.append("title and failure_title are required")
    if not probe.description:
        problems.append("description is required")
    if probe.weight < 0:
        problems.append("weight must be >= 0")
    for r in probe.requires:
        if r not in ("site", "rendering", "journeys"):
            problems.append(f"requires {r!r}: known artifacts are 'site', 'rendering' and 'journeys'")
    if type(probe).check is Probe.check:
        problems.append("check() is not implemented")
    return problems


def outcome(score: float | None, issues: Iterable[Issue] = (), facts: dict[str, Any] | None = None) -> Outcome:
    """Build an :class:`Outcome` with the score clamped into 0..1."""
    if score is not None:
        score = max(0.0, min(1.0, float(score)))
    return Outcome(score=score, issues=tuple(issues), facts=facts or {})
