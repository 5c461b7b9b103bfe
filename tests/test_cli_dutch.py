"""Everything the `metadossier` command says to a user is Dutch: --help of every command, Click's
usage errors (one line "fout: …", exit status 2, no usage block), and the messages of failures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import main

ENGLISH_CLICK = ("Usage:", "Options:", "Commands:", "Show this message", "Error:", "Try '", "[default:", "[required]",
                 "INTEGER", "TEXT", "PATH ", "FILE ")


def commands(group: click.Group = main, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield (*path, name)


@pytest.mark.parametrize("path", list(commands()), ids=lambda p: " ".join(p) or "metadossier")
def test_help_is_dutch(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"], prog_name="metadossier")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Gebruik: metadossier") and "Toon deze hulp en stop." in result.output
    assert not [word for word in ENGLISH_CLICK if word in result.output], result.output


@pytest.mark.parametrize(("args", "message"), [
    (["ingest", "x.pdf", "--workers", "abc"], "fout: ongeldige waarde voor '--workers': 'abc' is geen getal"),
    (["ingest", "x.pdf", "--workers", "0"],
     "fout: ongeldige waarde voor '--workers': '0' kan niet; geef een getal van minstens 1"),
    (["serve", "--port", "70000"],
     "fout: ongeldige waarde voor '--port': '70000' kan niet; geef een getal van 1 tot en met 65535"),
    (["ingest"], "fout: 'PAD...' ontbreekt"),
    (["classify", "--output", "-"], "fout: '--input' ontbreekt"),
    (["ingets", "x.pdf"], "fout: onbekende opdracht 'ingets'; bedoel je ingest?"),
    (["search", "--limt", "3"], "fout: onbekende optie --limt; bedoel je --limit?"),
    (["items", "--format", "xlsx"], "fout: --format xlsx heeft --out BESTAND.xlsx nodig"),
    (["synthesize", "--out", "synthese.txt"], "fout: ongeldige waarde voor --out: synthese.txt: kies een .md-"),
])
def test_usage_errors_are_one_dutch_line(args: list[str], message: str, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    if args[0] == "items":  # an existing store, so the usage error is what stops the command
        from pipeline.store import Store

        with Store(db):
            pass
    result = CliRunner().invoke(main, [*args, "--db", str(db)] if args[0] in ("items", "ingest") else args,
                                prog_name="metadossier")
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.output and "Error" not in result.output


def test_failures_and_summaries_are_dutch(tmp_path: Path) -> None:
    folder = tmp_path / "rapporten"
    folder.mkdir()
    (folder / "notities.pdf").write_text("geen pdf", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(tmp_path / "db.sqlite"), "--no-progress"])
    assert result.exit_code == 1
    assert f"fout: {folder / 'notities.pdf'}: dit is geen PDF-bestand — zet het eerst om naar PDF" in result.stderr
    assert "0 rapporten opgeslagen (0 pagina's; geen items), 0 al aanwezig, 1 mislukt" in result.stdout
    missing = CliRunner().invoke(main, ["report", "nope", "--db", str(tmp_path / "db.sqlite")])
    assert missing.exit_code == 1 and missing.stderr.startswith("fout: geen rapport 'nope' in ")
