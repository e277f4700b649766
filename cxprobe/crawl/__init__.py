"""The crawl: a same-origin breadth-first crawl on async httpx, the ``site`` artifact.

Bounded in every dimension (pages, depth, concurrency, per-request timeout, one absolute
deadline, response size, redirects), on every request it makes: pages, robots.txt and
sitemaps alike. robots.txt is honoured unless told otherwise. Every failure is recorded on
a :class:`~cxprobe.model.Page`, a crawl counter or a note; nothing a site does raises
through the run.

Its parts, in the order a crawl uses them:

- :mod:`.options`: :class:`CrawlOptions`, the bounds and settings of one crawl;
- :mod:`.scope`: which URLs belong to the site and are worth a request;
- :mod:`.fetch`: one URL under every bound (the whole exchange timed, the body capped,
  redirects by hand, ``--header`` values only to named origins, cookies bound to their port);
- :mod:`.robots`: robots.txt (RFC 9309) and the sitemaps that seed the crawl;
- :mod:`.crawler`: :class:`Crawler`, breadth first from the start page, so a page's depth
  is the fewest clicks from it;
- :mod:`.extension`: :class:`SiteExtension`, a finished crawl grown by pages found later
  (links in the rendered DOM), under the same bounds and rules;
- :mod:`.gatherer`: :class:`CrawlGatherer`, the crawl as a run's ``site`` gatherer.
"""

from .crawler import Crawler, ProgressFn, crawl
from .extension import SiteExtension
from .gatherer import CrawlGatherer, crawl_options
from .options import USER_AGENT, CrawlOptions

__all__ = ["USER_AGENT", "CrawlGatherer", "CrawlOptions", "Crawler", "ProgressFn", "SiteExtension", "crawl",
           "crawl_options"]
