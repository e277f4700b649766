// Before the dead-link clicks (cxprobe/browser/collect.py, click_dead_links). Two uses:
// - {find: true, skip: [keys], max}: mark the links whose href goes nowhere with
//   data-cxprobe-dead=N (the rules of the static walker: "#", "#!...", empty, a
//   javascript: link that does not set a location, an <a> with words and no href), start
//   watching the page for changes, and return them;
// - {noise: true, after: MS}: after a quiet moment of MS milliseconds (waited here),
//   remember what the page changed on its own;
// - {index: N, scroll: true, settle: MS, quiet: MS, most: MS}: scroll link N into view;
//   when the page moved, wait until its answer to the scroll is over (at least settle
//   milliseconds, then until nothing but its own motion has changed for quiet
//   milliseconds, at most most milliseconds: a back-to-top button fading in takes 400);
//   then as {index: N}, with moved: whether the page scrolled;
// - {index: N}: just before clicking link N, snapshot what is visible and which transitions
//   and animations run, reset the log and return where to click it ({x, y} in the
//   viewport, null when a script must click).
// A wait is made here, in the page, so that one call does what would take several.
// Uses the helpers of helpers.js (CX).
(opts) => {
  const key = (href, text) => href + '\u0000' + text.toLowerCase();
  const textOf = (a) => CX.norm(a.textContent) || CX.norm(a.getAttribute('aria-label')) || CX.norm(a.getAttribute('title'))
    || CX.norm((a.querySelector('img[alt]') || {}).alt || '');
  if (opts.find) {
    const skip = new Set(opts.skip || []);
    const seen = new Set();
    const found = [];
    for (const a of document.querySelectorAll('a')) {
      if (found.length >= opts.max) break;
      const has = a.hasAttribute('href');
      const href = has ? a.getAttribute('href').trim() : '';
      const lower = href.toLowerCase();
      let dead = false;
      if (!has) dead = !!textOf(a);
      else if (href === '' || href === '#' || lower.startsWith('#!')) dead = true;
      else if (lower.startsWith('javascript:')) dead = !/(location(\.href)?|window\.open)\s*(=|\()\s*['"][^'"]+['"]/i.test(href);
      if (!dead) continue;
      const text = textOf(a).slice(0, 200);
      const k = key(has ? a.getAttribute('href') : '', text);
      if (skip.has(k) || seen.has(k)) continue;  // one of each (href, text) per run
      seen.add(k);
      found.push({a, selector: CX.selector(a), href: has ? a.getAttribute('href') : '', text,
                  visible: CX.visible(a), key: k, reloads: has && href === ''});
    }
    // An empty href reloads the page, which ends the clicking there: those go last.
    found.sort((x, y) => x.reloads - y.reloads);
    found.forEach((f, i) => { f.a.setAttribute('data-cxprobe-dead', String(i)); f.index = i; delete f.a; });
    if (!found.length) return found;
    const log = {records: [], prevented: null};
    window.__cxprobeClicks = log;
    // Our own marks are no change of the page.
    new MutationObserver((list) => {
      for (const r of list) {
        if (r.type === 'attributes') {
          if (/^data-cxprobe/.test(r.attributeName || '')) continue;
          // classList.add of a class already there writes the attribute again: no change.
          if (r.target.getAttribute(r.attributeName) === r.oldValue) continue;
        }
        if (log.records.length < 500) log.records.push(r.target);
      }
    }).observe(document, {subtree: true, childList: true, attributes: true, attributeOldValue: true, characterData: true});
    // After every handler of the page (a listener on window, bubbling, added last): did
    // a script take the click over?
    window.addEventListener('click', (e) => {
      /* cxprobe:own (this listener is not the page's: cxprobe/browser/collect.py) */
      log.prevented = e.defaultPrevented;
      // "#" left to the browser jumps to the top of the page: nothing a customer asked
      // for, and the page's answer to that scroll (a sticky header changing) is no answer
      // to the click. Stopped here, after every handler of the page has run.
      const t = e.target && e.target.closest && e.target.closest('a[data-cxprobe-dead]');
      const href = t ? (t.getAttribute('href') || '').trim() : null;
      if (!e.defaultPrevented && (href === '#' || href === '#!')) e.preventDefault();
    }, false);
    return found;
  }
  const later = (ms, then) => new Promise((resolve, reject) => setTimeout(() => {
    try { resolve(then()); } catch (e) { reject(e); }
  }, ms));
  const log = window.__cxprobeClicks;
  if (log && opts.noise) {
    // What changed while nobody clicked is the page's own motion.
    const noise = () => {
      const els = new Set();
      for (const t of log.records) { const el = t.nodeType === 1 ? t : t.parentElement; if (el) els.add(el); }
      log.noise = [...els].slice(0, 200);
      log.records = [];
      return log.noise.length;
    };
    return opts.after ? later(opts.after, noise) : noise();
  }
  const link = () => document.querySelector('[data-cxprobe-dead="' + opts.index + '"]');
  const a = link();
  if (!log || !a) return false;
  if (opts.scroll) {
    // Bring the link into view first; the page's own answer to that scroll (a sticky
    // header, a back-to-top button) settles before the snapshot below.
    const before = window.scrollY;
    if (CX.visible(a)) a.scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});
    const moved = window.scrollY !== before;
    if (opts.settle === undefined) return moved;
    const snap = () => {
      const again = link();
      if (!again) return false;
      const where = snapshot(again);
      where.moved = moved;
      return where;
    };
    if (!moved) return snap();
    const noise = log.noise || [];
    const own = (t) => { const el = t.nodeType === 1 ? t : t.parentElement; return !el || noise.some(n => n === el || n.contains(el)); };
    const t0 = performance.now();
    let last = -Infinity, seen = log.records.length;  // the time of the last change, none yet
    return new Promise((resolve, reject) => {
      const tick = () => {
        try {
          const now = performance.now();
          if (log.records.slice(seen).some(t => !own(t))) last = now;
          seen = log.records.length;
          if ((now - t0 >= opts.settle && now - last >= opts.quiet) || now - t0 >= opts.most) resolve(snap());
          else setTimeout(tick, 20);
        } catch (e) { reject(e); }
      };
      setTimeout(tick, 20);
    });
  }
  return snapshot(a);

  function snapshot(a) {
  log.records = [];
  log.prevented = null;
  log.visible = new Set([...document.querySelectorAll('a[href], button, input, select, textarea, img, iframe, dialog, '
    + '[role=dialog], [role=menu], [role=listbox], ul, ol, form, video')].filter(CX.visible));
  log.expanded = a.getAttribute('aria-expanded');
  // Transitions and animations already running (a calm click that starts one is watched in full).
  log.anims = CX.anims();
  log.url = location.href.split('#')[0];
  // Where a customer's pointer would land: the link's centre, when nothing covers it
  // there (a sticky header over it would take the click instead). Null: click by script.
  log.scroll = [window.scrollX, window.scrollY];
  if (!CX.visible(a)) return {x: null, y: null};
  const r = a.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = document.elementFromPoint(x, y);
  return hit && (hit === a || a.contains(hit)) ? {x, y} : {x: null, y: null};
  }
}
