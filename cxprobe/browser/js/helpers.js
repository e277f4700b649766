// Shared helpers: in scope of every page function (collect.js, find_toggle.js,
// menu_after.js, click_before.js, click_after.js, journey_links.js); cxprobe/browser/scripts.py puts them there.
const CX = {};
CX.visible = (el) => {
  if (!el || !el.isConnected) return false;
  if (el.checkVisibility && !el.checkVisibility({opacityProperty: true, visibilityProperty: true,
                                                  checkOpacity: true, checkVisibilityCSS: true})) return false;
  const r = el.getBoundingClientRect();
  return r.width > 1 && r.height > 1;
};
// Transitions and animations running now (a snapshot for CX.started).
CX.anims = () => new Set(document.getAnimations ? document.getAnimations() : []);
// Has a transition or an animation started since the snapshot `before` (outside the
// elements in `noise`, the page's own motion) that may show something? One that only
// changes colours or shadows (a link's hover colour fading) shows nothing new.
CX.started = (before, noise) => {
  if (!before || !document.getAnimations) return true;
  noise = noise || [];
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
};
CX.norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
CX.label = (el) => CX.norm(el.innerText || el.textContent || '') || CX.norm(el.getAttribute('aria-label'))
  || CX.norm(el.getAttribute('title')) || CX.norm(el.value || '')
  || CX.norm((el.querySelector && el.querySelector('img[alt]') || {}).alt || '');
CX.selector = (el) => {
  const parts = [];
  let cur = el;
  for (let i = 0; cur && cur.nodeType === 1 && i < 4; i++) {
    let part = cur.tagName.toLowerCase();
    if (cur.id && /^[A-Za-z][\w-]*$/.test(cur.id)) { parts.unshift(part + '#' + cur.id); break; }
    const cls = [...cur.classList].filter(c => /^[A-Za-z_][\w-]*$/.test(c)).slice(0, 2);
    if (cls.length) part += '.' + cls.join('.');
    const parent = cur.parentElement;
    if (parent) {
      const same = [...parent.children].filter(c => c.tagName === cur.tagName);
      if (same.length > 1) part += ':nth-of-type(' + (same.indexOf(cur) + 1) + ')';
    }
    parts.unshift(part);
    if (cur.tagName === 'BODY') break;
    cur = parent;
  }
  return parts.join(' > ');
};
CX.docBox = (r) => ({x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height});
