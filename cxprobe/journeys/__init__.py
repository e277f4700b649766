"""Journeys: the customer's road between touchpoints, walked as a customer walks it.

:mod:`.spec` says what a journey is (steps, gates, the default journeys, the
``[[journey]]`` tables); :mod:`.walk` walks journeys over the static crawl, route by
route (imported on its own: it needs the crawl's modules); :mod:`.model` holds what walking found. Browser mode clicks through them too
(:mod:`cxprobe.browser.journeys`). The runner walks journeys after the touchpoints have
found their pages, and the journey touchpoint's ``journey.journeys`` probe judges them.
"""

from __future__ import annotations

from .model import BROWSER_ROUTES, REASONS, ROUTES, STATIC_ROUTES, Break, Hop, Journey, Route
from .spec import DEFAULTS, PAGE_STEPS, JourneySpec, Step, read_journeys

__all__ = ["BROWSER_ROUTES", "DEFAULTS", "PAGE_STEPS", "REASONS", "ROUTES", "STATIC_ROUTES", "Break", "Hop", "Journey",
           "JourneySpec", "Route", "Step", "read_journeys"]
