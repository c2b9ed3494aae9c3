"""The README's astream_events example runs as written and prints what it says."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("langchain_core", reason="needs pip install -e '.[messages]'")


@pytest.mark.timeout(60)
def test_the_readme_example_runs_and_prints_the_tokens_then_the_output(tmp_path: Any) -> None:
    import re
    import subprocess
    import sys
    from pathlib import Path

    readme = Path(__file__).resolve().parents[2] / "README.md"
    section = readme.read_text().split("### LangChain's event stream (astream_events)\n", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    script = tmp_path / "example.py"
    script.write_text(code.group(1))
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=50, check=True
    )
    assert out.stdout.splitlines() == [
        "Why| |did| |the| |cat| |sit| |there?|",
        "final: {'topic': 'cats', 'joke': 'Why did the cat sit there?'}",
    ]
