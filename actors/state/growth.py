"""Lists that grow in place: ``operator.add`` on a list field without copying the list.

``old + new`` copies the whole list, so a conversation that appends one message a step would
cost O(messages) every step. The run keeps one private state; a list field reduced by
``operator.add`` is extended in place as long as the run holds the only reference to the
list. A node, a path function or a caller that kept the list (or a state holding it) makes
the run copy it once into a list of its own, so nobody ever sees a list they hold change.
"""

from __future__ import annotations

import operator
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, get_args, get_origin

from .fields import MISSING

Check = Callable[[str, Any, str], Any]
"""``check(field, items, node)``: the items validated (or raises ``InvalidUpdateError``)."""


def appendable(reducers: Mapping[str, Any], types: Mapping[str, Any]) -> frozenset[str]:
    """The fields reduced by ``operator.add`` whose type is a list with no constraint on
    the whole list (a maximum length, say, that the new items alone could not check)."""
    out = set()
    for name, reducer in reducers.items():
        if reducer is not operator.add:
            continue
        tp = types[name]
        if get_origin(tp) is Annotated:
            base, *meta = get_args(tp)
            if any(m is not reducer for m in meta):
                continue
            tp = base
        if tp is list or get_origin(tp) is list:
            out.add(name)
    return frozenset(out)


def split_appends(
    fields: frozenset[str],
    current: Callable[[str], Any],
    updates: Sequence[tuple[str, Mapping[str, Any]]],
    check: Check | None,
) -> tuple[dict[str, list[Any]], list[tuple[str, Mapping[str, Any]]]]:
    """Take the plain list writes to ``fields`` out of a step's updates.

    Returns field -> the items to append (in update order), and the updates left for the
    channels. A field is left to its channel for the whole step if
    it has no list value yet, or if any write to it is not a plain list (an ``Overwrite``, a
    tuple...), so the reducer's own rules and errors apply unchanged.
    """
    # one pass to find the fields every write of this step gives a plain list, one to
    # move them: a fan-out of W updates costs O(W), and an update that only appends (the
    # usual Send's) leaves nothing behind for the channels
    seen: dict[str, bool] = {}  # field -> every write so far is a plain list
    for _, update in updates:
        for field in update:
            if field in fields:
                seen[field] = seen.get(field, True) and type(update[field]) is list
    touched = {f for f, lists in seen.items() if lists and type(current(f)) is list}
    if not touched:
        return {}, list(updates)
    # in the order the fields were first written (the step's delta shows them so)
    appends: dict[str, list[Any]] = {f: [] for f in seen if f in touched}
    rest: list[tuple[str, Mapping[str, Any]]] = []
    for node, update in updates:
        other = False
        for field, items in update.items():
            if field in touched:
                appends[field].extend(items if check is None else check(field, items, node))
            else:
                other = True
        if other:
            rest.append((node, {k: v for k, v in update.items() if k not in touched}))
    return appends, rest


def extend(values: dict[str, Any], field: str, items: list[Any], probe: bool = False) -> int:
    """``values[field] += items``: in place if ``values`` holds the only reference to the
    list (nobody else can see it change), else into a new list that the run then owns."""
    lst = values[field]
    refs = sys.getrefcount(lst)
    if probe:
        return refs
    if refs <= _SOLE:
        lst.extend(items)
    else:
        values[field] = lst + items
    return refs


# the reference count ``extend`` sees for a list only its dict holds: calibrated, not
# hard-coded (it differs between Python versions)
_SOLE = extend({"x": []}, "x", [], probe=True)


def own_lists(values: dict[str, Any], fields: frozenset[str]) -> None:
    """Give ``values`` lists of its own for ``fields`` (a run's state, from its input)."""
    for field in fields:
        value = values.get(field, MISSING)
        if type(value) is list:
            values[field] = list(value)
