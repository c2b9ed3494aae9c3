"""Hypothesis profiles for the fuzz suite, and this folder's helpers on ``sys.path``.

``ci`` (the default) is reproducible and fits the whole fuzz suite in well under three
minutes on a 2-core machine; ``HYPOTHESIS_PROFILE=long`` soaks locally:

    HYPOTHESIS_PROFILE=long python -m pytest tests/fuzz -q
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from graphstage import Journal

# pytest runs with --import-mode=importlib, which puts no test folder on sys.path: make
# this folder's ladder_oracle importable by the test modules.
sys.path.insert(0, str(Path(__file__).resolve().parent))

_COMMON = {
    # runs are timed by the runtime's own clocks (cancel_grace), not by hypothesis
    "deadline": None,
    # every example really runs a graph on the event loop: tens of ms each is expected;
    # the journal fixture is shared by all examples of a test on purpose (one run id each)
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
}

settings.register_profile(
    "ci",
    max_examples=150,  # per property test; 3 property tests -> 450 examples
    derandomize=True,  # the same examples on every CI run
    database=None,
    print_blob=True,
    **_COMMON,
)
settings.register_profile("long", max_examples=3000, **_COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A soak profile runs far past pytest-timeout's 120 s a test: lift it there."""
    if PROFILE == "ci":
        return
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.timeout(0))


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    """A journal on a temp file (WAL, as in production), closed after the test."""
    with Journal(tmp_path / "fuzz.sqlite3") as j:
        yield j
