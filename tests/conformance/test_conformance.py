"""The core cases of datalog-conformance (basic, recursion, negation, errors), run
through the `hydro` binary.

Each case is translated into a Hydro program (see `suite_translate`), run, and judged:
a case with `expect` must produce exactly the expected tuples for each predicate it
names (as sets); a case with `expect_error` must make `hydro check` and `hydro run`
exit 1 with the matching diagnostic code. A case that fails must be listed, with the
reason, in `known-failures.toml`; a listed case that passes fails the run too, so the
list stays honest.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from datalog_conformance import TestCase as SuiteCase
from datalog_conformance import get_tests_dir
from datalog_conformance.plugin import _load_multi_case_file

from hydro_cli import CaseFailure, check_errors, program_key, run_program
from suite_translate import TranslationError, translate

CORE_SUITES = ("basic", "recursion", "negation", "errors")
KNOWN_FAILURES_FILE = Path(__file__).with_name("known-failures.toml")


def core_cases() -> list[tuple[str, Any]]:
    """Every core case of the installed suite, with a readable test id.

    This is the suite's own discovery (`discover_yaml_tests`) with libyaml's loader: the
    pure-Python one needs minutes for the largest cases, which hold ~10^5 facts.
    """

    cases = []
    for suite in CORE_SUITES:
        root = get_tests_dir() / suite
        for path in sorted(root.rglob("*.yaml")):
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            if raw is None:
                continue
            found = (
                _load_multi_case_file(raw, path)
                if isinstance(raw, dict) and "tests" in raw
                else [SuiteCase.from_dict(raw)]
            )
            stem = path.relative_to(root).with_suffix("").as_posix()
            cases.extend((f"{suite}/{stem}::{case.name}", case) for case in found)
    return cases


def known_failures() -> dict[str, str]:
    """Case name to the reason it does not pass."""

    with KNOWN_FAILURES_FILE.open("rb") as file:
        return tomllib.load(file)


CASES = core_cases()
KNOWN = known_failures()
# One run per distinct program and facts: the cases of one file share their program.
_RUNS: dict[str, dict[str, set[tuple]] | CaseFailure] = {}


def evaluate(case: Any, binary: Path, scratch: Path) -> None:
    """Translates, runs and judges one case; raises `CaseFailure` on any difference."""

    try:
        translation = translate(case)
    except TranslationError as error:
        raise CaseFailure(f"translation: {error}") from error
    folder = scratch / program_key(translation)

    if translation.expected_codes is not None:
        check_errors(binary, translation, folder)
        return

    key = program_key(translation)
    if key not in _RUNS:
        try:
            _RUNS[key] = run_program(binary, translation, folder)
        except CaseFailure as failure:
            _RUNS[key] = failure
    outcome = _RUNS[key]
    if isinstance(outcome, CaseFailure):
        raise outcome

    for pred, expected in translation.expected.items():
        actual = outcome.get(pred, set())
        if actual != expected:
            missing = sorted(expected - actual, key=repr)
            extra = sorted(actual - expected, key=repr)
            raise CaseFailure(
                f"{pred}: {len(expected)} tuples expected, {len(actual)} produced; "
                f"missing {missing[:10]}{' ...' if len(missing) > 10 else ''}, "
                f"unexpected {extra[:10]}{' ...' if len(extra) > 10 else ''}"
            )


@pytest.mark.parametrize("case", [case for _, case in CASES], ids=[i for i, _ in CASES])
def test_core_case(
    case: Any, hydro_bin: Path, tally: Counter, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if case.skip:
        pytest.skip(f"the suite skips this case: {case.skip}")
    reason = KNOWN.get(case.name)
    scratch = tmp_path_factory.getbasetemp() / "cases"
    failure: CaseFailure | None = None
    try:
        evaluate(case, hydro_bin, scratch)
    except CaseFailure as error:
        failure = error
    if failure is not None and reason is None:
        tally["failed"] += 1
        pytest.fail(f"{case.name}: {failure}", pytrace=False)
    if failure is not None:
        tally["known"] += 1
        pytest.xfail(f"known failure: {reason}")
    if reason is not None:
        tally["fixed"] += 1
        pytest.fail(
            f"{case.name} is listed in known-failures.toml ({reason!r}) but passes: "
            "remove it from the list",
            pytrace=False,
        )
    tally["passed"] += 1


def test_known_failures_name_core_cases_with_reasons() -> None:
    names = {case.name for _, case in CASES}
    for name, reason in KNOWN.items():
        assert name in names, f"known-failures.toml lists {name!r}, not a core case"
        assert isinstance(reason, str) and reason.strip(), f"{name!r} needs a reason"


def test_the_core_suites_are_found() -> None:
    # 114 core cases in datalog-conformance 0.1.0; fewer means a broken install.
    assert len(CASES) == 114, [i for i, _ in CASES]
    assert len({case.name for _, case in CASES}) == len(CASES), "case names are unique"
