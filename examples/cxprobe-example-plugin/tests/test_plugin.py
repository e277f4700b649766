"""Tests of the example plugin: installed, and its probe judged on hand-built facts."""

from __future__ import annotations

from importlib.metadata import entry_points

from cxprobe_example_plugin.alt_text import AltText, ImageFacts

from cxprobe import AuditConfig, Context, Page, PageFacts, Site
from cxprobe.testing import page_facts, plugin_manager

Image = ImageFacts

ORIGIN = "https://shop.example"


def site_with(*pages: tuple[str, tuple[Image, ...]]) -> Site:
    """A Site artifact made by hand: (path, images) per page, all one click from home."""
    built = []
    for i, (path, images) in enumerate(pages):
        url = ORIGIN + path
        built.append(Page(url=url, status=200, depth=0 if i == 0 else 1, final_url=url,
                          content_type="text/html", facts=PageFacts(url=url, title=path, extracted={"accessibility_images": images}),
                          found_via="start" if i == 0 else "link"))
    return Site(start_url=ORIGIN + pages[0][0], origin=ORIGIN, pages=tuple(built),
                depths={p.url: p.depth for p in built})


def check(site: Site):  # noqa: ANN201
    return AltText().check(Context(site=site, config=AuditConfig()))


def test_plugin_is_installed() -> None:
    eps = [ep for ep in entry_points(group="cxprobe") if ep.name == "alt_text"]
    assert eps and eps[0].value == "cxprobe_example_plugin.alt_text"
    assert eps[0].dist is not None and eps[0].dist.name == "cxprobe-example-plugin"
    # and cxprobe loads it: the probe is registered under the plugin's name
    pm = plugin_manager()
    assert "accessibility.alt_text" in pm.registry().probes
    assert pm.owner("probe", "accessibility.alt_text") == "cxprobe-example-plugin:alt_text"


def test_every_image_with_alt_passes() -> None:
    out = check(site_with(("/", (Image(src="/hero.jpg", alt="A mechanic fixing a bike"), Image(src="/line.svg", alt="")))))
    assert out.score == 1.0 and out.issues == ()
    assert out.facts == {"images": 2, "missing_alt": 0}


def test_missing_alt_is_one_finding_per_image_across_pages() -> None:
    logo = Image(src="/logo.png", alt=None)
    out = check(site_with(("/", (logo, Image(src="/hero.jpg", alt="Hero"))), ("/about", (logo,)),
                          ("/team", (Image(src="/team.jpg", alt=None), Image(src="/t/pixel.gif", alt=None)))))
    # 4 content images (the tracking pixel is ignored), 3 without alt
    assert out.facts == {"images": 4, "missing_alt": 3}
    assert out.score == 0.25
    assert [i.key for i in out.issues] == ["/logo.png", "/team.jpg"]
    assert [e.url for e in out.issues[0].evidence] == [ORIGIN + "/", ORIGIN + "/about"]


def test_the_extractor_reads_decorative_images_and_pixels_from_the_page() -> None:
    f = page_facts('<img src="/a.jpg"><img src="/b.svg" role="presentation"><img src="/c.gif" width="1" height="1">')
    assert f.fact("accessibility_images") == (ImageFacts("/a.jpg", None), ImageFacts("/b.svg", None, decorative=True),
                                             ImageFacts("/c.gif", None, pixel=True))


def test_no_images_is_not_applicable() -> None:
    out = check(site_with(("/", ())))
    assert out.score is None and out.not_applicable
