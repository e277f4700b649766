// Finds the mobile menu toggle, marks it with data-cxprobe-toggle (so that the Python
// side taps exactly that element), and snapshots what is visible before the tap.
// Returns null without a visible toggle. Uses the helpers of helpers.js (CX).
() => {
  // Class and id words; an id may be camelCase ("mobileMenuButton"), an icon font's menu
  // glyph (ri-menu-line, fa-bars, bi-list) marks the element a script listens on.
  const STRONG = /(navbar-?toggler|navbar-?toggle|menu-?toggle|nav-?toggle|toggle-?menu|toggle-?nav|hamburger|burger|menu-?btn|menu-?button|menu-?icon|menu-?trigger|mobile-?menu-?(?:button|toggle|btn|open)|offcanvas-?toggle|sidebar-?toggle|\b(?:ri|fa|fas|bi|ti|la|ion|icon)-(?:menu|bars|list|navicon)\b)/i;
  const WORDS = /(\bmenu\b|\bnavigation\b|\bnav\b|\btoggle\b|\bmen[uü]\b|☰|≡|\bbars\b)/i;
  const CLICKABLE = 'button, [role=button], a, label[for], [onclick], [aria-controls], [aria-expanded], [data-toggle], [data-bs-toggle]';
  const wanted = new Set(document.querySelectorAll(CLICKABLE));
  for (const el of document.querySelectorAll('[class], [id]')) {
    if (STRONG.test((typeof el.className === 'string' ? el.className : '') + ' ' + el.id)) wanted.add(el);
  }
  const candidates = [];
  for (const el of wanted) {
    if (!CX.visible(el)) continue;
    // Never a form submit, never a link that goes to another page.
    if (el.closest('form') && (el.matches('input[type=submit], input[type=image]') ||
        (el.tagName === 'BUTTON' && (el.getAttribute('type') || 'submit').toLowerCase() === 'submit'))) continue;
    if (el.tagName === 'A') {
      const href = (el.getAttribute('href') || '').trim();
      if (href && !href.startsWith('#') && !/^javascript:/i.test(href)) continue;
    }
    const cls = (typeof el.className === 'string' ? el.className : '') + ' ' + el.id;
    const words = [el.getAttribute('aria-label'), el.getAttribute('title'), el.innerText, cls].join(' ');
    const strong = STRONG.test(cls);
    const aria = el.hasAttribute('aria-controls') || el.hasAttribute('aria-expanded');
    const word = WORDS.test(words);
    if (!strong && !(aria && word) && !(word && el.matches('button, [role=button], label[for], a'))) continue;
    if (aria && !word && !strong) continue;
    const r = el.getBoundingClientRect();
    let score = (strong ? 3 : 0) + (aria ? 2 : 0) + (word ? 2 : 0) + (el.closest('header, nav, [role=navigation]') ? 1 : 0)
      + (r.top + window.scrollY < 200 ? 1 : 0) + (el.matches('button, [role=button]') ? 1 : 0);
    candidates.push({el, score});
  }
  // Nested matches (a span.navbar-toggler-icon inside the button): keep the outer one.
  const top = candidates.filter(c => !candidates.some(o => o !== c && o.el.contains(c.el)));
  if (!top.length) return null;
  top.sort((a, b) => b.score - a.score);
  const toggle = top[0].el;
  document.querySelectorAll('[data-cxprobe-toggle]').forEach(e => e.removeAttribute('data-cxprobe-toggle'));
  toggle.setAttribute('data-cxprobe-toggle', '1');
  let controlled = null;
  const ids = (toggle.getAttribute('aria-controls') || '').split(/\s+/).filter(Boolean);
  for (const id of ids) { controlled = document.getElementById(id); if (controlled) break; }
  if (!controlled) {
    const target = toggle.getAttribute('data-bs-target') || toggle.getAttribute('data-target')
      || (toggle.tagName === 'A' && (toggle.getAttribute('href') || '').length > 1 ? toggle.getAttribute('href') : null);
    if (target) { try { controlled = document.querySelector(target); } catch (e) { controlled = null; } }
  }
  if (!controlled && toggle.tagName === 'LABEL') controlled = document.getElementById(toggle.htmlFor);
  window.__cxprobeMenu = {
    before: new Set([...document.querySelectorAll('a[href]')].filter(CX.visible)),
    controlled, controlledVisible: controlled ? CX.visible(controlled) : null,
    expanded: toggle.getAttribute('aria-expanded'), url: location.href.split('#')[0], anims: CX.anims(),
  };
  return {selector: CX.selector(toggle), label: CX.label(toggle).slice(0, 80), box: CX.docBox(toggle.getBoundingClientRect())};
}
