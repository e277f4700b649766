"""Forms as elements: each ``<form>`` (and each form-like group of inputs around a textarea)
with its fields, labels, action, method, region and the words around it. What a form is
for (contact, booking, newsletter...) is an extractor's judgement, not the document's."""

from __future__ import annotations

import re
from typing import Any

from bs4 import Tag

from ..model import Form, FormField
from .clock import Clock
from .tree import MAX_FORM_FIELDS, _has_text, _Selectors, _TagIndex, _text_prefix, norm

_CONTACT_INPUT_TYPE = re.compile(r"^(email|tel)$", re.I)
_CONTACT_INPUT_NAME = re.compile(r"mail|phone", re.I)


def read_forms(root: Tag, walker_region: dict[int, str], index: _TagIndex, budget: Clock,
           selector: _Selectors) -> list[Form]:
    forms: list[Form] = []
    seen_controls: set[int] = set()

    def fields_of(container: Tag) -> list[FormField]:
        out: list[FormField] = []
        labels: dict[str, Tag] | None = None  # for= -> the first such label, read once
        for c in container.find_all(["input", "textarea", "select"]):
            budget.tick()
            seen_controls.add(id(c))
            typ = str(c.get("type") or ("textarea" if c.name == "textarea" else "select" if c.name == "select" else "text")).lower()
            if typ in ("hidden", "submit", "button", "reset", "image") or len(out) >= MAX_FORM_FIELDS:
                continue  # every control is still seen: it belongs to this form
            label = ""
            cid = c.get("id")
            if isinstance(cid, str) and cid:
                if labels is None:
                    labels = {}
                    for candidate in container.find_all("label"):
                        target = candidate.get("for")
                        if isinstance(target, str):
                            labels.setdefault(target, candidate)
                found = labels.get(cid)
                if found is not None:
                    label = _text_prefix(found, 80, budget)
            if not label:
                for attr in ("placeholder", "aria-label", "title"):
                    v = c.get(attr)
                    if isinstance(v, str) and v.strip():
                        label = norm(v)
                        break
            out.append(FormField(tag=c.name, type=typ, name=str(c.get("name") or c.get("id") or ""),
                                 label=label[:80], required=c.has_attr("required")))
        return out

    def context_of(container: Tag) -> str:
        bits = []
        heading = index.heading_before(container)
        if heading is not None:
            bits.append(_text_prefix(heading, 80, budget))
        for b in container.find_all(["button", "input"]):
            budget.tick()
            if b.name == "button" or str(b.get("type", "")).lower() == "submit":
                # The button's words, or its value when it has no text at all.
                bits.append(_text_prefix(b, 40, budget) if _has_text(b, budget) else norm(str(b.get("value") or ""))[:40])
        for attr in ("id", "name", "class", "action", "aria-label"):
            v = container.get(attr)
            if v:
                bits.append(" ".join(v) if isinstance(v, list) else str(v))
        return " | ".join(b for b in bits if b)

    def region_of(tag: Tag) -> str:
        node: Any = tag
        while node is not None:
            r = walker_region.get(id(node))
            if r:
                return r
            node = node.parent
        return "main"

    for f in root.find_all("form"):
        budget.check()
        flds = fields_of(f)
        ctx = context_of(f)
        forms.append(Form(action=str(f.get("action") or ""), method=str(f.get("method") or "get").lower(),
                          fields=tuple(flds), region=region_of(f), selector=selector(f), context=ctx[:200],
                          role=str(f.get("role") or "").lower()))
    # Form-like groups of inputs without a <form>: a textarea and its nearest container
    # that also holds an email or phone input. Every element holding such an input is
    # marked once, so the search up from each textarea costs no tree walk.
    holds_contact_input: set[int] = set()
    for inp in index.get("input"):
        if not (_CONTACT_INPUT_TYPE.search(str(inp.get("type") or "")) if inp.has_attr("type") else False) and \
           not (_CONTACT_INPUT_NAME.search(str(inp.get("name"))) if inp.has_attr("name") else False):
            continue
        node: Any = inp.parent
        while isinstance(node, Tag) and id(node) not in holds_contact_input:
            budget.tick()
            holds_contact_input.add(id(node))
            node = node.parent
    for ta in root.find_all("textarea"):
        budget.check()
        if id(ta) in seen_controls:
            continue
        container = ta.parent
        for _ in range(6):
            if not isinstance(container, Tag):
                break
            if id(container) in holds_contact_input:
                break
            container = container.parent
        if not isinstance(container, Tag):
            continue
        flds = fields_of(container)
        ctx = context_of(container)
        forms.append(Form(action="", method="", fields=tuple(flds), region=region_of(container),
                          selector=selector(container), context=ctx[:200]))
    return forms
