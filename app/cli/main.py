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

#: Modules that add subcommands; each has ``register(subparsers)``.
COMMAND_MODULES = (workspace_cmds, access_cmd, solve_cmd, planning_cmds, export_cmd, conflicts_cmd, operations_cmds,
                   explain_cmd)


class UsageError(Exception):
    """argparse's errors, raised instead of exiting so main() reports them like any bad input."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # noqa: D401 - argparse API
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m app", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv or ["gui"])
        return int(args.handler(args) or 0)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (DomainError, ValueError, OSError, UnicodeDecodeError) as exc:
        message = " ".join(str(exc).split())
        print(f"error: {message}", file=sys.stderr)
        return 2
