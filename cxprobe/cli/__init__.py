"""The ``cxprobe`` command line: click commands and the terminal around them, nothing else.

This is the one place where domain errors become one-line messages and exit codes
(:class:`cxprobe.errors.ExitCode`). Set ``CXPROBE_DEBUG=1`` to see tracebacks.

- :mod:`.commands`: the click group and its commands (options generated from the
  settings declared in :mod:`cxprobe.config` and by plugins);
- :mod:`.audit`: what ``audit`` and ``demo`` do around the core run: the progress bar,
  the exit code from the gates.
- :mod:`.history`: what ``history`` prints (the trend of the runs ``--history`` recorded).
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
from typing import TYPE_CHECKING

import click

from ..errors import CxprobeError, ExitCode, Interrupted
from ..sanitise import clean_text

if TYPE_CHECKING:
    from .._registry import PluginManager

#: Signals that stopped the run (SIGTERM is turned into the Ctrl-C path and noted here).
_signals: list[int] = []


def _on_sigterm(signum: int, _frame: object) -> None:
    """SIGTERM takes the Ctrl-C path, so asyncio cancels its tasks and browsers close."""
    _signals.append(signum)
    signal.raise_signal(signal.SIGINT)


def _quiet_cancellations() -> None:
    """Drop asyncio's "exception was never retrieved" reports of cancelled futures.

    After Ctrl-C every pending request is cancelled on purpose; a future nobody awaited
    any more is garbage-collected later and asyncio would print its CancelledError as a
    traceback. Any other asyncio error is still reported. (asyncio is imported when a
    record comes, never before: ``cxprobe --help`` has no use for its 40 ms.)
    """
    import logging

    class _DropCancelled(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            import asyncio

            exc = record.exc_info[1] if record.exc_info else None
            return not isinstance(exc, asyncio.CancelledError)

    logging.getLogger("asyncio").addFilter(_DropCancelled())


def interrupted() -> Interrupted:
    """The Interrupted error for the signal that stopped the run."""
    return Interrupted(_signals[-1] if _signals else signal.SIGINT)


def fail(message: str, code: int) -> None:
    """One line on stderr and the exit code."""
    click.echo(f"cxprobe: error: {clean_text(message)}", err=True)
    sys.exit(int(code))


#: Options read from the command line before click parses it, because they decide which
#: plugins load, and plugins add options of their own (pytest reads ``-p`` the same way).
EARLY_OPTIONS = ("--plugin", "--disable-plugin", "--config", "--plugin-timeout")


def early_options(argv: list[str], names: tuple[str, ...] = EARLY_OPTIONS) -> dict[str, list[str]]:
    """The values of the options ``names`` (:data:`EARLY_OPTIONS`) in ``argv`` (``--opt
    VALUE`` or ``--opt=VALUE``), up to a ``--``. Click parses the same options again and
    checks them."""
    found: dict[str, list[str]] = {name: [] for name in names}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            break
        name, eq, value = arg.partition("=")
        if name in found:
            if eq:
                found[name].append(value)
            elif i + 1 < len(argv):
                found[name].append(argv[i + 1])
                i += 1
        i += 1
    return found


#: Commands that crawl, and so may read pages in worker processes.
CRAWLING_COMMANDS = ("audit", "demo")


def start_workers_early(argv: list[str]) -> bool:
    """Start the extraction workers' forkserver now, for a command that crawls.

    A crawl of more than a few pages reads them in processes forked from a forkserver that
    first imports and warms the extraction code (0.5-0.8 s). Started here, before the
    plugins load, that runs on another core while this process starts up, and the crawl
    finds it ready. Nothing is waited for; an audit that ends up needing no pool (a small
    site, an error in the options) leaves it unused, and it exits on its own. Not started
    for help, for ``--jobs 1``, or on a machine with one core.
    """
    if not argv or argv[0] not in CRAWLING_COMMANDS:
        return False
    asked = argv[:argv.index("--")] if "--" in argv else argv
    if "-h" in asked or "--help" in asked or early_options(argv, ("--jobs",))["--jobs"][-1:] == ["1"]:
        return False
    from ..document._worker import BUILTIN_EXTRACTOR_MODULES, cores, start_forkserver

    return cores() > 1 and start_forkserver(BUILTIN_EXTRACTOR_MODULES)


def start_browser_early(argv: list[str]) -> bool:
    """Start Playwright's driver now, for a command that may render.

    Launching the browser starts a Node process first (about 0.3 s of the launch); started
    here, before the plugins load, it is ready when the run launches the browser on it
    (:mod:`cxprobe.browser.host`). Only for ``audit`` and ``demo`` when the run may render:
    not for help, not when ``--render`` (or the config file's ``render``) is ``static``,
    and not when no browser is found (``--render auto`` then audits statically, and
    ``--render browser`` stops with exit 2). A driver no run takes is closed when the
    command ends.
    """
    if not argv or argv[0] not in CRAWLING_COMMANDS:
        return False
    asked = argv[:argv.index("--")] if "--" in argv else argv
    if "-h" in asked or "--help" in asked:
        return False
    early = early_options(argv, ("--render", "--config", "--browser-path"))
    render = early["--render"][-1] if early["--render"] else None
    path = early["--browser-path"][-1] if early["--browser-path"] else os.environ.get("CXPROBE_BROWSER")
    if render is None or path is None:
        from ..config import discover

        try:
            table, _source = discover(early["--config"][-1] if early["--config"] else None)
        except Exception:  # noqa: BLE001 - the command reports a broken config itself
            return False
        render = render or str(table.get("render") or "auto")
        file_path = table.get("browser_path")
        path = path or (os.path.expanduser(file_path) if isinstance(file_path, str) and os.path.isabs(
            os.path.expanduser(file_path)) else None)
    if render not in ("auto", "browser"):
        return False
    from ..browser.discovery import find_browser

    if find_browser(path) is None:
        return False
    from ..browser.host import start_driver_early

    start_driver_early()
    return True


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``cxprobe`` console script."""
    debug = bool(os.environ.get("CXPROBE_DEBUG"))
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _on_sigterm)
    _quiet_cancellations()
    args = list(sys.argv[1:] if argv is None else argv)

    def load_plugins() -> PluginManager:
        from .._local import startup
        from .._registry import get_plugin_manager

        early = early_options(args)
        try:
            last = {name: values[-1] if values else None for name, values in early.items()}
            local, disabled, timeout = startup(last["--config"], early["--plugin"], early["--disable-plugin"],
                                               last["--plugin-timeout"])
        except CxprobeError:
            if "--help" not in args and "-h" not in args:
                raise
            local, disabled, timeout = [], (), None  # help is shown whatever the config says
        pm = get_plugin_manager(disabled, local, timeout)
        for w in pm.warnings:
            click.echo(f"cxprobe: warning: {clean_text(w)}", err=True)
        pm.warnings_shown = len(pm.warnings)
        return pm

    try:
        # The driver first: its start is on the way to the first render, and it runs on
        # another core while this process imports the rest. A run that renders reads its
        # pages in this process at first (cxprobe.crawl.pool): a forkserver would only
        # compete with the browser's launch for the cores.
        if not start_browser_early(args):
            start_workers_early(args)
        # Imported here, where a Ctrl-C already gets its one line.
        from .commands import make_cli

        # Plugins load when a command needs them: `cxprobe --help` and `--version` need none.
        cli = make_cli(load_plugins)
        cli.main(args=args, prog_name="cxprobe", standalone_mode=True)
    except SystemExit:
        raise
    except CxprobeError as exc:
        if debug:
            raise
        fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        stopped = interrupted()
        fail(str(stopped), stopped.exit_code)
    except Exception as exc:  # noqa: BLE001 - a bug in cxprobe: one line, exit 4
        if debug:
            raise
        fail(f"internal error: {type(exc).__name__}: {exc} (set CXPROBE_DEBUG=1 for the traceback)",
             ExitCode.INTERNAL_ERROR)
    finally:
        # A driver started early that no run took (a static run, an error in the options).
        # The module may be half imported when a Ctrl-C stopped its import: then it holds none.
        close_early = getattr(sys.modules.get("cxprobe.browser.host"), "close_early", None)
        if close_early is not None:
            with contextlib.suppress(Exception, KeyboardInterrupt):
                close_early()
        if argv is None:
            # The program ends here (not a caller's main([...])): the collection Python
            # runs while shutting down would walk every object of the run (0.1-0.2 s after
            # a 1,000-page audit) only to find what ending the process frees anyway.
            # Frozen objects are still freed one by one; only cycles are left to the exit.
            gc.freeze()


__all__ = ["main"]
