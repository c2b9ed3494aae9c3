"""What the journal and ``dump_event`` store for values JSON cannot hold, and reading back
JSON that a damaged or crafted journal row holds.

Storing: pydantic's JSON mode first (models, dataclasses, datetimes, enums, UUIDs, message
types). A value it cannot serialise is stored as a *marker*, never dropped and never an
exception that would lose the run's events: ``{"$unserialisable": <text>, "type": <type>}``
where the text is the value's ``repr`` (a custom object), its base64 (bytes that are not
UTF-8), the string with its lone surrogates escaped, or the size of an integer too long to
read back (over Python's 4,300-digit conversion limit). Everything JSON can hold is stored as
it is; only the unserialisable part of a state becomes a marker.

Reading: ``loads`` parses JSON, and raises ``ValueError`` naming the problem (not JSON,
nested too deeply) for a row that cannot be read; an integer over the digit limit reads
back as a marker.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import math
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, TypeAdapter

MARKER = "$unserialisable"
"""The key of a marker dict: a value that JSON could not hold, described."""

MAX_DEPTH = 200
"""Containers nested deeper than this are stored as a marker, when pydantic cannot store
the value itself (a cycle; over pydantic's own limit): a value must not exhaust a reader's
stack."""

_ANY: TypeAdapter[Any] = TypeAdapter(Any)


def marker(text: str, kind: str) -> dict[str, str]:
    """The stored form of a value JSON cannot hold."""
    return {MARKER: text, "type": kind}


def jsonable(value: Any, depth: int = 0) -> Any:
    """``value`` as plain JSON data, with a marker for each part JSON cannot hold."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        try:
            str(value)
        except ValueError:  # over sys.get_int_max_str_digits()
            return marker(f"an integer of {value.bit_length()} bits", "int")
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None  # as pydantic's JSON mode does
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate
            return marker(value.encode("utf-8", "backslashreplace").decode("ascii"), "str")
        return value
    if isinstance(value, bytes | bytearray):
        try:
            return bytes(value).decode("utf-8")  # pydantic's JSON form of bytes
        except UnicodeDecodeError:
            return marker(base64.b64encode(value).decode("ascii"), "bytes (base64)")
    if depth >= MAX_DEPTH:
        return marker(f"nested deeper than {MAX_DEPTH} levels", type(value).__name__)
    if isinstance(value, Mapping):
        return {_key(k): jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v, depth + 1) for v in value]
    if isinstance(value, BaseModel):
        names = type(value).model_fields
        return {n: jsonable(getattr(value, n, None), depth + 1) for n in names}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: jsonable(getattr(value, f.name, None), depth + 1)
            for f in dataclasses.fields(value)
        }
    try:
        return _ANY.dump_python(value, mode="json")
    except Exception:  # anything pydantic cannot serialise gets a marker
        return marker(_repr(value), f"{type(value).__module__}.{type(value).__qualname__}")


def dump_json(adapter: TypeAdapter[Any], obj: Any, **kw: Any) -> bytes:
    """``adapter.dump_json(obj)``; if that fails, the same object with markers."""
    try:
        return adapter.dump_json(obj, **kw)
    except Exception:  # a value pydantic cannot serialise
        data = jsonable(obj)
        for name in kw.get("exclude") or ():
            data.pop(name, None)
        return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _key(key: Any) -> str:
    if isinstance(key, str):
        safe = jsonable(key)
        return safe if isinstance(safe, str) else _repr(key)
    if isinstance(key, bool | int | float) or key is None:
        return json.dumps(key)
    return _repr(key)


def _repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception as exc:  # a repr that raises still gets a marker
        text = f"<{type(value).__qualname__} whose repr raised {type(exc).__name__}>"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")[:2000]


def _big_int(digits: str) -> Any:
    try:
        return int(digits)
    except ValueError:
        return marker(f"an integer of {len(digits)} digits", "int")


READ_DEPTH = 300
"""Rows nested deeper than this are damaged: the readers (the CLI's printer, the window's
state tree) recurse over values, and whether ``json`` itself can parse a deep row depends on
the Python version (3.13 reads 5,000 levels, 3.11 fails near 1,000). Above what graphstage
writes: pydantic serialises a value up to 254 levels, ``jsonable`` to ``MAX_DEPTH`` and a
marker, and a row wraps the value in a few more (an event's ``update``, a checkpoint's
pending writes). A row written deeper than this would be read back as damaged: a paused
thread's checkpoint with nothing next, a run's last events dropped."""


def loads(text: str | bytes) -> Any:
    """Parse a journal row's JSON; ``ValueError`` naming the problem if it cannot be."""
    value = _parse(text)
    # nesting deeper than READ_DEPTH needs more than READ_DEPTH opening brackets: count them
    # (at C speed) before walking the value, so an ordinary row is never walked
    if isinstance(text, bytes):
        brackets = text.count(b"[") + text.count(b"{")
    else:
        brackets = text.count("[") + text.count("{")
    if brackets > READ_DEPTH and _deeper_than(value, READ_DEPTH):
        raise ValueError(f"JSON nested too deeply (over {READ_DEPTH} levels)")
    return value


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether ``value`` nests lists/dicts more than ``limit`` levels (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        elif not isinstance(item, list):
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in item if isinstance(child, dict | list))
    return False


def _parse(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg} at column {exc.colno})") from None
    except ValueError:  # an integer over the digit limit: read it as a marker
        try:
            return json.loads(text, parse_int=_big_int)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
    except TypeError as exc:
        raise ValueError(f"not JSON text ({exc})") from None
