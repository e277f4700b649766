"""What a journey is: its steps, its gates, the default journeys and the ``[[journey]]`` tables.

A journey is the road a customer takes from the start page, as steps:

- a touchpoint id (``"contact"``, ``"pricing"``, ``"home"``): the page that touchpoint
  found, reached by the fewest clicks from where the customer is;
- ``{link = "Start free trial"}``: click the link with these words on the page the
  customer is on (exact, case and white space aside; ``*`` and ``?`` make it a pattern);
- ``{url = "/signup*"}``: the nearest page whose path (or whole URL) matches the glob.

With no ``[[journey]]`` configured, the default journeys are walked (:data:`DEFAULTS`).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError

#: Levels a journey's gates may have.
LEVELS = ("error", "warn")


@dataclass(frozen=True)
class Step:
    """One step of a journey."""

    #: "touchpoint", "link" or "url".
    kind: str
    #: The touchpoint id, the link's words (or pattern), or the URL glob.
    value: str

    @property
    def label(self) -> str:
        """How the step reads in a report: ``contact``, ``link "Start free trial"``, ``url /signup*``."""
        if self.kind == "touchpoint":
            return self.value
        return f'link "{self.value}"' if self.kind == "link" else f"url {self.value}"

    def matches_text(self, text: str) -> bool:
        """For a link step: True when a link's words are these (or match the pattern)."""
        words = " ".join(text.split()).casefold()
        want = " ".join(self.value.split()).casefold()
        if any(c in want for c in "*?["):
            return fnmatch.fnmatchcase(words, want)
        return words == want


@dataclass(frozen=True)
class JourneySpec:
    """A journey to walk: its name, steps and gates."""

    #: Its name ("contact", "buy"): the key of ``journeys`` entries and gate checks.
    name: str
    #: Its steps after the start page.
    steps: tuple[Step, ...]
    #: What the customer wants, for people ("Reach a human").
    title: str = ""
    #: Gate: the best route takes at most this many clicks.
    max_clicks: int | None = None
    #: Gate: the journey must be reached.
    must_reach: bool = False
    #: The gates' level: "error" (a failure exits 1) or "warn".
    level: str = "error"
    #: True for a default journey (walked when none is configured, or named in the config).
    default: bool = False

    @property
    def gated(self) -> bool:
        """True when the journey has a gate (max_clicks or must_reach)."""
        return self.max_clicks is not None or self.must_reach


#: Step ids that name a page: the start page, or the page a touchpoint found (its facts).
#: id -> (touchpoint, facts read in order: the first that names a page wins).
PAGE_STEPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "home": ("", ()),
    "start": ("", ()),
    "discover": ("", ()),
    "contact": ("contact", ("page",)),
    "pricing": ("pricing", ("page",)),
    "support": ("support", ("help_page", "faq_page")),
    "help": ("support", ("help_page", "faq_page")),
    "faq": ("support", ("faq_page", "help_page")),
    "policies": ("policies", ("terms", "privacy", "refund", "cancellation", "shipping")),
    "terms": ("policies", ("terms",)),
    "privacy": ("policies", ("privacy",)),
    "refund": ("policies", ("refund",)),
    "feedback": ("feedback", ("page",)),
}

#: The default journeys: what almost every customer does, in the order they do it.
DEFAULTS: tuple[JourneySpec, ...] = (
    JourneySpec("discover", (Step("touchpoint", "home"),), "Discover what the business does", default=True),
    JourneySpec("pricing", (Step("touchpoint", "pricing"),), "Evaluate: find the prices", default=True),
    JourneySpec("contact", (Step("touchpoint", "contact"),), "Reach a human", default=True),
    JourneySpec("support", (Step("touchpoint", "support"),), "Get help", default=True),
    JourneySpec("policies", (Step("touchpoint", "policies"),), "Check the terms", default=True),
    JourneySpec("feedback", (Step("touchpoint", "feedback"),), "Give feedback", default=True),
)
DEFAULT_NAMES = {j.name: j for j in DEFAULTS}

