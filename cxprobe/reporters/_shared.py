"""Small readings of the report that several reporters share.

Reporters read only the report dict (a saved report renders the same), and every key the
CI pieces added (``waived``, ``source``, ``gates``, ``baseline``) is optional: these
helpers answer "nothing" when a key is absent.
"""

from __future__ import annotations

import re
from typing import Any

from ..sanitise import clean_text

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}

#: A touchpoint's status (the report's word) as people read it.
STATUS_WORDS = {"good": "good", "needs_work": "needs work", "poor": "poor", "unscored": "not checked"}
#: A probe's status (the report's word) as people read it.
PROBE_STATUS_WORDS = {"passed": "passed", "failed": "failed", "not_applicable": "does not apply",
                      "error": "could not run"}


def status_words(status: Any) -> str:
    """A touchpoint status in plain words; an unknown one (a newer report) as it is."""
    return STATUS_WORDS.get(str(status), plain(status).replace("_", " "))


def probe_status_words(status: Any) -> str:
    """A probe status in plain words; an unknown one as it is."""
    return PROBE_STATUS_WORDS.get(str(status), plain(status).replace("_", " "))


def plain_count(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and the noun that agrees with it: ``1 page``, ``2 pages``, ``0 pages``
    (``plural`` for nouns that do not just take an s: ``plain_count(2, "person", "people")``)."""
    return f"{n} {singular if n == 1 else (plural if plural is not None else singular + 's')}"


_SURROGATE = re.compile("[\ud800-\udfff]")


def plain(value: Any) -> str:
    """Report text as safe plain text: controls replaced (:func:`clean_text`) and lone
    surrogates dropped (a saved report may hold ``"\\ud800"``, which no UTF-8 file can)."""
    return _SURROGATE.sub("", clean_text("" if value is None else str(value)))


def waiver(finding: dict[str, Any]) -> dict[str, Any] | None:
    """The waiver that accepted ``finding`` ({reason, until}), or None."""
    w = finding.get("waived")
    return w if isinstance(w, dict) else None


def findings_by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["id"]: f for f in report.get("findings") or () if isinstance(f, dict) and "id" in f}


def worst(severities: list[str]) -> str | None:
    """The most severe of ``severities`` (error > warning > info), None when empty."""
    return min(severities, key=lambda s: SEVERITY_RANK.get(s, 9)) if severities else None


def gate_checks(report: dict[str, Any]) -> list[dict[str, Any]]:
    gates = report.get("gates")
    checks = gates.get("checks") if isinstance(gates, dict) else None
    return [c for c in checks or () if isinstance(c, dict)]


def score_text(value: Any) -> str:
    """A 0-100 score for people: one decimal, "—" when unscored."""
    return "—" if not isinstance(value, (int, float)) or isinstance(value, bool) else f"{value:.1f}"
