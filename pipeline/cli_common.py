"""What every `metadossier` command module shares: the store option, the settings of a command,
turning expected failures (MetadossierError) into one line on stderr and a non-zero exit, and
Click's own texts (help headings, usage errors) in Dutch."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from .errors import MetadossierError
from .settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


class Fout(click.ClickException):
    """An expected failure shown as one line, "fout: …", without a traceback (exit status 1, or 2 for
    a usage error)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it on the class; 2 for usage errors

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"fout: {self.format_message()}", file=file, err=file is None)


def friendly_errors(func: F) -> F:
    """A MetadossierError becomes a Fout: its message, no traceback, exit status 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MetadossierError as exc:
            raise Fout(str(exc)) from None
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            raise Fout(
                f"de opslag is in gebruik door een ander proces ({exc}) — wacht tot dat klaar is en probeer het opnieuw"
            ) from None

    return wrapper  # type: ignore[return-value]


db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="De opslag, een SQLite-bestand (standaard: $METADOSSIER_DB, anders data/metadossier.sqlite in het project).",
)


def command_settings(ctx: click.Context, **overrides: Any) -> Settings:
    """The group's settings (from the environment when a command runs on its own) with the
    command's options applied; unset options (None) change nothing."""
    base = ctx.obj if isinstance(ctx.obj, Settings) else Settings.from_env()
    return base.replace(**overrides)


# --------------------------------------------------------------------------------------
# Click's own texts in Dutch: help headings, and usage errors as one line "fout: …" (exit status 2)

_HEADINGS = {"Options": "Opties", "Commands": "Opdrachten", "Positional arguments": "Argumenten"}
_METAVARS = {"INTEGER RANGE": "GETAL", "FLOAT RANGE": "GETAL", "INTEGER": "GETAL", "FLOAT": "GETAL", "TEXT": "TEKST",
             "PATH": "PAD", "FILENAME": "BESTAND", "FILE": "BESTAND", "DIRECTORY": "MAP"}
_METAVAR = re.compile(r"\b(" + "|".join(_METAVARS) + r")\b")
_EXTRA = {"default": "standaard", "required": "verplicht", "env var": "omgevingsvariabele"}


class DutchHelpFormatter(click.HelpFormatter):
    """Click's help layout with Dutch headings, type names and [standaard: …] notes."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Gebruik: " if prefix is None else prefix)

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        with super().section(_HEADINGS.get(name, name)):
            yield

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(_METAVAR.sub(lambda m: _METAVARS[m.group(1)], term), _dutch_extra(text))
                          for term, text in rows], col_max, col_spacing)


def _dutch_extra(text: str) -> str:
    """'… [default: 20; required]' → '… [standaard: 20; verplicht]'."""
    match = re.search(r"\[([^\[\]]*)\]$", text)
    if not match:
        return text
    parts = [_dutch_range(re.sub(r"^(default|required|env var)\b", lambda m: _EXTRA[m.group(1)], p))
             for p in match.group(1).split("; ")]
    return text[: match.start()] + "[" + "; ".join(parts) + "]"


def _dutch_range(note: str) -> str:
    """Click's range notes in words: 'x>=1' → 'minstens 1', '1<=x<=65535' → '1 tot en met 65535'."""
    for pattern, words in ((r"^x>=(\S+)$", r"minstens \1"), (r"^x>(\S+)$", r"meer dan \1"),
                           (r"^x<=(\S+)$", r"hoogstens \1"), (r"^(\S+)<=x<=(\S+)$", r"\1 tot en met \2")):
        if re.match(pattern, note):
            return re.sub(pattern, words, note)
    return note


class DutchContext(click.Context):
    formatter_class = DutchHelpFormatter


class _DutchHelp(click.Command):
    """What a command and a group share: Dutch help headings, "[OPTIES]" and a Dutch --help line."""

    context_class = DutchContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPTIES]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _dutch_help(super().get_help_option(ctx))


class DutchCommand(_DutchHelp):
    """A command whose --help and usage errors are in Dutch."""


