"""Every `metadossier …` command shown in README.md runs (the way sqlite-utils tests its docs),
so README and CLI cannot drift. Commands that take minutes (training, cross-validation, the
server) run with --help only, after checking that every option the README shows exists."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from pipeline.cli import main
from pipeline.settings import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
HELP_ONLY = {("train",), ("evaluate", "classification"), ("evaluate", "learning-curve"), ("serve",),
             ("evaluate", "clustering"), ("evaluate", "segmentation"), ("evaluate", "profiles")}
"""Commands that take minutes: their options are checked, then only --help runs."""


def readme_commands() -> list[str]:
    """The `metadossier …` lines of README.md's bash blocks, comments removed; `a|b` in the
    command's words and `[--opt]` expand to every variant."""
    text = README.read_text(encoding="utf-8")
    commands: list[str] = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("metadossier"):
                commands.extend(_expand(line))
    return commands


def _expand(line: str) -> list[str]:
    variants = [line]
    optional = re.search(r"\[(--[^\]]+)\]", line)
    if optional:
        variants = [line.replace(optional.group(0), optional.group(1)), line.replace(" " + optional.group(0), "")]
    out = []
    for variant in variants:
        words = variant.split()
        alternatives = [w for w in words[:3] if re.fullmatch(r"[a-z-]+(\|[a-z-]+)+", w)]
        if alternatives:
            for choice in alternatives[0].split("|"):
                out.append(variant.replace(alternatives[0], choice, 1))
        else:
            out.append(variant)
    return out


def _command_of(argv: list[str]) -> tuple[tuple[str, ...], click.Command, list[str]]:
    """(command path, the click command, the remaining arguments) for argv without `metadossier`."""
    command: click.Command = main
    path: list[str] = []
    rest = list(argv)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        sub = command.commands.get(rest[0])
        if sub is None:
            raise KeyError(f"`metadossier {' '.join(path + rest[:1])}`: no such command")
        command = sub
        path.append(rest.pop(0))
    return tuple(path), command, rest


def unknown_options(commands: list[str]) -> list[str]:
    """README commands that name a command or option the CLI does not have."""
    problems = []
    for line in commands:
        if "|" in shlex.split(line):
            problems.append(f"{line}: a shell pipe between commands")
            continue
        try:
            _, command, rest = _command_of(shlex.split(line)[1:])
        except KeyError as exc:
            problems.append(str(exc))
            continue
        known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
        problems += [f"{line}: no option {word}" for word in rest
                     if word.startswith("--") and word.split("=")[0] not in known]
    return problems


def test_readme_names_only_existing_commands_and_options() -> None:
    commands = readme_commands()
    assert len(commands) >= 20
    assert unknown_options(commands) == []


@pytest.fixture(scope="module")
def readme_sandbox(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A working folder where `corpus/pdf` holds two corpus PDFs, with the store, cache and
    annotations in temporary places, so the README's commands change nothing in the repository."""
    root = tmp_path_factory.mktemp("readme")
    pdfs = root / "corpus" / "pdf"
    pdfs.mkdir(parents=True)
    for name in ("raalte_2019.pdf", "raalte_presentatie_2019.pdf"):
        shutil.copy(PROJECT_ROOT / "corpus" / "pdf" / name, pdfs / name)
    shutil.copy(PROJECT_ROOT / "corpus" / "manifest.csv", root / "corpus" / "manifest.csv")
    shutil.copytree(PROJECT_ROOT / "corpus" / "import", root / "corpus" / "import")
    shutil.copytree(PROJECT_ROOT / "annotations", root / "annotations")
    (root / "items.jsonl").write_text(
        '{"id": "x1", "text": "Zorg voor kortere wachtlijsten in de jeugdhulp."}\n', encoding="utf-8")
    cache = root / "cache"
    shared = PROJECT_ROOT / "data" / "cache"
    if shared.is_dir():  # embeddings by text hash: a copy saves minutes and is never written back
        shutil.copytree(shared, cache, ignore=shutil.ignore_patterns("*snapshot*"))
    env = {**os.environ, "METADOSSIER_DB": str(root / "store.sqlite"), "METADOSSIER_CACHE": str(cache),
           "METADOSSIER_ANNOTATIONS": str(root / "annotations")}
    return root, env


def _run(argv: list[str], root: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *argv], cwd=root, env=env, capture_output=True,
                          text=True, timeout=900)


def test_every_readme_command_runs(readme_sandbox: tuple[Path, dict[str, str]]) -> None:
    root, env = readme_sandbox
    before = subprocess.run(["git", "status", "--porcelain"], cwd=PROJECT_ROOT, capture_output=True, text=True).stdout
    failures = []
    ran = []
    for line in readme_commands():
        argv = shlex.split(line)[1:]
        path, _, _ = _command_of(argv)
        if path in HELP_ONLY:
            argv = [*path, "--help"]
        proc = _run(argv, root, env)
        ran.append(" ".join(argv))
        if proc.returncode != 0 or "Traceback" in proc.stderr:
            failures.append(f"metadossier {' '.join(argv)} → exit {proc.returncode}: {proc.stderr.strip()[-400:]}")
    assert failures == [], "\n".join(failures)
    assert any(r.startswith("ingest") for r in ran) and any(r.startswith("synthesize") for r in ran)
    assert (root / "synthese.md").exists() and (root / "preds.jsonl").exists() and (root / "x.csv").exists()
    after = subprocess.run(["git", "status", "--porcelain"], cwd=PROJECT_ROOT, capture_output=True, text=True).stdout
    assert after == before
