"""Accessibility touchpoint: "Can every customer read the page, whatever they see with?"

One probe, ``accessibility.alt_text``: images carry an ``alt`` attribute. Its facts come
from an extractor of its own, ``accessibility_images``, which reads each page's images once
(with what the generic document does not say: whether an image is marked decorative,
whether it is a 1x1 tracking pixel); the probe reads ``f.fact("accessibility_images")``,
so it needs no browser and is tested on hand-built facts. The module also shows the
setting, configure and report hooks: with ``--alt-text-log FILE`` every finished run
appends one JSON line to FILE.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cxprobe import (
    Context,
    Document,
    Evidence,
    Extractor,
    Outcome,
    Probe,
    Setting,
    Touchpoint,
    hookimpl,
    issue,
    outcome,
)

TOUCHPOINT = Touchpoint(
    id="accessibility",
    title="Accessibility",
    question="Can every customer read the page, whatever they see with?",
    weight=1,
    fact_defaults={"images": 0, "missing_alt": 0},
)

#: Images that are not content: tracking pixels and spacers.
_NOT_CONTENT = ("pixel", "spacer", "tracking", "beacon", "/1x1")


@dataclass(frozen=True)
class ImageFacts:
    """One ``<img>`` as the extractor read it."""

    src: str
    #: The alt attribute, or None when there is none.
    alt: str | None
    #: Marked as decoration for assistive technology (role="presentation"/"none", aria-hidden).
    decorative: bool = False
    #: A 1x1 image (width and height attributes of 1): a tracking pixel, not content.
    pixel: bool = False


class AccessibilityImages(Extractor):
    """``accessibility_images``: every image of a page with what a screen reader does with it."""

    name = "accessibility_images"
    description = "each <img>: src, alt, marked decorative, a 1x1 tracking pixel"

    def extract(self, doc: Document) -> tuple[ImageFacts, ...]:
        out = []
        for img in doc.tags("img"):
            doc.tick()  # a page may hold thousands of images: the loop counts against its budget
            alt = img.get("alt")
            role = str(img.get("role") or "").lower()
            out.append(ImageFacts(
                src=str(img.get("src") or img.get("data-src") or ""),
                alt=None if alt is None else str(alt),
                decorative=role in ("presentation", "none") or str(img.get("aria-hidden") or "").lower() == "true",
                pixel=str(img.get("width")) == "1" and str(img.get("height")) == "1"))
        return tuple(out)


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
skipped. Checked: every `<img>` on the crawled pages (tracking pixels and images marked
decorative with `role="presentation"` or `aria-hidden` ignored); one finding per image,
with the pages it is on. Score = share of images with an `alt` attribute.
Guide: https://www.w3.org/WAI/tutorials/images/
"""
    weight = 1

    def check(self, ctx: Context) -> Outcome:
        seen = 0
        missing: dict[str, list[Evidence]] = {}
        for facts in ctx.facts():
            images: tuple[ImageFacts, ...] = facts.fact(AccessibilityImages.name)
            for image in images:
                src = image.src.strip()
                if not src or image.pixel or image.decorative or any(word in src.lower() for word in _NOT_CONTENT):
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


#: A setting, declared once: the key ``log`` of the config file's ``[alt_text]`` table and
#: the option ``--alt-text-log``.
LOG = Setting(name="alt_text.log", kind="str", default=None, option="--alt-text-log", metavar="FILE",
              section="alt_text", help="Append one JSON line per run with the accessibility score (example plugin).")


@hookimpl
def cxprobe_add_options(add_option: Callable[..., None]) -> None:
    add_option(LOG)


@hookimpl
def cxprobe_configure(config: Any) -> None:
    _settings["log"] = config.option(LOG.name)


@hookimpl
def cxprobe_add_touchpoints(register: Callable[[Touchpoint], None]) -> None:
    register(TOUCHPOINT)


@hookimpl
def cxprobe_add_extractors(register: Callable[[Extractor], None]) -> None:
    register(AccessibilityImages())


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
