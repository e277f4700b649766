"""Accessibility touchpoint: "Can every customer read the page, whatever they see with?"

What a plugin can add, in one module:

- an **extractor**, ``accessibility_images``, which reads each page's images once (with what
  the generic document does not say: whether an image is marked decorative, whether it is
  a 1x1 tracking pixel);
- a **new touchpoint**, ``accessibility``, and its probe ``accessibility.alt_text``
  (images carry an ``alt`` attribute), which reads ``f.fact("accessibility_images")``;
- a probe on an **existing, built-in touchpoint**: ``clarity.logo_name`` (the logo link
  names the company) joins the ``clarity`` touchpoint, reading only the generic document
  (``PageFacts.links``);
- the setting, configure and report hooks: with ``--alt-text-log FILE`` every finished run
  appends one JSON line to FILE.

The probes need no browser and are tested on hand-built facts and on real HTML.
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


class LogoName(Probe):
    """The logo link names the company: a probe added to the built-in ``clarity`` touchpoint."""

    id = "clarity.logo_name"
    touchpoint = "clarity"  # a built-in touchpoint: this probe is scored with its probes
    title = "The logo link names the company"
    failure_title = "The logo link has no name"
    description = """
The logo in the header is how most visitors learn whose site they are on, and the link
back to the home page. A logo image without alternative text leaves the link without a
name: a screen reader announces "link" (or the file name), so a blind customer never hears
who the company is. Give the logo image an `alt` with the company's name
(`<a href="/"><img src="logo.svg" alt="Acme"></a>`), or the link an `aria-label`.
Checked: the first logo or home link of each crawled page (a link whose classes or
surroundings say logo or brand); score = share of pages whose logo link has a name.
Not applicable when no page has a logo link.
"""
    weight = 0.5

    def check(self, ctx: Context) -> Outcome:
        logos = []
        for facts in ctx.facts():
            # Link.reads_as_home(): logo/brand classes on or around the link, or "Home" words.
            link = next((lk for lk in facts.links if lk.reads_as_home()), None)
            if link is not None:
                logos.append((facts.url, link))
        if not logos:
            return Outcome.na("no logo link on the crawled pages", {"logo_links": 0, "nameless": 0})
        nameless: dict[str, list[Evidence]] = {}
        for url, link in logos:
            if not link.text.strip():
                nameless.setdefault(link.selector, []).append(
                    Evidence(url=url, selector=link.selector, snippet=f'<a href="{link.href}">'))
        issues = [issue("nameless-logo", "The logo link has no name",
                        "The logo link has no text, no alt text on its image and no aria-label: give the logo "
                        "image an alt with the company's name.", key=selector, evidence=ev)
                  for selector, ev in sorted(nameless.items())]
        count = sum(len(ev) for ev in nameless.values())
        return outcome(1 - count / len(logos), issues, {"logo_links": len(logos), "nameless": count})


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
    register(LogoName())


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
