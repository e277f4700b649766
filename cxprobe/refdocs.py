"""The reference pages of ``docs/reference/``, written from the code itself.

- ``hooks.md``: every hook of :mod:`cxprobe.hookspecs`, headed by its signature as written,
  with its docstring, its flags and its step in the lifecycle (the numbered list of the
  module's docstring);
- ``api.md``: every name of ``cxprobe.__all__``: signature, docstring, fields with their
  types, defaults and ``#:`` comments, methods and properties;
- ``facts.md``: what a probe can read: the generic document (:class:`~cxprobe.PageFacts`
  and what it holds), the crawl, the facts of every built-in extractor namespace (from the
  return type of its ``extract``, followed through the dataclasses it names) and what
  browser mode measures.

A field's meaning is its ``#:`` comment (Sphinx's convention): write one above every
field, and :func:`undocumented` stays empty (a test holds the code to it). Docstrings are
reStructuredText-ish; :func:`markdown` turns the roles and ``:param:`` lists into Markdown.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import html
import importlib
import inspect
import re
import sys
import types
import typing
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------- source reading


@cache
def _module_source(module_name: str) -> tuple[list[str], ast.Module] | None:
    module = sys.modules.get(module_name) or importlib.import_module(module_name)
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return None
    return source.splitlines(), ast.parse(source)


def _comment_above(lines: list[str], lineno: int) -> str:
    """The ``#:`` comment block right above line ``lineno`` (1-based), joined, or ""."""
    out: list[str] = []
    i = lineno - 2
    while i >= 0:
        text = lines[i].strip()
        if text.startswith("#:"):
            out.append(text[2:].strip())
            i -= 1
            continue
        break
    return " ".join(reversed(out)).strip()


def _assigned_names(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.AnnAssign):
        targets: list[ast.expr] = [node.target]
    elif isinstance(node, ast.Assign):
        targets = list(node.targets)
    else:
        return []
    names = []
    for t in targets:
        if isinstance(t, ast.Name):
            names.append(t.id)
        elif isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self":
            names.append(t.attr)
        elif isinstance(t, ast.Tuple):
            names += [e.id for e in t.elts if isinstance(e, ast.Name)]
    return names


def _comments_in(body: Iterable[ast.stmt], lines: list[str]) -> dict[str, str]:
    """name -> ``#:`` comment for the assignments of a class or module body (and, for a
    class, the ``self.x = ...`` assignments of its ``__init__``)."""
    out: dict[str, str] = {}
    for node in body:
        if isinstance(node, (ast.Try, ast.If)):  # an ``if TYPE_CHECKING:`` block declares names too
            out.update({k: v for k, v in _comments_in(node.body, lines).items() if k not in out})
            continue
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            out.update({k: v for k, v in _comments_in(node.body, lines).items() if k not in out})
            continue
        for name in _assigned_names(node):
            comment = _comment_above(lines, node.lineno)
            if comment:
                out[name] = comment
    return out


@cache
def attribute_comments(cls: type) -> dict[str, str]:
    """name -> ``#:`` comment of every attribute of ``cls`` and its bases (nearest wins)."""
    out: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if klass is object:
            continue
        src = _module_source(klass.__module__)
        if src is None:
            continue
        lines, tree = src
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name == klass.__name__:
                out.update(_comments_in(node.body, lines))
                break
    return out


@cache
def module_comments(module_name: str) -> dict[str, str]:
    """name -> ``#:`` comment of a module's top-level assignments."""
    src = _module_source(module_name)
    if src is None:
        return {}
    lines, tree = src
    return _comments_in(tree.body, lines)


# --------------------------------------------------------------------------- docstrings

#: Where a name is documented: name -> Markdown link target relative to docs/reference/.
Links = dict[str, str]

_ROLE = re.compile(r":(?:class|func|meth|attr|data|mod|exc|obj):`(~?)([^`]+)`")
_PARAM = re.compile(r"^:(param|returns?|raises?|type|rtype)\s*([^:]*):\s?(.*)$")


def _role(match: re.Match[str], links: Links) -> str:
    target = match.group(2).strip()
    short = target.split(".")[-1] if match.group(1) else target
    short = short.removeprefix("cxprobe.").removeprefix("cxprobe_plugins.")
    last = target.split(".")[-1].rstrip("()")
    href = links.get(target) or links.get(last)
    if href and "." in short and target.split(".")[0] == "cxprobe" and last in links:
        short = last  # cxprobe.config.AuditConfig is cxprobe.AuditConfig to a plugin
    return f"[`{short}`]({href})" if href else f"`{short}`"


