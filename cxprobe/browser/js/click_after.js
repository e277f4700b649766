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

  // A transition or an animation that was not running before the click (and is not in the
  // page's own motion): it may show something later. One that only changes colours or
  // shadows (a link's hover colour fading) shows nothing new.
  function started() {
    const log = window.__cxprobeClicks;
    if (!log || !document.getAnimations) return true;
    const before = log.anims || new Set();
    const noise = log.noise || [];
    const tint = /^(color|background-color|border(-(top|right|bottom|left|block|inline)(-(start|end))?)?-color|outline-color|text-decoration-color|text-emphasis-color|column-rule-color|caret-color|accent-color|box-shadow|text-shadow|fill|stroke)$/;
    const props = (an) => {
      if (an.transitionProperty) return [an.transitionProperty];
      try {
        return an.effect.getKeyframes().flatMap(k => Object.keys(k).filter(p => !['offset', 'easing', 'composite', 'computedOffset'].includes(p)))
          .map(p => p.replace(/[A-Z]/g, c => '-' + c.toLowerCase()));
      } catch (e) { return ['all']; }
    };
    return document.getAnimations().some((an) => {
      if (before.has(an)) return false;
      const t = an.effect && an.effect.target;
      if (t && noise.some(n => n === t || n.contains(t))) return false;
      const changed = props(an);
      return !changed.length || !changed.every(p => tint.test(p));
    });
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
