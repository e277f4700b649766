// The links of the page, for a journey's next click: each with its absolute href, words,
// selector, region (nav, footer, main) and whether a customer sees it (visible, and within the screen's width: an
// off-canvas menu pushed aside is not seen). With {mark: i}, marks link i with
// data-cxprobe-journey, so that the Python side clicks exactly it, and drops its target,
// so that it opens in this tab. With {reveal: i}, marks the visible menu item that opens
// the submenu hiding link i (data-cxprobe-reveal). Reads the page otherwise; never clicks.
(arg) => {
  const links = [...document.querySelectorAll('a[href], area[href]')];
  if (arg && typeof arg.mark === 'number') {
    for (const el of document.querySelectorAll('[data-cxprobe-journey]')) el.removeAttribute('data-cxprobe-journey');
    const el = links[arg.mark];
    if (!el) return false;
    el.setAttribute('data-cxprobe-journey', '1');
    el.removeAttribute('target');
    return true;
  }
  if (arg && typeof arg.reveal === 'number') {
    // A link hidden in a submenu: the visible item that opens it (hover or click), marked
    // data-cxprobe-reveal. Never a link to another page, never a form's submit button.
    for (const el of document.querySelectorAll('[data-cxprobe-reveal]')) el.removeAttribute('data-cxprobe-reveal');
    const link = links[arg.reveal];
    if (!link) return null;
    let cur = link.parentElement;
    for (let depth = 0; cur && depth < 6 && cur !== document.body; depth++, cur = cur.parentElement) {
      const opener = [...cur.querySelectorAll(':scope > a, :scope > button, :scope > [role=button], :scope > span, :scope > div > a, :scope > div > button')]
        .find(el => el !== link && !el.contains(link) && CX.visible(el));
      if (!opener) continue;
      if (opener.closest('form') && opener.tagName === 'BUTTON' && (opener.getAttribute('type') || 'submit').toLowerCase() === 'submit') return null;
      const href = (opener.getAttribute('href') || '').trim();
      const navigates = opener.tagName === 'A' && href !== '' && !href.startsWith('#') && !/^javascript:/i.test(href);
      opener.setAttribute('data-cxprobe-reveal', '1');
      return {selector: CX.selector(opener), navigates};
    }
    return null;
  }
  const width = window.innerWidth;
  return links.slice(0, 3000).map((el, i) => {
    let seen = CX.visible(el);
    if (seen) {
      const r = el.getBoundingClientRect();
      seen = r.right > 0 && r.left < width;
    }
    const region = el.closest('footer, [role=contentinfo]') ? 'footer'
      : el.closest('nav, header, [role=navigation], [role=banner], [class*=nav], [id*=nav], [class*=menu], [id*=menu], '
                   + '[class*=header], [id*=header]') ? 'nav' : 'main';
    return {i, href: el.href || '', text: CX.label(el).slice(0, 200), selector: CX.selector(el), visible: seen, region};
  });
}
