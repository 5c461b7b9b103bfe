"""What every `metadossier` command module shares: the store option, the settings of a command,
and turning expected failures (MetadossierError) into one line on stderr and a non-zero exit."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import MetadossierError
from .settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """A MetadossierError becomes a ClickException: its message, no traceback, exit status 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MetadossierError as exc:
            raise click.ClickException(str(exc)) from None
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            raise click.ClickException(
                f"the store is locked by another process ({exc}) — wait for it to finish and run again"
            ) from None

    return wrapper  # type: ignore[return-value]


db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite store (default: $METADOSSIER_DB, else data/metadossier.sqlite in the project).",
)


def command_settings(ctx: click.Context, **overrides: Any) -> Settings:
    """The group's settings (from the environment when a command runs on its own) with the
    command's options applied; unset options (None) change nothing."""
    base = ctx.obj if isinstance(ctx.obj, Settings) else Settings.from_env()
    return base.replace(**overrides)
