"""The CLI's input: ``--input`` and ``--config`` JSON (or @FILE) parsed and checked, unknown
state keys refused, specs made absolute, and text made safe for a terminal. Imports no Qt.

``UsageError`` lives here, the lowest of the CLI's modules, so that every other one can
raise it without an import cycle; ``graphstage.app.cli`` re-exports it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from graphstage import CompiledGraph
from graphstage.app.loader import expanded, split_spec


class UsageError(Exception):
    """Bad usage or input: printed as one line on stderr, exit code 2."""


MAX_JSON_BYTES = 64 * 2**20
"""The most ``--input @FILE`` / ``--config @FILE`` reads (a device like /dev/zero never
ends; reading it whole would exhaust memory)."""


def _parse_config(ns: argparse.Namespace) -> dict[str, Any] | None:
    """``--config`` (a JSON object or @FILE) with ``--recursion-limit`` laid over it."""
    config: dict[str, Any] = {}
    if ns.config is not None:
        config = _parse_json_object(ns.config, "--config", '{"recursion_limit": 100}')
    if ns.recursion_limit is not None:
        if ns.recursion_limit < 1:
            raise UsageError(f"--recursion-limit must be at least 1, got {ns.recursion_limit}")
        config["recursion_limit"] = ns.recursion_limit
    if not isinstance(config.get("configurable", {}), dict):
        got = type(config["configurable"]).__name__
        raise UsageError(f"--config: configurable must be a JSON object, got {got}")
    if getattr(ns, "thread", None) == "":
        raise UsageError("--thread: an empty thread id; name the thread, or leave --thread out")
    limit = config.get("recursion_limit", 25)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
        raise UsageError(f"--config: recursion_limit must be a whole number >= 1, got {limit!r}")
    return config or None


def _parse_input(text: str | None, *, any_value: bool = False) -> Any:
    """The ``--input`` JSON (or ``@file``) as an object; ``UsageError`` if it is not one
    (``any_value``: any JSON value, an entrypoint's argument)."""
    if text is None:
        return None
    return _parse_json_object(text, "--input", '{"sleep_seconds": 5}', any_value=any_value)


def _parse_json_object(text: str, option: str, example: str, *, any_value: bool = False) -> Any:
    """``text`` (or the file named by ``@FILE``) as a JSON object, or a ``UsageError``."""
    where = option
    if text.startswith("@"):
        where = text[1:]
        try:
            # bounded: @/dev/zero or @/dev/urandom never end (a pipe, @/dev/stdin, is fine)
            with expanded(Path(where)).open("rb") as file:
                data = file.read(MAX_JSON_BYTES + 1)
            if len(data) > MAX_JSON_BYTES:
                raise UsageError(
                    f"{option} {_safe(text)}: over {MAX_JSON_BYTES // 2**20} MiB; is it the "
                    f"file you meant?"
                )
            text = data.decode("utf-8")
        except OSError as exc:
            raise UsageError(f"{option} {_safe(text)}: cannot read it: {exc.strerror}") from None
        except UnicodeDecodeError as exc:
            raise UsageError(
                f"{option} {_safe(text)}: not UTF-8 text (byte {exc.start}); save it as UTF-8"
            ) from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{where} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}; "
            f"write it as a JSON object, e.g. '{example}'"
        ) from None
    except RecursionError:
        raise UsageError(f"{_safe(where)}: JSON nested too deeply") from None
    except ValueError as exc:  # an integer over Python's 4300-digit conversion limit
        raise UsageError(f"{_safe(where)}: {exc}") from None
    try:  # a lone surrogate (from a \ud800 escape, or non-UTF-8 bytes in argv) cannot be
        # stored or printed: say so now, not as a traceback from the journal
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UsageError(
            f"{_safe(where)}: text that is not valid Unicode ({exc.reason}); remove the lone "
            f"surrogate escape"
        ) from None
    except (RecursionError, ValueError):
        raise UsageError(f"{_safe(where)}: JSON nested too deeply") from None
    if not isinstance(value, dict) and not any_value:
        got = "null" if value is None else f"{type(value).__name__} {_safe(text.strip()[:40])}"
        raise UsageError(f"{where} must be a JSON object, got {got}")
    return value


def _reject_unknown_keys(graph: CompiledGraph, inp: dict[str, Any] | None) -> None:
    """A pydantic state ignores unknown fields; on the command line one is a typo
    (``dryrun`` for ``dry_run``) that would run with the default: refuse it."""
    model = graph.state_schema
    if not inp or not (isinstance(model, type) and issubclass(model, BaseModel)):
        return  # TypedDict and dataclass states reject unknown keys themselves
    known = set(model.model_fields) | {
        f.alias for f in model.model_fields.values() if f.alias is not None
    }
    unknown = [k for k in inp if k not in known]
    if unknown:
        raise UsageError(
            f"--input: unknown field(s) {', '.join(map(repr, unknown))} for "
            f"{model.__name__}; its fields are {', '.join(model.model_fields) or '(none)'}"
        )


def _describe_validation(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "input"
        got = f" (got {err['input']!r})" if "input" in err and err["type"] != "missing" else ""
        parts.append(f"{loc}: {err['msg']}{got}")
    return f"invalid input for {exc.title}: " + "; ".join(parts)


def _absolute_spec(spec: str) -> str:
    """A file spec with an absolute path, so a resume from elsewhere finds it again."""
    target, attr = split_spec(spec.strip())
    if target.endswith(".py") or "/" in target or "\\" in target:
        target = str(expanded(Path(target)).resolve())
    return f"{target}:{attr}"


def _safe(text: str, keep: str = "") -> str:
    """``text`` fit for a terminal: control characters (but those in ``keep``) and lone
    surrogates escaped, so a journal or an argument cannot drive the terminal."""
    if text.isprintable():
        return text
    return "".join(
        ch
        if (ch.isprintable() or ch in keep) and not 0xD800 <= ord(ch) <= 0xDFFF
        else ch.encode("unicode_escape", "backslashreplace").decode("ascii")
        for ch in text
    )
