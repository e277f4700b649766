"""The core plugin: registers the crawl and render gatherers and the built-in reporters.

Registered first, under the name ``cxprobe.core``, through the same hooks any plugin
implements. The gatherers live with their layers (:mod:`cxprobe.crawl`,
:mod:`cxprobe.browser`). Probes are not here: they live in ``cxprobe_plugins`` (the
``plugins/`` folder) and load through the ``cxprobe`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable

from . import hookimpl
from .probe import Gatherer, Reporter


# The layers are imported when a run needs them, not when the plugin loads: `cxprobe
# --help` loads every plugin and must not pay for httpx, bs4 or Playwright.
@hookimpl
def cxprobe_add_gatherers(register: Callable[[Gatherer], None]) -> None:
    from .browser.gatherer import RenderGatherer
    from .crawl.gatherer import CrawlGatherer

    register(CrawlGatherer())
    register(RenderGatherer())


@hookimpl
def cxprobe_add_reporters(register: Callable[[Reporter], None]) -> None:
    from .reporters.html import HtmlReporter
    from .reporters.json import JsonReporter
    from .reporters.junit import JunitReporter
    from .reporters.markdown import MarkdownReporter
    from .reporters.sarif import SarifReporter
    from .reporters.terminal import TerminalReporter

    register(TerminalReporter())
    register(JsonReporter())
    register(HtmlReporter())
    register(JunitReporter())
    register(SarifReporter())
    register(MarkdownReporter())
