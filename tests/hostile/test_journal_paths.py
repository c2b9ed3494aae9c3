"""Journal paths that cannot be: each is one ``JournalError`` (the CLI's one line, exit 2)
naming the path and the problem, never an ``OSError`` traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graphstage import Journal, JournalError, SqliteSaver


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("x" * 300 + ".sqlite3", "File name too long"),
        ("a_file/j.sqlite3", "a_file is a file, not a directory"),
        ("a_file/", "ends with a slash; name a file, not a folder"),
    ],
    ids=["too_long", "through_a_file", "trailing_slash"],
)
@pytest.mark.parametrize("opener", [Journal, SqliteSaver])
def test_a_journal_path_that_cannot_be_is_a_journal_error(
    tmp_path: Path, name: str, says: str, opener: Any
) -> None:
    (tmp_path / "a_file").write_text("not a folder")
    with pytest.raises(JournalError, match=says):
        opener(f"{tmp_path}/{name}")  # as typed (pathlib would drop a trailing slash)


def test_the_cli_says_a_journal_path_is_too_long_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from graphstage.app.cli import main

    assert main(["runs", "--db", str(tmp_path / ("x" * 300))]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and "File name too long" in err


@pytest.mark.parametrize("path", [object(), b"j.sqlite3", 3])
def test_a_journal_path_that_is_not_a_path_is_a_type_error(path: Any) -> None:
    with pytest.raises(TypeError, match="a journal's path is a str or a path"):
        Journal(path)