def _escape_html(text: str) -> str:
    """``<`` and ``>`` outside code spans as entities: site markup in prose is text, not HTML."""
    parts = re.split(r"(`+[^`]*`+)", text)
    return "".join(p if p.startswith("`") else p.replace("<", "&lt;").replace(">", "&gt;") for p in parts)


def _inline(text: str, links: Links) -> str:
    text = _ROLE.sub(lambda m: _role(m, links), text.replace("``", "`"))
    return _escape_html(text)


def markdown(doc: str | None, links: Links | None = None) -> str:
    """A docstring (reST-ish) as Markdown: roles become code (linked when documented),
    ``:param x:`` lists a bullet list, a ``::`` literal block a fenced block."""
    if not doc:
        return ""
    links = links or {}
    lines = inspect.cleandoc(doc).splitlines()
    out: list[str] = []
    i = 0
    in_field = False
    while i < len(lines):
        line = lines[i]
        m = _PARAM.match(line.strip()) if not line.startswith(" ") else None
        if m:
            kind, name, rest = m.groups()
            label = {"param": f"`{name.strip()}`", "returns": "returns", "return": "returns",
                     "raises": f"raises `{name.strip()}`", "raise": f"raises `{name.strip()}`"}.get(kind, kind)
            if not in_field and out and out[-1]:
                out.append("")
            out.append(f"- {label}: {_inline(rest, links)}")
            in_field = True
            i += 1
            continue
        if in_field and line.startswith(" ") and line.strip():
            out[-1] += " " + _inline(line.strip(), links)
            i += 1
            continue
        in_field = False
        if line.rstrip().endswith("::") and not line.strip().startswith(".."):
            head = line.rstrip()[:-2].rstrip()
            out.append(_inline(head + ":", links) if head else "")
            i += 1
            block: list[str] = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
                block.append(lines[i])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            code = inspect.cleandoc("\n".join(block)) if block else ""
            lang = "toml" if code.lstrip().startswith("[") else "python"
            out += ["", f"```{lang}", *code.splitlines(), "```", ""]
            continue
        out.append(_inline(line, links))
        i += 1
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def first_line(doc: str | None) -> str:
    """The first sentence-line of a docstring (its summary paragraph, joined)."""
    if not doc:
        return ""
    para = inspect.cleandoc(doc).split("\n\n", 1)[0]
    return " ".join(para.split())


def _cell(text: str) -> str:
    """Text for a table cell: one line, pipes escaped. A code span with a pipe in it
    (``str | None``) becomes ``<code>`` with ``&#124;``: an escaped pipe inside backticks
    reads as ``\\|`` on the site, a bare one ends the cell."""
    parts = re.split(r"(`[^`]*`)", " ".join(text.split()))
    out = []
    for part in parts:
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            if "|" in part:
                inner = html.escape(part[1:-1], quote=False).replace("|", "&#124;")
                part = f"<code>{inner}</code>"
        else:
            part = part.replace("|", "\\|")
        out.append(part)
    return "".join(out)


# --------------------------------------------------------------------------- signatures


def _annotation(ann: Any) -> str:
    if isinstance(ann, str):
        return ann
    return inspect.formatannotation(ann)


def _default(value: Any) -> str:
    if value is dataclasses.MISSING:
        return ""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def signature_text(fn: Callable[..., Any], name: str | None = None, *, skip_first: bool = False) -> str:
    """``name(params) -> return`` with every annotation exactly as written in the source
    (modules use ``from __future__ import annotations``, so annotations are the source text)."""
    sig = inspect.signature(fn)
    params = list(sig.parameters.values())
    if skip_first and params:
        params = params[1:]
    parts: list[str] = []
    seen_kw_only = False
    for idx, p in enumerate(params):
        if p.kind is p.KEYWORD_ONLY and not seen_kw_only:
            parts.append("*")
            seen_kw_only = True
        if p.kind is p.VAR_POSITIONAL:
            seen_kw_only = True
        stars = "*" if p.kind is p.VAR_POSITIONAL else "**" if p.kind is p.VAR_KEYWORD else ""
        text = stars + p.name
        if p.annotation is not p.empty:
            text += f": {_annotation(p.annotation)}"
        if p.default is not p.empty:
            text += f" = {p.default!r}" if p.annotation is not p.empty else f"={p.default!r}"
        parts.append(text)
        if p.kind is p.POSITIONAL_ONLY and (idx + 1 == len(params) or params[idx + 1].kind is not p.POSITIONAL_ONLY):
            parts.append("/")
    ret = "" if sig.return_annotation is sig.empty else f" -> {_annotation(sig.return_annotation)}"
    return f"{name or fn.__name__}({', '.join(parts)}){ret}"


