"""Running translated cases through the `hydro` binary and reading what it wrote.

A positive case is written out as `program.hydro` plus a facts folder, run with
`hydro run program.hydro -F facts -D out`, and judged on the `<output>.csv` files. An
error case is run through both `hydro check` and `hydro run`; each must exit 1 and name
one of the expected diagnostic codes.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from pathlib import Path
from typing import Any

from suite_translate import Relation, Translation

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BINARY = REPO_ROOT / "target" / "debug" / "hydro"
# The largest cases (hundreds of thousands of facts) must finish in a debug build.
TIMEOUT_SECONDS = 600
_CODE = re.compile(r"\bE\d{4}\b")


class CaseFailure(AssertionError):
    """A case whose run or result differs from what the suite expects."""


def hydro_binary() -> Path:
    """The binary under test: `$HYDRO_BIN`, else the workspace's debug build."""

    configured = os.environ.get("HYDRO_BIN")
    return Path(configured) if configured else DEFAULT_BINARY


def write_case(translation: Translation, folder: Path) -> Path:
    """Writes the program and its facts files; returns the program's path."""

    facts = folder / "facts"
    facts.mkdir(parents=True, exist_ok=True)
    for name, text in translation.facts.items():
        (facts / name).write_text(text, encoding="utf-8")
    program = folder / "program.hydro"
    program.write_text(translation.program, encoding="utf-8")
    return program


def program_key(translation: Translation) -> str:
    """A digest of everything a run depends on: cases of one file share their run."""

    digest = hashlib.sha256(translation.program.encode())
    for name in sorted(translation.facts):
        digest.update(name.encode() + b"\0" + translation.facts[name].encode() + b"\0")
    return digest.hexdigest()[:16]


def run_program(binary: Path, translation: Translation, folder: Path) -> dict[str, set[tuple]]:
    """Runs a positive case; returns each output relation's tuples by suite predicate."""

    program = write_case(translation, folder)
    out = folder / "out"
    out.mkdir(exist_ok=True)
    args = ["run", str(program), "-F", str(folder / "facts"), "-D", str(out)]
    result = _invoke(binary, args)
    if result.returncode != 0:
        raise CaseFailure(
            f"`hydro run` exited {result.returncode}:\n{result.stderr.strip()}"
            f"\n--- program ---\n{_excerpt(translation.program)}"
        )
    return {
        pred: read_relation(out / f"{relation.name}.csv", relation)
        for pred, relation in translation.outputs.items()
    }


def check_errors(binary: Path, translation: Translation, folder: Path) -> str:
    """Runs an error case through `check` and `run`; returns a description of the codes.

    Raises `CaseFailure` unless both commands exit 1 naming an expected code.
    """

    assert translation.expected_codes is not None
    program = write_case(translation, folder)
    out = folder / "out"
    out.mkdir(exist_ok=True)
    found: list[str] = []
    for args in (
        ["check", str(program)],
        ["run", str(program), "-F", str(folder / "facts"), "-D", str(out)],
    ):
        result = _invoke(binary, args)
        codes = sorted(set(_CODE.findall(result.stderr + result.stdout)))
        wanted = sorted(translation.expected_codes)
        if result.returncode != 1 or not set(codes) & translation.expected_codes:
            raise CaseFailure(
                f"`hydro {args[0]}` should exit 1 with one of {wanted}; it exited "
                f"{result.returncode} with codes {codes}:\n{result.stderr.strip()}"
                f"\n--- program ---\n{_excerpt(translation.program)}"
            )
        found.append(f"{args[0]}: {', '.join(codes)}")
    return "; ".join(found)


def read_relation(path: Path, relation: Relation) -> set[tuple]:
    """Reads a tab-separated output file written by `hydro run`."""

    if not path.exists():
        raise CaseFailure(f"`hydro run` wrote no {path.name}")
    rows: set[tuple] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        cells = line.split("\t") if relation.types else []
        if relation.types and len(cells) != len(relation.types):
            raise CaseFailure(f"{path.name}:{number}: {len(cells)} columns in {line!r}")
        try:
            rows.add(tuple(parse_cell(c, ty) for c, ty in zip(cells, relation.types, strict=True)))
        except ValueError as error:
            raise CaseFailure(f"{path.name}:{number}: {error}") from error
    return rows


def parse_cell(text: str, ty: str) -> Any:
    """One cell of an output file as the Python value of its column type."""

    if ty in ("i64", "u64"):
        return int(text)
    if ty == "f64":
        return float(text)
    if ty == "bool":
        if text not in ("true", "false"):
            raise ValueError(f"not a bool: {text!r}")
        return text == "true"
    return text


def _invoke(binary: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [str(binary), *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise CaseFailure(f"`hydro {args[0]}` did not finish in {TIMEOUT_SECONDS} s") from error


def _excerpt(program: str, limit: int = 60) -> str:
    lines = program.splitlines()
    if len(lines) <= limit:
        return program
    return "\n".join(lines[:limit] + [f"... ({len(lines) - limit} more lines)"])
