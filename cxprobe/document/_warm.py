"""Warm the forkserver for extraction, once, before it forks the workers.

The first page a fresh process reads costs ten times a later one: regular expressions
compiled on first use, textstat's syllable table and pyphen's hyphenation dictionary
loaded, phone-number metadata read (about 0.3 s here). The pool's forkserver imports this
module last: it reads one ordinary page with the extractors of the modules it preloaded,
and every worker it forks starts warm instead of paying that once each.

Only extractors are run, found the way the plugins register them: the
``cxprobe_add_extractors`` function of each module the forkserver has imported. Nothing
learnt here is kept but what the modules cache themselves; any failure is ignored (a
worker then warms itself on its first page), and the page's CPU budget bounds the time.
"""

from __future__ import annotations

import gc
import sys
from typing import Any

SAMPLE = b"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Riverton Bikes | Repairs</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="description" content="Bike repairs."></head>
<body><header><nav><a href="/">Home</a> <a href="/pricing">Pricing</a> <a href="/contact">Contact</a>
<a href="/faq">FAQ</a></nav></header><main><section class="hero"><h1>Bike repairs in Riverton, done in a day</h1>
<p>We fix city, road and family bikes while you work.</p><a class="btn" href="/book">Book a repair</a></section>
<section><h2>How it works</h2><p>Bring your bike in the morning and pick it up in the evening. We check the brakes,
the gears and the wheels, and we call you before we replace any part. Most repairs are done the same day. Our team
has fixed bikes in this town for twelve years, and we answer every question you have.</p></section>
<section class="pricing"><h2>Prices</h2><div class="card"><h3>Basic tune-up</h3><p class="price">$49 per bike</p></div>
<div class="card"><h3>Full service</h3><p class="price">$129 per bike</p></div><p>Parts are extra. No hidden fees.</p></section>
<section id="faq"><h2>Frequently asked questions</h2><h3>How long does a repair take?</h3><p>Most repairs take one day.</p>
<h3>Can I get a refund?</h3><p>Yes, within 30 days.</p></section>
<section class="contact"><h2>Contact</h2><p>Call us: <a href="tel:+15035550142">+1 (503) 555-0142</a> or 503-555-0199</p>
<p>Email: <a href="mailto:hello@riverton-bikes.com">hello@riverton-bikes.com</a></p>
<address>1116 Orchard Street, Riverton, OR 97000</address><p>Open Mon-Fri 8am - 6pm, Sat 9:00-13:00</p>
<form action="/send" method="post"><label for="n">Name</label><input id="n" name="name"><label for="e">Email</label>
<input id="e" type="email" name="email"><textarea name="message"></textarea><button type="submit">Send</button></form>
</section></main><footer><a href="/privacy">Privacy</a> <a href="/terms">Terms</a>
<a href="https://www.facebook.com/rivertonbikes">Facebook</a><p>&copy; 2026 Riverton Bikes LLC</p></footer>
<script type="application/ld+json">{"@type": "LocalBusiness", "name": "Riverton Bikes", "telephone": "+1 503 555 0142"}
</script></body></html>"""


def _extractors() -> list[Any]:
    """The extractors the imported modules register, each after those it requires (the
    audit's own ordering)."""
    from .._registry import Registry, order_extractors

    found: list[Any] = []
    for name in sorted(sys.modules):
        register = getattr(sys.modules[name], "cxprobe_add_extractors", None)
        if callable(register):
            register(found.append)
    registry = Registry(extractors={getattr(ex, "name", str(i)): ex for i, ex in enumerate(found)})
    order_extractors(registry)  # an unmet requirement drops that extractor (a problem noted, unused)
    return list(registry.extractors.values())


def warm_up() -> None:
    """Read :data:`SAMPLE` with the extractors of the modules imported so far, ignoring
    what goes wrong."""
    try:
        from ..document import extract_page

        extract_page("http://warm-up.invalid/", {"content-type": "text/html; charset=utf-8"}, SAMPLE,
                     _extractors(), budget=2.0)
    except Exception:  # noqa: BLE001, S110 - a cold worker only costs time
        pass


warm_up()
# What the forkserver holds now is shared by every worker it forks: out of the collector's
# reach, the workers' collections neither walk it nor copy its pages (see
# _worker.quiet_collector, which each worker runs too).
gc.freeze()
