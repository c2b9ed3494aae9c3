"""The README's Functional API example runs as written and prints what it says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.timeout(60)
def test_the_readme_functional_api_example_runs_its_cleanup_task(tmp_path: Path) -> None:
    section = README.read_text().split("## Functional API\n", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    script = tmp_path / "example.py"
    script.write_text(code.group(1))
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=50, check=True
    )
    assert out.stdout.strip() == "cancelled {'cleanup': 'cleaned up after 5'}"
