"""``python -m app``: with no arguments the GUI; subcommands run the services headless.

Every subcommand prints JSON to stdout and exits 0; bad input exits 2 with a one-line error.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app.cli import (access_cmd, conflicts_cmd, explain_cmd, export_cmd, operations_cmds, planning_cmds, solve_cmd,
                     workspace_cmds)
from app.cli.output import emit  # noqa: F401 - re-exported for the command modules
from app.domain.errors import DomainError
from app.persistence.db_errors import describe_database_error
from app.services import database

#: Modules that add subcommands; each has ``register(subparsers)``.
COMMAND_MODULES = (workspace_cmds, access_cmd, solve_cmd, planning_cmds, export_cmd, conflicts_cmd, operations_cmds,
                   explain_cmd)


class UsageError(Exception):
    """argparse's errors, raised instead of exiting so main() reports them like any bad input."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # noqa: D401 - argparse API
        raise UsageError(f"{self.prog}: {message}")


def version() -> str:
    """The installed distribution's version, else the package's own."""
    from importlib import metadata

    import app
    try:
        return metadata.version("mission-planning-workbench")
    except metadata.PackageNotFoundError:
        return app.__version__


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mission-workbench", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for module in COMMAND_MODULES:
        module.register(sub)
    _add_create_flag(parser)
    return parser


def _add_create_flag(parser: argparse.ArgumentParser) -> None:
    """Every command with ``--db`` also takes ``--create`` (database.allow_create)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in set(action.choices.values()):
                _add_create_flag(child)
    if any("--db" in a.option_strings for a in parser._actions) and not any(
            "--create" in a.option_strings for a in parser._actions):
        parser.add_argument("--create", action="store_true",
                            help="create the database even in a new folder, or over an empty/foreign file")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv or ["gui"])
        database.allow_create(getattr(args, "create", False))
        return int(args.handler(args) or 0)
    except UsageError as exc:
        return _fail(str(exc))
    except BrokenPipeError:
        return _closed_pipe()
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except (DomainError, ValueError, OSError, UnicodeDecodeError) as exc:
        return _fail(str(exc))
    except RecursionError:
        return _fail("input nested too deeply")
    except (OverflowError, MemoryError) as exc:
        return _fail(f"input out of range ({type(exc).__name__})")
    except Exception as exc:  # database failures: one line instead of SQL and parameters
        message = describe_database_error(exc)
        if message is None:
            raise
        return _fail(message)
    finally:
        database.allow_create(False)


def _fail(message: str) -> int:
    """One line on stderr (whitespace and control characters folded), exit status 2."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in message).split())
    if len(text) > 500:
        text = text[:497] + "..."
    try:
        print(f"error: {text}", file=sys.stderr)
    except BrokenPipeError:
        pass
    return 2


def _closed_pipe() -> int:
    """The reader went away (``| head``): exit quietly as other Unix tools do (status 141 = SIGPIPE).
    stdout is pointed at devnull so the interpreter's final flush does not raise again."""
    import os
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 141
