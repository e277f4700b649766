"""Links without a destination that still do something: controls, not dead links.

A link written as ``#``, ``#!``, an empty href, ``javascript:`` or without href goes
nowhere, but many such links are controls a customer uses: a dropdown or accordion
toggle, a modal or cookie-settings opener, a gallery tile that opens a lightbox, a
carousel arrow, a back-to-top button, a link a page script handles. A dead link is one a
customer clicks and nothing happens; a control is not one.

:func:`control_of` reads the static signals, in this order (the first that holds names
the control):

==========  ======================================================================
kind        signals
==========  ======================================================================
onclick     an ``onclick`` (or other click handler attribute: ``@click``, ``v-on:click``,
            ``x-on:click``, ``ng-click``, ``hx-get``...) that does more than ``return
            false``; a ``javascript:`` href that calls something (not ``void(0)``)
script     an href a script fills in (``:href``, ``v-bind:href``, ``ng-href``); a
            ``data-`` attribute that holds a destination or an action (``data-url``,
            ``data-href``, ``data-share``, ``data-lang``...); a ``js-`` class; an id, or a
            class or ``data-`` attribute no working link on the page carries, that a page
            script selects while binding events (see :mod:`cxprobe.document.scripts`;
            same-site script files are read by the crawl)
gallery     ``data-lightbox``, ``data-fancybox``, ``data-gallery``...; a lightbox class; a
            link around an image inside a gallery, lightbox, slider or portfolio
popup       ``data-`` modal/popup/dialog/open/close/dismiss/consent attributes; a modal or
            popup class
carousel    ``data-slide``, ``data-bs-slide``...; prev/next/arrow classes of sliders
toggle      ``data-toggle``/``data-bs-toggle`` (not a tooltip), any ``data-`` toggle,
            target, collapse, dropdown or tab attribute; ``aria-haspopup``,
            ``aria-expanded``, ``aria-controls``; ``role="tab"``/``"switch"``; a
            toggle/dropdown/accordion class; a trigger whose sibling or parent item holds
            a submenu list (or a CSS checkbox menu)
top         a back-to-top link (class, words in any of the site languages, an arrow-up
            icon alone); a logo or "Home" link written ``#`` on the start page (the crawl
            decides that one: it knows the start page)
clicked     set by a browser that clicked the link and saw something happen
==========  ======================================================================

``role="button"`` alone is no signal: templates put it on placeholder buttons
(``<a class="btn" href="#" role="button">Learn more</a>``).
"""

from __future__ import annotations

import re

from bs4 import Comment, Tag

from ..model import CONTROL_KINDS, Link

__all__ = ["CONTROL_KINDS", "control_of", "hooks_of", "is_trivial_script", "looks_like_link", "settle_bound"]


_TRIVIAL_JS = re.compile(r"^\s*(?:javascript:)?\s*(?:void\s*\(?\s*0?\s*\)?|return\s+false|undefined|null|"
                         r"(?:e|ev|evt|event)\.preventDefault\(\)|/+|#)?\s*;?\s*(?:return\s+false\s*;?)?\s*$", re.I)
_CLICK_ATTRS = re.compile(r"^(?:on(?:click|mousedown|mouseup|touchstart|touchend|pointerdown|pointerup|keydown|keyup)|"
                          r"@click.*|v-on:click.*|x-on:click.*|ng-click|\(click\)|wire:click.*|hx-(?:get|post)|data-on-click)$")
_SCRIPTED_HREF = frozenset({":href", "v-bind:href", "x-bind:href", "ng-href", "[href]", "th:href"})
_DATA_KIND = (
    (re.compile(r"lightbox|fancybox|gallery|glightbox|featherlight|pswp|photoswipe|venobox|lity|magnific"), "gallery"),
    (re.compile(r"slide|carousel|swiper|(?:^|-)(?:prev|next)(?:-|$)"), "carousel"),
    (re.compile(r"modal|popup|pop-up|dialog|(?:^|-)(?:open|close|dismiss|show|hide)(?:-|$)|consent|cookie"), "popup"),
    (re.compile(r"toggle|target|collapse|dropdown|(?:^|-)tabs?(?:-|$)|(?:^|-)menu(?:-|$)|trigger|action|filter|sort|expand"), "toggle"),
    (re.compile(r"(?:^|-)(?:url|href|link|share|lang|locale|i18n|copy|print|video|play|scroll|src|goto|nav-to)(?:-|$)"), "script"),
)
_CLASS_KIND = (
    (re.compile(r"^(?:back-?to-?top|backtotop|scroll-?(?:to-?)?top|scrollup|scroll-up|to-?top|go-?top|gotop|"
                r"top-?link|btn-?top|return-?to-?top|page-?top|scroll-?top-?btn|js-top)$"), "top"),
    (re.compile(r"^(?:lightbox|glightbox|fancybox|venobox|mfp-\w+|magnific-?popup|image-?popup|popup-?(?:image|gallery|img)|"
                r"gallery-?(?:lightbox|popup|link|item-?link)|lightbox-?\w+)$"), "gallery"),
    (re.compile(r"(?:^|[-_])(?:modal|popup|dialog)(?:[-_]|$)|^(?:video-?(?:btn|play|popup)|play-?(?:btn|button|video)|btn-?play)$"), "popup"),
    (re.compile(r"(?:^|[-_])(?:prev|next|previous)(?:[-_]|$)|^(?:carousel-control[-\w]*|slick-arrow|swiper-button[-\w]*|"
                r"owl-(?:prev|next)|slider-?arrow[-\w]*|arrow-?(?:left|right))$"), "carousel"),
    (re.compile(r"(?:^|[-_])(?:toggle|toggler|dropdown|submenu|sub-menu|accordion|collapse|collapsible|collapsed|"
                r"hamburger|burger|expand|expander|opener|trigger|tab-?link|nav-?tab)(?:[-_]|$)"), "toggle"),
    (re.compile(r"^js-[\w-]+$"), "script"),
)
_SUBMENU_PARENT = re.compile(r"(?:^|[-_])(?:dropdown|has-?dropdown|has-?children|menu-item-has-children|has-?sub-?menu|"
                             r"has-?submenu|submenu|sub-?nav|mega-?menu)(?:[-_]|$)")
