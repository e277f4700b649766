"""Decoding page bytes: the charset a page declares, when a browser would use it, else UTF-8."""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

from bs4.dammit import EncodingDetector

#: Encodings a browser decodes pages in (those of the WHATWG Encoding Standard, as Python
#: names them), plus ASCII and UTF-32. A declared charset outside this list is ignored: some
#: Python codecs raise on any input ("undefined"), take quadratic time ("punycode"), or
#: are no text encoding at all ("rot13").
_WEB_CHARSETS = frozenset(codecs.lookup(label).name for label in (
    "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "ascii",
    "latin-1", "iso-8859-2", "iso-8859-3", "iso-8859-4", "iso-8859-5", "iso-8859-6", "iso-8859-7", "iso-8859-8",
    "iso-8859-9", "iso-8859-10", "iso-8859-11", "iso-8859-13", "iso-8859-14", "iso-8859-15", "iso-8859-16",
    "cp866", "cp874", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "gbk", "gb2312", "gb18030", "big5", "big5hkscs", "cp950",
    "euc-jp", "iso-2022-jp", "shift_jis", "cp932", "euc-kr", "cp949", "tis-620",
))
_CHARSET_NAME = re.compile(r"[A-Za-z0-9][\w.:-]{0,39}")


def _web_charset(label: str) -> str | None:
    """The declared charset label when it names an encoding a browser knows, else None."""
    label = label.strip()
    if not _CHARSET_NAME.fullmatch(label):
        return None
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    return label if name in _WEB_CHARSETS else None


def decode_html(body: bytes, headers: Mapping[str, str] | None = None) -> tuple[str, str | None]:
    """Decode page bytes: the declared charset (a BOM, the header, then a meta tag), then UTF-8.

    A wrong or hostile declared charset or invalid bytes never raise: a charset name that
    is no encoding a browser knows is ignored, and undecodable bytes are replaced.
    Returns (text, encoding used).
    """
    declared: list[str] = []
    ctype = ""
    if headers:
        ctype = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
    m = re.search(r"charset=[\"']?([\w.:-]+)", ctype, re.I)
    if m:
        declared.append(m.group(1))
    meta = EncodingDetector.find_declared_encoding(body[:4096], is_html=True)
    if meta:
        declared.append(meta)
    if body.startswith(b"\xef\xbb\xbf"):
        declared.insert(0, "utf-8")
    declared = [d for d in (_web_charset(x) for x in declared) if d]
    for enc in declared + ["utf-8"]:
        try:
            return body.decode(enc), enc.lower()
        except (LookupError, ValueError):  # UnicodeDecodeError is a ValueError
            continue
    # Invalid in every declared encoding: keep what decodes, never fail the page.
    enc = declared[0] if declared else "utf-8"
    try:
        return body.decode(enc, errors="replace"), enc.lower()
    except (LookupError, ValueError):
        return body.decode("utf-8", errors="replace"), "utf-8"
