// After the click on the link click_before.js marked with data-cxprobe-dead=N: what
// changed? Returns the effect ("" when nothing happened yet). `noise` holds the changes
// the page made on its own in a quiet moment before (a carousel, a ticker): changes
// there or inside them do not count. With {watch: MS, step: MS}: looked at every step
// milliseconds, in the page, until something happened or MS have passed; with calm: MS
// as well (a page none of whose scripts hears the click), until calm milliseconds have
// passed when the click started no transition or animation. Uses the helpers
// of helpers.js (CX).
(opts) => {
  if (opts.watch) {
    const once = {index: opts.index};
    return new Promise((resolve) => {
      let waited = 0;
      const tick = () => {
        let effect = '';
        try { effect = effectOf(once); } catch (e) { effect = ''; }
        if (effect || waited >= opts.watch) { resolve(effect); return; }
        // A calm page (no script hears the click) shows what the click does at the next
        // style update; unless it started a transition or an animation, that was all.
        if (opts.calm && waited >= opts.calm && !started()) { resolve(''); return; }
        const step = opts.calm && waited < opts.calm ? Math.min(opts.step, opts.calm - waited) : opts.step;
        waited += step;
        setTimeout(tick, step);
      };
      tick();
    });
  }
  return effectOf(opts);

  // A transition or an animation started since the snapshot (not the page's own motion,
  // not colours alone): it may show something later.
  function started() {
    const log = window.__cxprobeClicks;
    return !log || CX.started(log.anims, log.noise);
  }

  function effectOf(opts) {
  const log = window.__cxprobeClicks;
  if (!log) return 'navigation';  // a new document: the click went somewhere
  if (location.href.split('#')[0] !== log.url) return 'navigation';
  const a = document.querySelector('[data-cxprobe-dead="' + opts.index + '"]');
  if (a && a.getAttribute('aria-expanded') !== log.expanded) return 'expanded';
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, img, iframe, dialog, '
    + '[role=dialog], [role=menu], [role=listbox], ul, ol, form, video')) {
    if (!log.visible.has(el) && CX.visible(el) && !(log.noise || []).some(n => n.contains(el))) return 'visible';
  }
  const noise = log.noise || [];
  for (const t of log.records) {
    const el = t.nodeType === 1 ? t : t.parentElement;
    if (!el || !el.isConnected) continue;
    if (noise.some(n => n === el || n.contains(el))) continue;
    return 'dom';
  }
  // A link that scrolled without a script ("#" jumps to the top) did nothing new.
  if (log.prevented && (window.scrollX !== log.scroll[0] || window.scrollY !== log.scroll[1])) return 'scroll';
  return '';
  }
}