_GALLERY_AROUND = re.compile(r"(?:^|[-_])(?:gallery|galleries|galeria|galerie|galleria|lightbox|portfolio|photos?|fotos?|"
                             r"album|carousel|slider|swiper|slick|masonry|lightgallery|isotope)(?:[-_]|$|\d)")
_TOP_WORDS = re.compile(
    r"^(?:↑|⬆|▲|\^|top|to top|back to top|go to top|scroll to top|return to top|page top|nach oben|zurück nach oben|"
    r"seitenanfang|haut|haut de page|retour en haut|vers le haut|arriba|volver arriba|ir arriba|subir|inicio de página|"
    r"torna su|torna in alto|su|topo|voltar ao topo|ir para o topo|naar boven|terug naar boven|do góry|na górę|nahoru|"
    r"zpět nahoru|till toppen|til toppen|ylös|yukarı)$", re.I)
_UP_ICON = re.compile(r"(?:arrow|chevron|angle|caret|double)[-_]?(?:up|top)|(?:up|top)[-_]?(?:arrow|chevron)|\bfa-angle-double-up\b")
_ICONISH = re.compile(r"(?:^|[\s_-])(?:fa|fas|far|fab|bi|icon|ion|material-icons|glyphicon|la|ti|ri|bx)(?:[\s_-]|$)")
_CURRENT = re.compile(r"^(?:current|active|selected|is-active|is-current|disabled|is-disabled|current-?page|"
                      r"current-?menu-?item|here|on)$")


def is_trivial_script(code: str) -> bool:
    """True for handler code that does nothing visible: ``void(0)``, ``return false``, ``;``."""
    return bool(_TRIVIAL_JS.match(code)) or len(code.strip()) == 0


def _classes(tag: Tag) -> list[str]:
    cls = tag.get("class")
    if isinstance(cls, list):
        return [c.lower() for c in cls]
    return str(cls or "").lower().split()


def hooks_of(tag: Tag) -> list[str]:
    """How a script can find the element: ``#id``, ``.class``, ``[data-x]``."""
    out: list[str] = []
    tid = tag.get("id")
    if isinstance(tid, str) and tid.strip():
        out.append("#" + tid.strip())
    out.extend("." + c for c in _classes(tag)[:8])
    out.extend("[" + a.lower() + "]" for a in tag.attrs if a.lower().startswith("data-"))
    return out[:16]


def _first_children(tag: Tag, at_most: int = 60) -> list[object]:
    """The first children of an element: enough to read its shape, bounded on any page."""
    out: list[object] = []
    for node in tag.children:
        out.append(node)
        if len(out) >= at_most:
            break
    return out


def _next_element(tag: Tag) -> Tag | None:
    node = tag.next_sibling
    for _ in range(8):  # white space and comments between elements
        if node is None or isinstance(node, Tag):
            return node
        node = node.next_sibling
    return None


def _holds_submenu(item: Tag, memo: dict[int, bool]) -> bool:
    """A list item (or a dropdown-classed element) that holds a submenu list; read once per element."""
    key = id(item)
    found = memo.get(key)
    if found is None:
        found = any(_SUBMENU_PARENT.search(c) for c in _classes(item)) or (
            item.name == "li" and any(isinstance(c, Tag) and c.name in ("ul", "ol") for c in _first_children(item)))
        memo[key] = found
    return found


