// Collects every fact of one page in one viewport; returns plain JSON. Read-only:
// nothing here clicks, submits or navigates.
// Argument: {deviceWidth, ctaText, smallPx, seenLinks}. Uses the helpers of helpers.js (CX).
async (opts) => {
  // Two animation frames so the first paint (and its LCP entry) has happened.
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const de = document.documentElement;
  const body = document.body || de;
  const scroller = document.scrollingElement || de;
  const layoutWidth = de.clientWidth || window.innerWidth;
  const vv = window.visualViewport;
  // The first screen in layout px: a page laid out 980 px wide and shrunk shows more of it.
  const vw = vv ? vv.width : window.innerWidth;
  const vh = vv ? vv.height : window.innerHeight;
  const seen = opts.deviceWidth / (layoutWidth || opts.deviceWidth);
  const inFirst = (r) => r.bottom + window.scrollY > 0 && r.top + window.scrollY < vh && r.right > 0 && r.left < vw;

  // ---- text: visible characters and those below 12 px as seen
  const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION', 'TEXTAREA', 'TITLE']);
  const info = new Map();
  let textChars = 0, smallChars = 0;
  const firstText = [];
  let firstLen = 0;
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n.nodeValue;
    if (!t || !/\S/.test(t)) continue;
    const el = n.parentElement;
    if (!el || SKIP.has(el.tagName) || el.closest('svg')) continue;
    let i = info.get(el);
    if (!i) {
      i = {vis: CX.visible(el), px: parseFloat(getComputedStyle(el).fontSize) || 0};
      info.set(el, i);
    }
    if (!i.vis) continue;
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;
    const chars = t.replace(/\s+/g, '').length;
    textChars += chars;
    if (i.px * seen < opts.smallPx) smallChars += chars;
    // Copy to read, not labels to glance at: menu entries, links and buttons are not
    // part of the reading time of the first screen.
    if (firstLen < 4000 && inFirst(r) && !el.closest('nav, [role=navigation], a, button, label, select, [role=button]')) {
      const s = CX.norm(t);
      firstText.push(s);
      firstLen += s.length + 1;
    }
  }

  // ---- tap targets
  const TARGETS = 'a[href], button, input:not([type=hidden]), select, textarea, [role=button], [onclick]';
  const targets = [];
  for (const el of document.querySelectorAll(TARGETS)) {
    if (targets.length >= 1500) break;
    if (el.parentElement && el.parentElement.closest(TARGETS)) continue;  // nested: the outer one is tapped
    if (!CX.visible(el)) continue;
    const r = el.getBoundingClientRect();
    // Off-canvas (an inactive slide parked at left: -1600px) is not something to tap.
    if (r.right + window.scrollX <= 0 || r.left + window.scrollX >= scroller.scrollWidth) continue;
    let inline = false;
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline' && /\S/.test(el.textContent)) {
      // A link inside running text: its block holds words that are not links.
      let block = el.parentElement;
      while (block && block !== body && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
      if (block) {
        const all = CX.norm(block.textContent).length;
        let linked = 0;
        for (const a of block.querySelectorAll(TARGETS)) linked += CX.norm(a.textContent).length;
        inline = all - linked >= 10;
      }
    }
    targets.push({selector: CX.selector(el), text: CX.label(el).slice(0, 80), box: CX.docBox(r), inline});
  }
  // WCAG 2.5.8 spacing: a 24 px circle centred on each undersized target must not
  // intersect another target, nor the circle of another undersized target.
  const R = 12;
  const small = (b) => b.width < 24 || b.height < 24;
  for (const t of targets) {
    const b = t.box;
    const cx = b.x + b.width / 2, cy = b.y + b.height / 2;
    let ok = true;
    for (const o of targets) {
      if (o === t) continue;
      const q = o.box;
      const nx = Math.max(q.x, Math.min(cx, q.x + q.width)), ny = Math.max(q.y, Math.min(cy, q.y + q.height));
      if ((nx - cx) ** 2 + (ny - cy) ** 2 < R * R) { ok = false; break; }
      if (small(q) && small(b)) {
        const ox = q.x + q.width / 2, oy = q.y + q.height / 2;
        if ((ox - cx) ** 2 + (oy - cy) ** 2 < (2 * R) ** 2) { ok = false; break; }
      }
    }
    t.spaced = ok;
  }

  // ---- first viewport: h1, call to action, overlays
  const h1 = [...document.querySelectorAll('h1')].find(CX.visible);
  const isToggle = (el) => el.matches('[aria-expanded], [aria-controls], .navbar-toggler, .navbar-toggle');
  let cta = null, ctaIn = null;
  if (opts.ctaText) {
    const want = CX.norm(opts.ctaText).toLowerCase();
    const all = [...document.querySelectorAll('a, button, [role=button], input[type=submit], input[type=button]')]
      .filter(el => CX.label(el).toLowerCase() === want);
    const vis = all.filter(CX.visible);
    if (vis.length) { cta = vis[0]; ctaIn = inFirst(cta.getBoundingClientRect()); }
    else if (all.length) { cta = all[0]; ctaIn = false; }
  }
  if (!cta) {
    const buttonLike = (el) => {
      if (el.closest('nav') || isToggle(el) || !CX.label(el)) return false;
      if (el.tagName !== 'A') return true;
      if (/\b(btn|button|cta)\b/i.test(el.className || '')) return true;
      const cs = getComputedStyle(el);
      const bg = cs.backgroundColor;
      return bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg) && parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom) >= 8;
    };
    for (const el of document.querySelectorAll('a[href], button, [role=button], input[type=submit], input[type=button]')) {
      if (!CX.visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (!inFirst(r)) continue;
      if (buttonLike(el)) { cta = el; ctaIn = true; break; }
    }
  }
  // Overlays: sample the first screen on a grid; what lies on top at each point, if it
  // is (inside) a fixed or sticky layer, covers that point.
  const cover = new Map();
  const COLS = 8, ROWS = 10;
  for (let i = 0; i < COLS; i++) {
    for (let j = 0; j < ROWS; j++) {
      let el = document.elementFromPoint((i + 0.5) * vw / COLS, (j + 0.5) * vh / ROWS);
      let layer = null;
      for (; el && el !== body && el !== de; el = el.parentElement) {
        const cs = getComputedStyle(el);
        if (cs.position === 'fixed' || cs.position === 'sticky') {
          const z = parseInt(cs.zIndex, 10);
          if ((z >= 10 || el.matches('dialog, [role=dialog], [aria-modal=true]')) && parseFloat(cs.opacity) > 0.05) layer = el;
        }
      }
      if (layer) cover.set(layer, (cover.get(layer) || 0) + 1);
    }
  }
  let overlay = null, overlayCount = 0;
  for (const [el, c] of cover) if (c > overlayCount) { overlay = el; overlayCount = c; }

  // ---- overflow: the element to fix, the outermost visible one reaching past the right
  // edge (the one reaching furthest); one inside a box that clips or scrolls sideways
  // makes no page scroll and is skipped.
  let overflowEl = null, overflowRight = 0;
  const edge = scroller.clientWidth + 4;
  if (scroller.scrollWidth > edge) {
    const sticksOut = (el) => el.getBoundingClientRect().right + window.scrollX > edge;
    const clipped = (el) => {
      for (let a = el.parentElement; a && a !== body && a !== de; a = a.parentElement) {
        if (/(hidden|clip|auto|scroll)/.test(getComputedStyle(a).overflowX)) return true;
      }
      return false;
    };
    let n = 0;
    for (const el of body.querySelectorAll('*')) {
      if (++n > 5000) break;
      if (SKIP.has(el.tagName)) continue;
      const r = el.getBoundingClientRect();
      const right = r.right + window.scrollX;
      if (right <= edge || right <= overflowRight || r.width <= 1 || r.height <= 1) continue;
      if (el.parentElement && el.parentElement !== body && sticksOut(el.parentElement)) continue;
      if (!CX.visible(el) || clipped(el)) continue;
      overflowEl = el;
      overflowRight = right;
    }
  }
  const boxOf = (el) => {
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 ? CX.docBox(r) : null;
  };

  // ---- paint timings: buffered observers (getEntriesByType can lag behind on desktop)
  const paint = await new Promise((resolve) => {
    const got = {fcp: null, lcp: null};
    let timer = null;
    try {
      const po = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.entryType === 'paint' && e.name === 'first-contentful-paint') got.fcp = e.startTime;
          if (e.entryType === 'largest-contentful-paint') got.lcp = e.startTime;
        }
        if (got.fcp !== null && got.lcp !== null) { clearTimeout(timer); po.disconnect(); resolve(got); }
      });
      po.observe({type: 'paint', buffered: true});
      po.observe({type: 'largest-contentful-paint', buffered: true});
      timer = setTimeout(() => { po.disconnect(); resolve(got); }, 100);
    } catch (e) { resolve(got); }
  });

  // Navigation a phone user sees without tapping anything: visible links in header/nav.
  const navLinks = [];
  for (const a of document.querySelectorAll('header a[href], nav a[href], [role=navigation] a[href]')) {
    if (!/^https?:/i.test(a.href) || !CX.visible(a)) continue;
    navLinks.push([CX.label(a).slice(0, 80), a.href]);
    if (navLinks.length >= 100) break;
  }

  const links = [];
  const inDom = new Set();
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    const u = a.href;
    if (!/^https?:/i.test(u) || inDom.has(u)) continue;
    inDom.add(u);
    links.push(u);
    if (links.length >= 2000) break;
  }

  // With {seenLinks: true} (the start page at phone size, where the journeys' phone walks
  // begin): the links a customer sees as the page loads, by the walks' own rule
  // (journey_links.js: visible, and within the screen's width; its first 3000 links).
  let seenLinks = null;
  if (opts.seenLinks) {
    const seen = new Set();
    const width = window.innerWidth;
    for (const a of [...document.querySelectorAll('a[href], area[href]')].slice(0, 3000)) {
      const u = a.href;
      if (!/^https?:/i.test(u) || seen.has(u) || !CX.visible(a)) continue;
      const r = a.getBoundingClientRect();
      if (r.right > 0 && r.left < width) seen.add(u);
    }
    seenLinks = [...seen];
  }

  // Subresources that answered with an HTTP error (resource timing, Chromium 109+).
  const httpErrors = performance.getEntriesByType('resource')
    .filter(e => e.responseStatus >= 400).map(e => [e.name, e.responseStatus]).slice(0, 200);

  return {
    httpErrors,
    scrollWidth: scroller.scrollWidth, clientWidth: scroller.clientWidth, layoutWidth,
    textChars, smallChars, targets,
    h1InViewport: h1 ? inFirst(h1.getBoundingClientRect()) : null, h1Text: h1 ? CX.norm(h1.innerText).slice(0, 200) : '',
    ctaInViewport: ctaIn, ctaText: cta ? CX.label(cta).slice(0, 120) : '',
    overlayShare: overlayCount / (COLS * ROWS), overlaySelector: overlay ? CX.selector(overlay) : '',
    h1Box: boxOf(h1), ctaBox: boxOf(cta), overlayBox: boxOf(overlay),
    overflowSelector: overflowEl ? CX.selector(overflowEl) : '', overflowBox: boxOf(overflowEl),
    firstViewportText: firstText.join(' ').slice(0, 4000),
    fcp: paint.fcp, lcp: paint.lcp, links, navLinks, seenLinks,
  };
}
