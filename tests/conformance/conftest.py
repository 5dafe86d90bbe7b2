"""Shared set-up of the conformance adapter: the binary under test and the tally.

The tally counts the suite's core cases only (not the translator's own unit tests) and
is printed as one line at the end of the run.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

# The adapter's modules sit beside this file.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from hydro_cli import hydro_binary  # noqa: E402

TALLY = pytest.StashKey[Counter]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[TALLY] = Counter()


@pytest.fixture(scope="session")
def hydro_bin() -> Path:
    """The `hydro` binary; fails every case with the same clear message if missing."""

    binary = hydro_binary()
    if not binary.is_file():
        pytest.fail(
            f"no hydro binary at {binary}: build it with "
            "`cargo build -p hydro-compiler --bin hydro` or set HYDRO_BIN",
            pytrace=False,
        )
    return binary


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Counter:
    """Counts of passed, failed and known-failure core cases."""

    return request.config.stash[TALLY]


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    counts = config.stash.get(TALLY, Counter())
    if not counts:
        return
    terminalreporter.write_line(
        f"datalog-conformance core cases: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['known']} known failures, {counts['fixed']} listed as failing but passing"
    )
