"""The request guard: every request the browser makes is checked before it leaves.

GET and HEAD only, ``--header`` values to the named origins only, the proxy's secret to
the proxy only: see :class:`RequestGuard`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from .. import urls
from ._tasks import quiet
from .proxy import SubresourceProxy


class RequestGuard:
    """Every request the browser makes passes here before it leaves: GET and HEAD only,
    credentials to the named origins only, the proxy's secret to the proxy only.

    One CDP session on the browser target with ``Fetch.enable`` for every URL pauses
    every request of every context, page, frame (cross-site ones included), popup and
    worker at the network level, where no page script can reach: a form submission,
    ``fetch``, ``XMLHttpRequest``, ``sendBeacon`` or ``<a ping>`` with any method but GET
    or HEAD is refused (``Aborted``: a refused navigation leaves the page where it was)
    and recorded. Unlike Playwright's ``route`` this keeps the HTTP cache on (routing
    switches it off; see docs/performance.md for what each costs).

    ``--header`` values are added to requests for the named origins only, each request
    and each redirect hop judged on its own URL: a first-party link that redirects to
    another host or port arrives there without them. A Cookie header is merged with the
    site's own cookies on those requests, never put in the cookie jar, which would send
    it to every port of the host (and let page scripts read it).

    The subresource proxy asks for credentials (407); the guard answers only that
    proxy's challenge, with the run's secret. A site's own authentication challenge is
    left to the browser's default (headless: no credentials).
    """

    SAFE_METHODS = frozenset({"GET", "HEAD"})
    #: Request kinds (CDP resource types) that can carry another method: navigations and
    #: form submissions, fetch and XMLHttpRequest (from pages, frames and workers),
    #: beacons and pings, CSP reports, and "Other" (every kind the filter has no name
    #: for). The rest (images, style sheets, scripts, fonts, media) are always GET and
    #: are not paused unless credentials must be added: each pause is a round trip
    #: through the driver into Python, about 2 ms of CPU (docs/performance.md).
    MAY_CHANGE_THINGS = ("Document", "XHR", "Fetch", "EventSource", "Ping", "CSPViolationReport", "Other")

    def __init__(self, named: urls.NamedOrigins, headers: Iterable[tuple[str, str]] = (),
                 proxy: SubresourceProxy | None = None) -> None:
        self.named = named
        headers = tuple(headers)
        #: Lower-cased names -> (name, value) of the extra headers, Cookie apart.
        self._extra = {k.lower(): (k, v) for k, v in headers if k.lower() != "cookie"}
        self._cookie = "; ".join(v.strip().strip(";") for k, v in headers if k.lower() == "cookie" and v.strip())
        self._proxy = proxy
        #: (method, url) of every request refused, in order, for the whole run.
        self.refused: list[tuple[str, str]] = []
        self.paused = 0
        self._session: Any = None
        self._tasks: set[asyncio.Future[Any]] = set()
        self._auth_tries: dict[str, int] = {}

    async def start(self, browser: Any) -> RequestGuard:
        self._session = await browser.new_browser_cdp_session()
        self._session.on("Fetch.requestPaused", self._on_paused)
        self._session.on("Fetch.authRequired", self._on_auth)
        every = [{"urlPattern": "*", "requestStage": "Request"}]
        some = [{"urlPattern": "*", "resourceType": t, "requestStage": "Request"} for t in self.MAY_CHANGE_THINGS]
        try:
            await self._session.send("Fetch.enable", {"patterns": every if self._extra or self._cookie else some,
                                                      "handleAuthRequests": True})
        except Exception:
            # A Chromium that does not know one of the kinds: pause everything instead.
            await self._session.send("Fetch.enable", {"patterns": every, "handleAuthRequests": True})
        return self

    def _send(self, method: str, params: dict[str, Any]) -> None:
        # Fire and forget, but keep a reference (a task only weakly held can be
        # collected mid-flight) and swallow errors: a request whose page closed
        # meanwhile cannot be continued, which is no error of the run.
        if self._session is None:
            return
        fut = asyncio.ensure_future(quiet(self._session.send(method, params)))
        self._tasks.add(fut)
        fut.add_done_callback(self._tasks.discard)

    def _on_paused(self, event: dict[str, Any]) -> None:
        self.paused += 1
        request = event.get("request") or {}
        rid = event.get("requestId")
        method = str(request.get("method", "GET")).upper()
        url = str(request.get("url", ""))
        if method not in self.SAFE_METHODS:
            if len(self.refused) < 10_000:
                self.refused.append((method, url))
            self._send("Fetch.failRequest", {"requestId": rid, "errorReason": "Aborted"})
            return
        headers = self._headers_for(url, request.get("headers") or {})
        if headers is None:
            self._send("Fetch.continueRequest", {"requestId": rid})
        else:
            self._send("Fetch.continueRequest", {"requestId": rid, "headers": headers})

    def _headers_for(self, url: str, sent: dict[str, str]) -> list[dict[str, str]] | None:
        """The header list to send instead of ``sent``, or None to send it unchanged."""
        if not (self._extra or self._cookie):
            return None
        if self.named.allows(url):
            out = {k: v for k, v in sent.items() if k.lower() not in self._extra and k.lower() != "cookie"}
            out.update(dict(self._extra.values()))
            # The site's own cookies (what the jar would send) plus the user's.
            jar = next((v for k, v in sent.items() if k.lower() == "cookie"), "")
            cookie = "; ".join(c for c in (jar, self._cookie) if c)
            if cookie:
                out["Cookie"] = cookie
            return [{"name": k, "value": v} for k, v in out.items()]
        # Not named. The browser does not carry an override over a redirect hop (checked
        # by the tests); should a future one do so, the values come off here.
        ours = {(name.lower(), value) for name, value in self._extra.values()}
        kept = {k: v for k, v in sent.items() if (k.lower(), v) not in ours}
        for k, v in list(kept.items()):
            if k.lower() == "cookie" and self._cookie and self._cookie in v:
                rest = v.replace(self._cookie, "").strip("; ")
                if rest:
                    kept[k] = rest
                else:
                    del kept[k]
        if kept == sent:
            return None
        return [{"name": k, "value": v} for k, v in kept.items()]

    def _on_auth(self, event: dict[str, Any]) -> None:
        rid = str(event.get("requestId"))
        challenge = event.get("authChallenge") or {}
        ours = (self._proxy is not None and challenge.get("source") == "Proxy"
                and str(challenge.get("origin", "")).rstrip("/") == self._proxy.server)
        tries = self._auth_tries.get(rid, 0)
        if ours and tries == 0:
            self._auth_tries[rid] = 1
            assert self._proxy is not None
            answer = {"response": "ProvideCredentials", "username": self._proxy.USER, "password": self._proxy.secret}
        else:
            # A site's own challenge, or ours refused once already: no credentials.
            answer = {"response": "CancelAuth"} if ours else {"response": "Default"}
        self._send("Fetch.continueWithAuth", {"requestId": rid, "authChallengeResponse": answer})

    async def close(self) -> None:
        """Stop answering; pending answers (to a browser that is gone) are cancelled."""
        self._session = None
        pending = [t for t in self._tasks if not t.done()]
        for t in pending:
            t.cancel()
        if pending:
            await asyncio.wait(pending, timeout=1)
