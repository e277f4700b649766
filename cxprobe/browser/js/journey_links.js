// The links of the page, for a journey's next click: each with its absolute href, words,
// selector and whether a customer sees it (visible, and within the screen's width: an
// off-canvas menu pushed aside is not seen). With {mark: i}, marks link i with
// data-cxprobe-journey, so that the Python side clicks exactly it, and drops its target,
// so that it opens in this tab. Reads the page otherwise; never clicks.
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
  const width = window.innerWidth;
  return links.slice(0, 3000).map((el, i) => {
    let seen = CX.visible(el);
    if (seen) {
      const r = el.getBoundingClientRect();
      seen = r.right > 0 && r.left < width;
    }
    return {i, href: el.href || '', text: CX.label(el).slice(0, 200), selector: CX.selector(el), visible: seen};
  });
}
