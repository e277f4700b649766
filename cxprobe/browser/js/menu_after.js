// After the tap on the toggle find_toggle.js marked: which links became visible, did
// aria-expanded flip, is the controlled element visible now, did a transition or an
// animation start. Uses helpers.js (CX).
() => {
  const m = window.__cxprobeMenu;
  if (!m) return null;
  const toggle = document.querySelector('[data-cxprobe-toggle]');
  const links = [];
  for (const a of document.querySelectorAll('a[href]')) {
    if (m.before.has(a) || !CX.visible(a)) continue;
    links.push([CX.label(a).slice(0, 80), a.href]);
    if (links.length >= 100) break;
  }
  return {
    links,
    expandedAfter: toggle ? toggle.getAttribute('aria-expanded') : null,
    expandedBefore: m.expanded,
    controlledBefore: m.controlledVisible,
    controlledAfter: m.controlled ? CX.visible(m.controlled) : null,
    navigated: location.href.split('#')[0] !== m.url,
    // A transition or an animation the tap started (a menu sliding open after a delay).
    started: CX.started(m.anims, []),
  };
}
