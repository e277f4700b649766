"""Accessibility touchpoint: "Can every customer read the page, whatever they see with?"

One probe, ``accessibility.alt_text``: images carry an ``alt`` attribute. It reads only
:class:`cxprobe.PageFacts` (``images``), so it needs no browser and is tested on
hand-built facts. The module also shows the option, configure and report hooks: with
``--alt-text-log FILE`` every finished run appends one JSON line to FILE.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from cxprobe import Context, Evidence, Outcome, Probe, Touchpoint, hookimpl, issue, outcome

TOUCHPOINT = Touchpoint(
    id="accessibility",
    title="Accessibility",
    question="Can every customer read the page, whatever they see with?",
    weight=1,
    fact_defaults={"images": 0, "missing_alt": 0},
)

#: Images that are not content: tracking pixels and spacers.
_NOT_CONTENT = ("pixel", "spacer", "tracking", "beacon", "/1x1")


class AltText(Probe):
    """Images carry an ``alt`` attribute (empty for decoration, words for content)."""

    id = "accessibility.alt_text"
    touchpoint = "accessibility"
    title = "Images have alternative text"
    failure_title = "Images have no alternative text"
    description = """
A screen reader announces an image without an `alt` attribute by its file name
("IMG_2041 dot jpeg"), and a customer on a slow connection sees an empty box. Give every
content image an `alt` that says what it shows, and decorative images `alt=""` so they are
skipped. Checked: every `<img>` on the crawled pages (tracking pixels ignored); one finding
per image, with the pages it is on. Score = share of images with an `alt` attribute.
Guide: https://www.w3.org/WAI/tutorials/images/
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        seen = 0
        missing: dict[str, list[Evidence]] = {}
        for facts in ctx.facts():
            for image in facts.images:
                src = image.src.strip()
                if not src or any(word in src.lower() for word in _NOT_CONTENT):
                    continue
                seen += 1
                if image.alt is None:
                    missing.setdefault(src, []).append(Evidence(url=facts.url, selector="img",
                                                                snippet=f'<img src="{src}">'))
        if seen == 0:
            return Outcome.na("no images on the crawled pages", {"images": 0, "missing_alt": 0})
        missing_count = sum(len(ev) for ev in missing.values())
        issues = [issue("missing-alt", "Image has no alternative text",
                        f"{src} has no alt attribute: add alt text that says what it shows, or alt=\"\" if it is decoration.",
                        severity="warning", key=src, evidence=ev)
                  for src, ev in sorted(missing.items())]
        return outcome(1 - missing_count / seen, issues, {"images": seen, "missing_alt": missing_count})


# --------------------------------------------------------------------------- hooks

_settings: dict[str, Any] = {}


@hookimpl
def cxprobe_add_options(add_option: Callable[..., None]) -> None:
    add_option("--alt-text-log", default=None, metavar="FILE",
               help="Append one JSON line per run with the accessibility score (example plugin).")


@hookimpl
def cxprobe_configure(config: Any) -> None:
    _settings["log"] = config.plugin_options.get("alt_text_log")


@hookimpl
def cxprobe_add_touchpoints(register: Callable[[Touchpoint], None]) -> None:
    register(TOUCHPOINT)


@hookimpl
def cxprobe_add_probes(register: Callable[[Probe], None]) -> None:
    register(AltText())


@hookimpl
def cxprobe_report_ready(report: dict[str, Any]) -> None:
    path = _settings.get("log")
    if not path:
        return
    tp = report["touchpoints"].get("accessibility", {})
    line = {"target": report["target"], "started_at": report["started_at"], "score": tp.get("score"),
            "missing_alt": tp.get("facts", {}).get("missing_alt")}
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(line) + "\n")