class DutchGroup(_DutchHelp, click.Group):
    """The `metadossier` group: subcommands and subgroups in Dutch too, and every Click error (a bad option
    value, an unknown option or command) shown as one Dutch line instead of Click's English."""

    command_class = DutchCommand
    group_class = type  # subgroups are DutchGroups too

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "OPDRACHT [ARGUMENTEN]...")
        super().__init__(*args, **kwargs)

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as exc:
            raise _in_dutch(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            raise _in_dutch(exc) from None
        except (KeyboardInterrupt, click.Abort):
            raise Fout("afgebroken") from None


def _dutch_help(option: click.Option | None) -> click.Option | None:
    if option is not None:
        option.help = "Toon deze hulp en stop."
    return option


def _in_dutch(exc: click.ClickException) -> click.ClickException:
    if isinstance(exc, (Fout, click.exceptions.NoArgsIsHelpError)):
        return exc
    if not isinstance(exc, click.UsageError):
        return Fout(exc.format_message(), exc.exit_code)
    message = usage_message(exc)
    if exc.ctx is not None:
        message += f" (zie `{exc.ctx.command_path} --help`)"
    return Fout(message, exc.exit_code)


def usage_message(exc: click.UsageError) -> str:
    """A Click usage error in plain Dutch, built from what the exception knows (its parameter, the
    option or command name); a message Click words in a way not foreseen here is kept as it is."""
    ctx = exc.ctx
    if isinstance(exc, click.BadParameter):
        param = exc.param
        hint = exc.param_hint if exc.param_hint is not None else param.get_error_hint(ctx) if param else None
        if isinstance(hint, (list, tuple)):
            hint = " / ".join(hint)
        if isinstance(exc, click.MissingParameter):
            return f"{hint or 'een waarde'} ontbreekt"
        reason = _value_reason(exc.message, param)
        return f"ongeldige waarde voor {hint}: {reason}" if hint else f"ongeldige waarde: {reason}"
    if isinstance(exc, click.NoSuchOption):
        return f"onbekende optie {exc.option_name}{_did_you_mean(exc.possibilities)}"
    if isinstance(exc, click.exceptions.NoSuchCommand):
        return f"onbekende opdracht '{exc.command_name}'{_did_you_mean(exc.possibilities)}"
    if isinstance(exc, click.BadOptionUsage) and "requires an argument" in exc.message:
        return f"optie {exc.option_name} heeft een waarde nodig"
    if isinstance(exc, click.BadOptionUsage) and "does not take a value" in exc.message:
        return f"optie {exc.option_name} neemt geen waarde"
    extra = re.match(r"Got unexpected extra arguments? \((.*)\)$", exc.message)
    if extra:
        return f"onverwacht extra argument: {extra.group(1)} (een pad met spaties tussen aanhalingstekens?)"
    if exc.message == "Missing command.":
        return "geef een opdracht"
    return exc.message


def _did_you_mean(possibilities: Sequence[str] | None) -> str:
    return f"; bedoel je {' of '.join(possibilities)}?" if possibilities else ""


def _value_reason(message: str, param: click.Parameter | None) -> str:
    kind = param.type if param is not None else None
    value = re.match(r"^'?(.*?)'? is not", message)
    shown = f"'{value.group(1)}'" if value else "de waarde"
    if isinstance(kind, click.Choice) and " is not " in message:
        return f"{shown} kan niet; kies uit {', '.join(map(str, kind.choices))}"
    if isinstance(kind, (click.IntRange, click.FloatRange)) and "not in the range" in message:
        return f"{shown} kan niet; geef {_range_in_words(kind)}"
    if "is not a valid integer" in message or "is not a valid float" in message:
        return f"{shown} is geen getal"
    path = re.match(r"^\w+ '(.*)' (does not exist|is a directory|is a file|is not readable|is not writable)\.$",
                    message)
    if path:
        what = {"does not exist": "bestaat niet", "is a directory": "is een map", "is a file": "is een bestand",
                "is not readable": "kan niet worden gelezen", "is not writable": "kan niet worden beschreven"}
        return f"{path.group(1)} {what[path.group(2)]}"
    return message


def _range_in_words(kind: click.IntRange | click.FloatRange) -> str:
    low = None if kind.min is None else f"{'groter dan' if kind.min_open else 'van minstens'} {kind.min}"
    high = None if kind.max is None else f"{'kleiner dan' if kind.max_open else 'van hoogstens'} {kind.max}"
    if low and high and not kind.min_open and not kind.max_open:
        return f"een getal van {kind.min} tot en met {kind.max}"
    return "een getal " + " en ".join(p for p in (low, high) if p)