# --------------------------------------------------------------------------- hooks


def hook_specs() -> list[Callable[..., Any]]:
    """Every hook spec function of :mod:`cxprobe.hookspecs`, in the order of the source."""
    from . import hookspecs

    specs = [fn for name, fn in vars(hookspecs).items()
             if name.startswith("cxprobe_") and callable(fn) and hasattr(fn, "cxprobe_spec")]
    return sorted(specs, key=lambda fn: fn.__code__.co_firstlineno)


def lifecycle_steps() -> list[str]:
    """The numbered steps of the lifecycle in :mod:`cxprobe.hookspecs`' docstring."""
    from . import hookspecs

    doc = inspect.cleandoc(hookspecs.__doc__ or "")
    steps: list[str] = []
    for line in doc.splitlines():
        m = re.match(r"^(\d+)\.\s+(.*)$", line)
        if m:
            steps.append(m.group(2))
        elif steps and line.startswith("   ") and line.strip():
            steps[-1] += " " + line.strip()
    return steps


def hook_step(name: str) -> int | None:
    """The (1-based) lifecycle step that calls hook ``name``, from the module docstring."""
    for n, step in enumerate(lifecycle_steps(), 1):
        if f":func:`{name}`" in step:
            return n
    return None


def step_label(step: int | None) -> str:
    """The label a lifecycle step opens with ("Registration: ..." -> "registration")."""
    steps = lifecycle_steps()
    if step is None or not 1 <= step <= len(steps):
        return "?"
    head = steps[step - 1].split(":", 1)[0]
    return head.lower() if head != steps[step - 1] and len(head) <= 30 and "`" not in head else f"step {step}"


