"""Exceptions and exit codes.

The exception tree::

    CxprobeError                 anything cxprobe reports as a one-line error
    ├── UsageError               the command line or config is wrong          -> exit 2
    │   ├── ConfigError          a config file is unreadable or has unknown keys
    │   ├── TargetError          the target folder or file does not exist
    │   └── BrowserNotFound      --render browser but no browser could be found
    ├── InternalError            a bug in cxprobe (a built-in plugin fails)    -> exit 4
    └── Interrupted              Ctrl-C or SIGTERM stopped the run             -> exit 130 / 143

Domain errors become click errors and exit codes in exactly one place: ``cxprobe.cli``.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes of the ``cxprobe`` command. Precedence when several apply: 4 > 3 > 2 > 1 > 0."""

    #: The audit ran and every assertion held (a plain audit has none).
    OK = 0
    #: The audit ran and an assertion or ``--fail-under`` failed.
    ASSERTION_FAILED = 1
    #: Usage or configuration error.
    USAGE_ERROR = 2
    #: Could not measure: start page unreachable, blocked by robots, all pages failed.
    CANNOT_MEASURE = 3
    #: Internal error: a bug in cxprobe.
    INTERNAL_ERROR = 4
    #: Stopped by Ctrl-C (SIGINT), as shells report it: 128 + 2. No report is written.
    INTERRUPTED = 130
    #: Stopped by SIGTERM: 128 + 15. No report is written.
    TERMINATED = 143


class CxprobeError(Exception):
    """An error cxprobe reports as one line; ``exit_code`` says how the CLI exits."""

    exit_code = ExitCode.INTERNAL_ERROR


class UsageError(CxprobeError):
    """The command line or the configuration is wrong."""

    exit_code = ExitCode.USAGE_ERROR


class ConfigError(UsageError):
    """A config file cannot be read, or holds unknown keys or bad values."""


class TargetError(UsageError):
    """The audit target (folder, file or URL) is not usable."""


class BrowserNotFound(UsageError):
    """Rendering was asked for but no Chromium could be found."""


class Interrupted(CxprobeError):
    """The run was stopped by Ctrl-C (exit 130) or SIGTERM (exit 143); nothing was written."""

    exit_code = ExitCode.INTERRUPTED

    def __init__(self, signum: int = 2) -> None:
        import signal

        self.signum = signum
        self.exit_code = ExitCode.TERMINATED if signum == signal.SIGTERM else ExitCode.INTERRUPTED
        name = "SIGTERM" if signum == signal.SIGTERM else "Ctrl-C"
        super().__init__(f"interrupted by {name}; no report was written")


class InternalError(CxprobeError):
    """A bug in cxprobe itself, such as a built-in plugin that cannot be imported."""

    exit_code = ExitCode.INTERNAL_ERROR
