"""Shared test set-up. Async tests are marked ``pytest.mark.anyio`` (module ``pytestmark``)
and run on asyncio, the loop graphstage targets."""

from __future__ import annotations

import pytest


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