#: Link words that say where a default journey's step goes: what the customer looks for
#: when the touchpoint found no page (a dead or broken link with these words is where
#: the journey broke).
STEP_WORDS: dict[str, re.Pattern[str]] = {
    "contact": re.compile(r"contact|kontakt|contatt|contacto|contato|get in touch|reach us|write to us|"
                          r"nous joindre|impressum", re.I),
    "pricing": re.compile(r"pric|prices|preis|tarif|plans\b|cennik|preços|precios|prezzi|kosten|rates\b", re.I),
    "support": re.compile(r"support|help|hilfe|aide|ayuda|ajuda|aiuto|pomoc|\bfaq|questions", re.I),
    "policies": re.compile(r"terms|conditions|privacy|policy|agb|datenschutz|confidentialit|cgv|"
                           r"mentions l[ée]gales|privacidad|privacidade|regulamin|prywatno", re.I),
    "feedback": re.compile(r"feedback|review|bewert|avis|opini|reclama|complain|rate us", re.I),
}
STEP_WORDS["help"] = STEP_WORDS["faq"] = STEP_WORDS["support"]
STEP_WORDS["terms"] = STEP_WORDS["privacy"] = STEP_WORDS["refund"] = STEP_WORDS["policies"]


def _step(raw: Any, label: str) -> Step:
    if isinstance(raw, str):
        if raw not in PAGE_STEPS:
            raise ConfigError(f"{label}: no step {raw!r}; a step is one of {', '.join(sorted(PAGE_STEPS))}, "
                              "{ link = \"words\" } or { url = \"/glob*\" }")
        return Step("touchpoint", raw)
    if isinstance(raw, dict):
        if len(raw) != 1 or next(iter(raw)) not in ("link", "url"):
            raise ConfigError(f"{label} must be {{ link = \"words\" }} or {{ url = \"/glob*\" }}, not {raw!r}")
        kind, value = next(iter(raw.items()))
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{label}.{kind} must be a non-empty string")
        return Step(kind, value.strip())
    raise ConfigError(f"{label} must be a step id (\"contact\") or a table ({{ link = \"...\" }}, {{ url = \"...\" }})")


def read_journeys(value: Any, where: str) -> tuple[JourneySpec, ...]:
    """The ``[[journey]]`` tables (``[[tool.cxprobe.journey]]`` in pyproject.toml).

    Each has a ``name`` and ``steps`` (a default journey's name without steps is that
    default journey, with the gates given), and optionally ``max_clicks``, ``must_reach``,
    ``level`` (error or warn) and ``title``. Anything else is a config error.
    """
    out: list[JourneySpec] = []
    seen: set[str] = set()
    for i, entry in enumerate(value, 1):
        label = f"{where}: journey #{i}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{label} must be a table ([[journey]] with name and steps)")
        unknown = sorted(set(entry) - {"name", "steps", "max_clicks", "must_reach", "level", "title"})
        if unknown:
            raise ConfigError(f"{label}: unknown key(s) {', '.join(unknown)}; known: level, max_clicks, must_reach, "
                              "name, steps, title")
        name = entry.get("name")
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", name):
            raise ConfigError(f"{label}.name must be a short name (letters, digits, _ . -), not {name!r}")
        label = f"{where}: journey {name!r}"
        if name in seen:
            raise ConfigError(f"{label} is configured twice")
        seen.add(name)
        raw_steps = entry.get("steps")
        default = DEFAULT_NAMES.get(name)
        if raw_steps is None:
            if default is None:
                raise ConfigError(f"{label} has no steps; give steps = [\"home\", \"contact\"] (only a default "
                                  f"journey, {', '.join(DEFAULT_NAMES)}, may leave them out)")
            steps = default.steps
        else:
            if not isinstance(raw_steps, list) or not raw_steps:
                raise ConfigError(f"{label}.steps must be a non-empty list")
            steps = tuple(_step(s, f"{label}.steps[{k}]") for k, s in enumerate(raw_steps))
        max_clicks = entry.get("max_clicks")
        if max_clicks is not None and (isinstance(max_clicks, bool) or not isinstance(max_clicks, int) or max_clicks < 0):
            raise ConfigError(f"{label}.max_clicks must be a whole number of clicks >= 0, not {max_clicks!r}")
        must_reach = entry.get("must_reach", False)
        if not isinstance(must_reach, bool):
            raise ConfigError(f"{label}.must_reach must be true or false, not {must_reach!r}")
        level = entry.get("level", "error")
        if level not in LEVELS:
            raise ConfigError(f"{label}.level must be error or warn, not {level!r}")
        title = entry.get("title", default.title if default and raw_steps is None else "")
        if not isinstance(title, str):
            raise ConfigError(f"{label}.title must be a string")
        out.append(JourneySpec(name=name, steps=steps, title=title or name, max_clicks=max_clicks,
                               must_reach=must_reach, level=level, default=default is not None and raw_steps is None))
    return tuple(out)