def _submenu_trigger(tag: Tag, memo: dict[int, bool]) -> bool:
    """A menu item's trigger whose next sibling, or whose list item, holds a submenu list
    (``<li><a href="#">Rooms</a><ul>...</ul></li>``; a logo next to the main menu is none)."""
    parent = tag.parent
    if not isinstance(parent, Tag):
        return False
    if _holds_submenu(parent, memo):
        return True
    if parent.name != "li":
        return False
    sib = _next_element(tag)
    hops = 0
    while sib is not None and hops < 3:
        if sib.name in ("ul", "ol"):
            return True
        if sib.name == "input" and str(sib.get("type", "")).lower() == "checkbox":
            return True  # the CSS checkbox menu: <a>Rooms</a><input type=checkbox><ul>...
        if sib.name in ("div", "nav") and any(_SUBMENU_PARENT.search(c) or "menu" in c for c in _classes(sib)):
            return True
        if sib.name not in ("label", "span", "i"):
            break
        sib = _next_element(sib)
        hops += 1
    return False


def _inside_gallery(tag: Tag) -> bool:
    node = tag.parent
    for _ in range(4):
        if not isinstance(node, Tag) or node.name in ("body", "html", "[document]"):
            return False
        words = _classes(node)
        tid = node.get("id")
        if isinstance(tid, str):
            words.append(tid.lower())
        if any(_GALLERY_AROUND.search(w) for w in words):
            return True
        node = node.parent
    return False


def control_of(tag: Tag, text: str, hints: str, image: Tag | None, href: str,
               memo: dict[int, bool] | None = None) -> str:
    """Why a link without a destination is a control, or "" when nothing says it is (a dead
    link). ``text`` is its text as read, ``hints`` its class/id words and those around it,
    ``image`` the first image inside it, ``href`` the href as written (stripped); ``memo``
    keeps what was read about the elements around links (one per page)."""
    attrs = {str(k).lower(): v for k, v in tag.attrs.items()}
    for name, value in attrs.items():
        if _CLICK_ATTRS.match(name) and not is_trivial_script(str(value or "")):
            return "onclick"
    if href.lower().startswith("javascript:") and not is_trivial_script(href[11:]):
        return "onclick"
    if any(name in _SCRIPTED_HREF for name in attrs):
        return "script"
    data_kind = ""
    for name, value in attrs.items():
        if not name.startswith("data-"):
            continue
        rest = name[5:]
        if re.match(r"^(?:bs-)?toggle$", rest) and str(value).strip().lower() in ("tooltip", ""):
            continue
        for pattern, kind in _DATA_KIND:
            if pattern.search(rest):
                data_kind = data_kind or kind
                break
    if data_kind:
        return data_kind
    if str(attrs.get("aria-haspopup", "")).lower() not in ("", "false") or "aria-expanded" in attrs or "aria-controls" in attrs:
        return "toggle"
    if str(attrs.get("role", "")).lower() in ("tab", "switch"):
        return "toggle"
    classes = _classes(tag)
    for pattern, kind in _CLASS_KIND:
        if any(pattern.search(c) for c in classes):
            return kind
    label = text.strip().lower()
    if label and _TOP_WORDS.match(label):
        return "top"
    if not label or len(label) <= 2 or _ICONISH.search(hints):
        if _UP_ICON.search(hints) and len(label) <= 20:
            return "top"
    if _submenu_trigger(tag, {} if memo is None else memo):
        return "toggle"
    if image is not None and _inside_gallery(tag):
        return "gallery"
    return ""


def looks_like_link(tag: Tag) -> bool:
    """An <a> without href looks like a link only where the site makes it one: it carries a
    class (not one that marks the current page, "current", "active", or a disabled item), or
    it stands in a list of links (a footer's "<a>Terms</a> <a>Privacy</a>"). Browsers style
    only links with an href, so a bare ``<a>`` inside running text (a credit's second half)
    is text, and a bare one in a menu whose other items link is the current page."""
    classes = _classes(tag)
    if classes:
        return not any(_CURRENT.match(c) for c in classes)
    if tag.has_attr("id") or tag.has_attr("aria-current"):
        return False  # a named anchor, or the current page
    parent = tag.parent
    if not isinstance(parent, Tag):
        return False
    if parent.name == "li":
        items = [*parent.find_previous_siblings("li", limit=12), *parent.find_next_siblings("li", limit=12)]
        return not any(li.find("a", href=True) is not None for li in items)
    for node in _first_children(parent):
        if isinstance(node, Tag):
            if node.name not in ("a", "br", "span", "i"):
                return False
        elif not isinstance(node, Comment) and str(node).strip(" \t\r\n|·•-–—/"):
            return False
    return True


def settle_bound(links: list[Link] | tuple[Link, ...], binds: frozenset[str] | set[str]) -> list[Link]:
    """The links, with each dead one whose hooks a script binds to a click read as a
    "script" control (see :mod:`cxprobe.document.scripts` for what "binds" means)."""
    if not binds:
        return list(links)
    return [lk.as_control("script") if lk.dead and lk.hooks and any(h in binds for h in lk.hooks) else lk
            for lk in links]