def hooks_page(links: Links) -> str:
    from . import hookspecs

    specs = sorted(hook_specs(), key=lambda fn: hook_step(fn.__name__) or 99)
    own = {fn.__name__: f"#{fn.__name__}" for fn in specs}
    here = {**links, **own}
    intro = inspect.cleandoc(hookspecs.__doc__ or "")
    lines = [
        "# Hooks reference",
        "",
        _GENERATED,
        "",
        "Every hook a plugin can implement, from `cxprobe/hookspecs.py`: the signature exactly as",
        "specified (an implementation may take fewer arguments: pluggy passes only the ones it",
        "names), the hook's documentation, its flags and where it is called in an audit. How to",
        "write a plugin: [Writing plugins](../plugins.md).",
        "",
        "## The lifecycle",
        "",
        markdown(intro, here),
        "",
        "| step | hook | called | flags |",
        "|---|---|---|---|",
    ]
    for fn in specs:
        opts = fn.cxprobe_spec  # type: ignore[attr-defined]
        step = hook_step(fn.__name__)
        flags = ", ".join(k for k in ("historic", "firstresult") if opts.get(k)) or "—"
        lines.append(f"| {step} | [`{fn.__name__}`](#{fn.__name__}) | {_cell(_inline(first_line(fn.__doc__), here))} | {flags} |")
    lines.append("")
    for fn in specs:
        opts = fn.cxprobe_spec  # type: ignore[attr-defined]
        step = hook_step(fn.__name__)
        flag_names = [k for k in ("historic", "firstresult") if opts.get(k)]
        flag_text = {
            "historic": "**historic**: a plugin registered after the call still gets it, with the same arguments",
            "firstresult": "**firstresult**: the first non-None result ends the call",
        }
        lines += [
            f"## {fn.__name__}",
            "",
            "```python",
            f"def {signature_text(fn)}",
            "```",
            "",
            f"Lifecycle: step {step} ({step_label(step)}) of [the lifecycle](#the-lifecycle). "
            + ("Flags: " + "; ".join(flag_text[f] for f in flag_names) + "." if flag_names else
               "Flags: none (every implementation is called, in pluggy's order: `tryfirst`/`trylast` change it)."),
            "",
            markdown(fn.__doc__, here),
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------- objects


def _is_classvar(ann: Any) -> bool:
    text = _annotation(ann)
    return text.startswith(("ClassVar", "typing.ClassVar"))


def _strip_classvar(text: str) -> str:
    m = re.match(r"^(?:typing\.)?ClassVar\[(.*)\]$", text)
    return m.group(1) if m else text


def _factory_default(f: dataclasses.Field[Any]) -> str:
    if f.default is not dataclasses.MISSING:
        return _default(f.default)
    factory = f.default_factory
    if factory in (dict, list, tuple, set, frozenset):
        return repr(factory())
    return "(computed)" if factory is not dataclasses.MISSING else ""


def _field_meaning(cls: type, name: str, f: dataclasses.Field[Any] | None = None) -> str:
    comment = attribute_comments(cls).get(name, "")
    if comment:
        return comment
    if f is not None:
        setting = f.metadata.get("setting")
        if setting is not None:
            return f"{setting.help} ([configuration](../configuration.md))"
    return ""


#: Field tables written while generating: (owner, field) with no meaning, for the test.
_UNDOCUMENTED: set[str] = set()


def _type_links(type_text: str, links: Links, own: str) -> str:
    names = [n for n in dict.fromkeys(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", type_text)) if n in links and n != own]
    return " → " + ", ".join(f"[{n}]({links[n]})" for n in names) if names else ""


def fields_table(cls: type, links: Links) -> list[str]:
    """The fields of a dataclass: name, type as written, default, meaning."""
    rows = ["| field | type | default | meaning |", "|---|---|---|---|"]
    for f in dataclasses.fields(cls):
        if f.name.startswith("_"):
            continue
        meaning = _field_meaning(cls, f.name, f)
        if not meaning:
            _UNDOCUMENTED.add(f"{cls.__module__}.{cls.__qualname__}.{f.name}")
        ann = _annotation(f.type)
        default = _factory_default(f)
        rows.append(f"| `{f.name}` | {_cell(f'`{ann}`')}{_type_links(ann, links, cls.__name__)} | "
                    f"{_cell(f'`{default}`') if default else 'required'} | {_cell(_inline(meaning, links))} |")
    return rows


def class_attributes_table(cls: type, links: Links) -> list[str]:
    """The ``ClassVar`` attributes a subclass sets (Probe.id, Extractor.name, ...)."""
    hints: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        hints.update(getattr(klass, "__annotations__", {}))
    names = [n for n, ann in hints.items() if _is_classvar(ann) and not n.startswith("_")]
    if not names:
        return []
    rows = ["| attribute | type | default | meaning |", "|---|---|---|---|"]
    for name in names:
        meaning = attribute_comments(cls).get(name, "")
        if not meaning:
            _UNDOCUMENTED.add(f"{cls.__module__}.{cls.__qualname__}.{name}")
        value = getattr(cls, name, None)
        rows.append(f"| `{name}` | {_cell(f'`{_strip_classvar(_annotation(hints[name]))}`')} | "
                    f"{_cell(f'`{_default(value)}`')} | {_cell(_inline(meaning, links))} |")
    return rows


def instance_attributes_table(cls: type, links: Links) -> list[str]:
    """Attributes set in a plain class's ``__init__`` with a ``#:`` comment (Document)."""
    init = cls.__dict__.get("__init__")
    if init is None or dataclasses.is_dataclass(cls):
        return []
    src = _module_source(cls.__module__)
    if src is None:
        return []
    lines, tree = src
    rows: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__:
            for fn in node.body:
                if isinstance(fn, ast.FunctionDef) and fn.name == "__init__":
                    for stmt in fn.body:
                        for name in _assigned_names(stmt):
                            if name.startswith("_"):
                                continue
                            meaning = _comment_above(lines, stmt.lineno)
                            if not meaning:
                                _UNDOCUMENTED.add(f"{cls.__module__}.{cls.__qualname__}.{name}")
                            rows.append(f"| `{name}` | {_cell(_inline(meaning, links))} |")
    return ["| attribute | meaning |", "|---|---|", *rows] if rows else []


def members(cls: type) -> list[tuple[str, Any]]:
    """Public methods and properties defined on ``cls`` itself (not inherited from object)."""
    out = []
    for name, value in cls.__dict__.items():
        if name.startswith("_"):
            continue
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if isinstance(value, (property, types.FunctionType)) or type(value).__name__ == "cached_property":
            out.append((name, value))
    return out


def members_list(cls: type, links: Links) -> list[str]:
    out: list[str] = []
    for name, value in members(cls):
        if isinstance(value, property) or type(value).__name__ == "cached_property":
            fget: Any = value.fget if isinstance(value, property) else value.func
            ret = inspect.signature(fget).return_annotation
            ann = "" if ret is inspect.Signature.empty else f": {_annotation(ret)}"
            head = f"`{name}{ann}` (property)"
            doc = fget.__doc__
        else:
            static = isinstance(cls.__dict__[name], staticmethod)
            head = f"`{signature_text(value, name, skip_first=not static)}`"
            doc = value.__doc__
        body = markdown(doc, links)
        if not body:
            _UNDOCUMENTED.add(f"{cls.__module__}.{cls.__qualname__}.{name}()")
        indented = "\n".join(("  " + line) if line.strip() else "" for line in body.splitlines()[1:])
        out.append(f"- {head}" + (": " + body.splitlines()[0] if body else "") + ("\n" + indented if indented else ""))
    return out


def class_section(cls: type, links: Links, level: int = 3, name: str | None = None) -> list[str]:
    """A class: its heading, how it is declared, its docstring, fields, attributes, members."""
    name = name or cls.__name__
    out = [f"{'#' * level} {name}", ""]
    if dataclasses.is_dataclass(cls):
        frozen = cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
        decl = f"@dataclass{'(frozen=True)' if frozen else ''}\nclass {cls.__name__}"
    elif issubclass(cls, enum.Enum):
        decl = f"class {cls.__name__}({cls.__bases__[0].__name__})"
    else:
        bases = [b.__name__ for b in cls.__bases__ if b is not object]
        init = cls.__dict__.get("__init__")
        if init is not None and issubclass(cls, BaseException):
            decl = f"class {signature_text(init, cls.__name__, skip_first=True)}"
        else:
            decl = f"class {cls.__name__}" + (f"({', '.join(bases)})" if bases else "")
    out += ["```python", decl, "```", ""]
    doc = markdown(cls.__doc__, links)
    if doc:
        out += [doc, ""]
    else:
        _UNDOCUMENTED.add(f"{cls.__module__}.{cls.__qualname__}")
    if dataclasses.is_dataclass(cls):
        out += [*fields_table(cls, links), ""]
    if issubclass(cls, enum.Enum):
        comments = attribute_comments(cls)
        out += ["| member | value | meaning |", "|---|---|---|"]
        for member in cls:
            meaning = comments.get(member.name, "")
            if not meaning:
                _UNDOCUMENTED.add(f"{cls.__module__}.{cls.__qualname__}.{member.name}")
            out.append(f"| `{member.name}` | `{member.value!r}` | {_cell(_inline(meaning, links))} |")
        out.append("")
        return out
    attrs = class_attributes_table(cls, links)
    if attrs:
        out += ["Set on a subclass:", "", *attrs, ""]
    inst = instance_attributes_table(cls, links)
    if inst:
        out += [*inst, ""]
    mem = members_list(cls, links)
    if mem:
        out += ["Methods and properties:", "", *mem, ""]
    return out


def function_section(fn: Callable[..., Any], links: Links, name: str, level: int = 3) -> list[str]:
    body = markdown(fn.__doc__, links)
    if not body:
        _UNDOCUMENTED.add(f"{fn.__module__}.{name}")
    return [f"{'#' * level} {name}", "", "```python", f"def {signature_text(fn, name)}", "```", "", body, ""]


# --------------------------------------------------------------------------- api.md

#: How api.md groups ``cxprobe.__all__`` (a name in no group lands in "Also exported").
API_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Markers and versions", "What a plugin module uses to declare itself.",
     ("hookimpl", "PLUGIN_API", "__version__")),
    ("What hooks register", "The objects a `cxprobe_add_*` hook passes to `register` (or `add_option`).",
     ("Touchpoint", "Probe", "Extractor", "Gatherer", "Reporter", "Setting")),
    ("What probes and extractors receive", "A probe's `check(ctx)` gets a `Context`; an extractor's "
     "`extract(doc)` a `Document`. The artifacts are frozen dataclasses: their fields are the "
     "facts, described one by one in the [facts reference](facts.md).",
     ("Context", "AuditConfig", "Document", "Site", "Page", "PageFacts", "Link", "Heading", "Form", "FormField",
      "Image", "CrawlStats", "RobotsTxt", "Rendering", "RenderedPage", "TapTarget", "MenuCheck", "LinkClick", "Box",
      "ScreenBox")),
    ("What probes return", "A probe returns an `Outcome`; the runner turns it into a `ProbeResult` and "
     "deduplicates its issues into findings.",
     ("outcome", "Outcome", "issue", "Issue", "Evidence", "Cause", "Finding", "ProbeResult", "per_run")),
    ("Helpers", "Functions a probe or extractor may call.", ("detect_language", "STOPWORDS", "to_json")),
    ("Errors and exit codes", "", ("FactUnavailable", "CxprobeError", "ExitCode")),
)


def api_names() -> list[str]:
    import cxprobe

    return list(cxprobe.__all__)


@cache
def _imported_from() -> dict[str, str]:
    """name -> module it is imported from in cxprobe/__init__.py (for a constant's comment)."""
    src = _module_source("cxprobe")
    out: dict[str, str] = {}
    if src is None:
        return out
    for node in ast.walk(src[1]):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            for alias in node.names:
                out[alias.asname or alias.name] = f"cxprobe.{node.module}"
    return out


def constant_section(name: str, value: Any, links: Links) -> list[str]:
    comment = module_comments("cxprobe").get(name) or module_comments(_imported_from().get(name, "cxprobe")).get(name, "")
    if not comment:
        _UNDOCUMENTED.add(f"cxprobe.{name}")
    if name == "__version__":
        decl = "__version__: str"
    elif isinstance(value, str):
        decl = f'{name} = "{value}"'
    elif isinstance(value, (int, float)):
        decl = f"{name} = {value!r}"
    else:
        ann = _annotation(inspect.get_annotations(sys.modules[_imported_from().get(name, "cxprobe")]).get(name, "")) \
            or type(value).__name__
        decl = f"{name}: {ann}"
    return [f"### {name}", "", "```python", decl, "```", "", _inline(comment, links), ""]


def api_page(links: Links) -> str:
    import cxprobe

    names = api_names()
    grouped = {n for _t, _d, ns in API_GROUPS for n in ns}
    groups = [*API_GROUPS, ("Also exported", "", tuple(n for n in names if n not in grouped))]
    lines = [
        "# API reference",
        "",
        _GENERATED,
        "",
        "Everything a plugin may import: the names of `cxprobe.__all__`, the one public door",
        f"(plugin API version `{cxprobe.PLUGIN_API}`). Submodules are cxprobe's own and change between",
        "releases. Types are written as in the source; a field's meaning is the comment the code",
        "gives it. The hooks are in the [hooks reference](hooks.md), the facts probes read in the",
        "[facts reference](facts.md).",
        "",
    ]
    for title, desc, group in groups:
        present = [n for n in group if n in names]
        if not present:
            continue
        lines += [f"## {title}", ""]
        if desc:
            lines += [_inline(desc, {}), ""]
        for name in present:
            value = getattr(cxprobe, name)
            if inspect.isclass(value):
                lines += class_section(value, links, 3)
            elif inspect.isfunction(value):
                lines += function_section(value, links, name)
            elif name == "hookimpl":
                comment = module_comments("cxprobe").get(name, "")
                if not comment:
                    _UNDOCUMENTED.add("cxprobe.hookimpl")
                lines += [f"### {name}", "", "```python", 'hookimpl = pluggy.HookimplMarker("cxprobe")', "```", "",
                          _inline(comment, links), ""]
            else:
                lines += constant_section(name, value, links)
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------- facts.md


def _resolve_hints(cls: type) -> dict[str, Any]:
    """Field types of a dataclass as objects, where they resolve."""
    try:
        return typing.get_type_hints(cls)
    except Exception:  # noqa: BLE001 - one unresolved name must not hide the others
        module = sys.modules.get(cls.__module__)
        ns = dict(vars(module)) if module else {}
        out = {}
        for f in dataclasses.fields(cls):
            try:
                out[f.name] = eval(f.type, ns) if isinstance(f.type, str) else f.type  # noqa: S307 - our own source
            except Exception:  # noqa: BLE001
                continue
        return out


def dataclasses_in(tp: Any, seen: list[type] | None = None) -> list[type]:
    """Every dataclass a type names, followed through the fields of those dataclasses."""
    seen = [] if seen is None else seen
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if tp in seen:
            return seen
        seen.append(tp)
        for ft in _resolve_hints(tp).values():
            dataclasses_in(ft, seen)
        return seen
    for arg in typing.get_args(tp):
        dataclasses_in(arg, seen)
    return seen


def extract_return(extractor: Any) -> tuple[str, Any]:
    """The return type of an extractor's ``extract``: as written, and resolved (or None)."""
    fn = type(extractor).extract
    written = inspect.signature(fn).return_annotation
    text = "" if written is inspect.Signature.empty else _annotation(written)
    try:
        resolved = typing.get_type_hints(fn).get("return")
    except Exception:  # noqa: BLE001
        resolved = None
    return text, resolved


def model_sections() -> dict[str, list[type]]:
    """The classes facts.md shows for the static document, the crawl and browser mode: each
    artifact followed through the dataclasses its fields name (a class once, where first met)."""
    from . import model

    static = dataclasses_in(model.PageFacts)
    site = [c for c in dataclasses_in(model.Site) if c not in static]
    browser = [c for c in dataclasses_in(model.Rendering) if c not in static + site]
    # Not a field anywhere, but what RenderedPage.screen_box returns for Evidence.box.
    browser += [model.ScreenBox] if model.ScreenBox not in browser else []
    return {"static": static, "site": site, "browser": browser}
#: Constants of cxprobe.model that say which values a fact takes.
MODEL_CONSTANTS = ("REGIONS", "DEAD_LINK_KINDS", "CONTROL_KINDS", "UNREAD_ERRORS", "NOT_BROKEN_ERRORS")


def _model_constant(name: str, links: Links) -> list[str]:
    from . import model

    value = getattr(model, name)
    shown = sorted(value, key=str) if isinstance(value, frozenset) else list(value)
    comment = module_comments("cxprobe.model").get(name, "")
    if not comment:
        _UNDOCUMENTED.add(f"cxprobe.model.{name}")
    values = ", ".join(f"`{v}`" for v in shown)
    return [f"- `{name}` = {values}: {_inline(comment, links)}"]


def builtin_extractors() -> list[tuple[str, Any, str]]:
    """(namespace, extractor, plugin) of every built-in extractor, in run order."""
    from ._registry import get_plugin_manager

    pm = get_plugin_manager()
    reg = pm.registry()
    out = []
    for name, ex in reg.extractors.items():
        owner = pm.owner("extractor", name)
        if owner.startswith("cxprobe:") or owner == "cxprobe.core":
            out.append((name, ex, owner))
    return out


def facts_page(links: Links) -> str:

    lines = [
        "# Facts reference",
        "",
        _GENERATED,
        "",
        "What a probe can know about a site, field by field: the artifacts of the static crawl",
        "(the generic document of every page, read by the core, and the crawl itself), the facts",
        "each built-in extractor adds under its namespace, and what browser mode measures. A probe",
        "reads them from its [`Context`](api.md#context): `ctx.facts()` (one `PageFacts` per judged",
        "page), `f.fact(\"contact\")` for a namespace, `ctx.site`, `ctx.rendering`. Types are written",
        "as in the source; meanings are the code's own comments.",
        "",
        "A page's facts are also what `cxprobe.testing.page_facts(html)` returns for a page given as",
        "HTML, read by every installed extractor, so a test sees what an audit sees.",
        "",
        "## The generic document (static)",
        "",
        "What the core reads on every page, before any extractor: one `PageFacts` per page, made",
        "of the classes below. Constants of the model name the values some fields take:",
        "",
    ]
    for name in MODEL_CONSTANTS:
        lines += _model_constant(name, links)
    lines.append("")
    sections = model_sections()
    for cls in sections["static"]:
        lines += class_section(cls, links, 3)
    lines += [
        "## The crawl (static)",
        "",
        "Site-wide facts: `ctx.site` is the `Site` the crawl gathered; `ctx.pages` its judged pages.",
        "",
    ]
    for cls in sections["site"]:
        lines += class_section(cls, links, 3)
    exs = builtin_extractors()
    lines += [
        "## Extractor namespaces",
        "",
        "Each extractor reads every page's parsed document once, in the worker processes, and",
        "returns its facts under its namespace: `f.fact(NAME)` on a `PageFacts` (it raises",
        "[`FactUnavailable`](api.md#factunavailable) when the extractor did not run or failed on",
        "that page). A plugin adds its own with `cxprobe_add_extractors`",
        "([hooks](hooks.md#cxprobe_add_extractors)). The built-in namespaces:",
        "",
        "| namespace | plugin | `f.fact(NAME)` is | what it holds |",
        "|---|---|---|---|",
    ]
    for name, ex, owner in exs:
        written, _resolved = extract_return(ex)
        lines.append(f"| [`{name}`](#namespace-{name}) | `{owner}` | {_cell(f'`{written}`')} | "
                     f"{_cell(_inline(ex.description or first_line(type(ex).__doc__), links))} |")
    lines.append("")
    documented: set[type] = set()
    for name, ex, owner in exs:
        cls = type(ex)
        written, resolved = extract_return(ex)
        lines += [f"### Namespace {name}", "",
                  f"Registered by `{owner}` (`{cls.__module__}.{cls.__qualname__}`)"
                  + (f", after {', '.join(f'`{r}`' for r in cls.requires)}" if cls.requires else "") + ".",
                  "", f"`f.fact(\"{name}\")` is `{written}`.", ""]
        doc = markdown(cls.__doc__, links)
        if doc:
            lines += [doc, ""]
        if not (ex.description or doc):
            _UNDOCUMENTED.add(f"{cls.__module__}.{cls.__qualname__}")
        for dc in dataclasses_in(resolved):
            if dc.__module__.startswith("cxprobe.") or dc in documented:
                continue
            documented.add(dc)
            lines += class_section(dc, links, 4)
    lines += [
        "## Browser mode",
        "",
        "In browser mode (`--render browser`, or `auto` when a Chromium is found) every judged page",
        "is also loaded in a real browser at phone size (375×667, touch) and desktop size",
        "(1366×768): `ctx.rendering` is a `Rendering` with one `RenderedPage` per page and",
        "viewport. It measures what HTML alone cannot say: the layout (horizontal overflow, text",
        "size as seen, where the h1, the call to action and any overlay lie in the first",
        "viewport), tap targets as laid out, paint timings, subresources that failed, what the",
        "mobile menu toggle does when tapped, and whether links that go nowhere by their href do",
        "something when clicked. A probe that reads it declares `requires = (\"rendering\",)`",
        "and is not applicable in static mode. How a browser is found: [Browser mode](../browser.md).",
        "",
    ]
    for cls in sections["browser"]:
        lines += class_section(cls, links, 3)
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------- all pages

_GENERATED = "<!-- generated by `python -m cxprobe.docgen` from the code: do not edit by hand -->"


def _links() -> dict[str, dict[str, str]]:
    """Per page, where each documented name is: page-relative link targets."""
    api = {n: f"api.md#{n.lower()}" for n in api_names() if n != "__version__"}
    hooks = {fn.__name__: f"hooks.md#{fn.__name__}" for fn in hook_specs()}
    facts_names = [c.__name__ for classes in model_sections().values() for c in classes]
    base = {**api, **hooks}
    # Inside a page, its own names link within it.
    on_facts = {**base, **{n: f"#{n.lower()}" for n in facts_names}}
    on_api = {**base, **{n: f"#{n.lower()}" for n in api}}
    on_hooks = {**base, **{n: f"#{n}" for n in hooks}}
    return {"hooks.md": on_hooks, "api.md": on_api, "facts.md": on_facts}


def reference_pages() -> dict[str, str]:
    """docs/reference/<name> -> its content. Resets and fills :func:`undocumented`."""
    _UNDOCUMENTED.clear()
    links = _links()
    # Namespace dataclasses link to their own sections on the facts page.
    facts_links = dict(links["facts.md"])
    for _name, ex, _owner in builtin_extractors():
        for dc in dataclasses_in(extract_return(ex)[1]):
            if not dc.__module__.startswith("cxprobe."):
                facts_links.setdefault(dc.__name__, f"#{dc.__name__.lower()}")
    return {
        "hooks.md": hooks_page(links["hooks.md"]),
        "api.md": api_page(links["api.md"]),
        "facts.md": facts_page(facts_links),
    }


def undocumented() -> list[str]:
    """Fields, attributes and objects the last :func:`reference_pages` found no words for."""
    return sorted(_UNDOCUMENTED)


def write(docs: Path) -> None:
    out = docs / "reference"
    out.mkdir(parents=True, exist_ok=True)
    for name, text in reference_pages().items():
        (out / name).write_text(text, encoding="utf-8")
