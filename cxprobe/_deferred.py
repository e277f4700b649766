"""Modules imported when first used rather than when a module that needs them is imported.

A third-party module another library imports at its top, for a feature cxprobe does not
use, is put in ``sys.modules`` as a stand-in: ``import name`` binds the stand-in at once,
and the module's code runs when one of its attributes is first read. From then on the
stand-in holds what the module holds, and ``sys.modules`` the module itself. Only when its
import costs moves: to its first use, or to never.

(The standard library's :class:`importlib.util.LazyLoader` does not do this here: the
``import`` statement reads the module's ``__spec__``, which loads a lazy module at once.)
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from typing import Any


class _Deferred(types.ModuleType):
    """The stand-in of a module not imported yet (see the module)."""

    def __init__(self, spec: Any) -> None:
        super().__init__(spec.name)
        # What the import system reads of a module already in sys.modules.
        self.__spec__ = spec
        self.__loader__ = spec.loader
        self.__file__ = spec.origin
        if spec.submodule_search_locations is not None:
            self.__path__ = list(spec.submodule_search_locations)
        self.__dict__["_deferred_lock"] = threading.RLock()

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._deferred_load(), attr)

    def _deferred_load(self) -> types.ModuleType:
        name = self.__name__
        with self.__dict__["_deferred_lock"]:
            if sys.modules.get(name) is self:
                del sys.modules[name]  # the module itself is imported in its place
            try:
                module = importlib.import_module(name)
            except BaseException:
                sys.modules.setdefault(name, self)
                raise
            self.__dict__.update(module.__dict__)  # later reads find it without a call
            return module


def defer_import(name: str) -> bool:
    """Make the top-level module ``name`` load on first use; False, doing nothing, when it
    is already imported or cannot be found (then its importer's own ``import`` decides)."""
    if name in sys.modules or "." in name:
        return False
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    if spec is None or spec.loader is None:
        return False
    sys.modules[name] = _Deferred(spec)
    return True


__all__ = ["defer_import"]
