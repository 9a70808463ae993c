"""Problems found in content, and the exception that reports them to a person."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Literal

import click

from exporter.messages import counted

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located as `path:line: field: message`."""

    path: str
    line: int
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        path = self.path if self.path.isprintable() else repr(self.path)[1:-1]
        return f"{path}:{self.line}: {self.field}: {prefix}{self.message}"


class ExporterError(click.ClickException):
    """A problem the user can fix; shown without a traceback, exit code 1."""

    exit_code = 1


class ContentError(ExporterError):
    """The content has one or more errors; every problem is listed, one per line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        errors = sum(1 for p in self.problems if p.severity == "error")
        if errors:
            message = f"{counted(errors, 'problem')} in the content; nothing was written"
        else:
            message = f"{counted(len(self.problems), 'warning')}, which --strict treats as errors"
        super().__init__(message)

    def __reduce__(self) -> tuple[type[ContentError], tuple[list[Problem]]]:
        # Writers run in worker processes; the error is pickled back by its problems, not its text.
        return (type(self), (self.problems,))

    def show(self, file: IO[str] | None = None) -> None:
        out = file if file is not None else sys.stderr
        for problem in self.problems:
            click.echo(str(problem), file=out)
        click.echo(f"Error: {self.message}", file=out)


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


_OS_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied (the folder is not writable)",
    errno.EPERM: "permission denied (the folder is not writable)",
    errno.EROFS: "the disk is read-only",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.ENOTDIR: "part of the path is a file, not a folder",
}


def describe_os_error(exc: OSError) -> str:
    """An OSError in words: 'the disk is full' rather than '[Errno 28] ...'."""
    if exc.errno in (errno.EACCES, errno.EPERM) and _protected_file(exc.filename2 or exc.filename):
        return "permission denied (the file itself is protected: read-only, in use or immutable)"
    if exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    return exc.strerror or str(exc)


def _protected_file(name: object) -> bool:
    """An existing file that could not be replaced although its folder takes new files."""
    if not isinstance(name, str | bytes | os.PathLike) or not os.path.isfile(name):
        return False
    folder = os.path.dirname(os.fspath(name)) or "."
    return os.access(folder, os.W_OK)
