"""The stop ladder's rules, checked on the pure state machine the supervisor drives."""

from __future__ import annotations

import pytest

from graphstage._ladder import Ladder


@pytest.mark.parametrize(
    ("asks", "modes", "final"),
    [
        ([False], ["graceful"], "graceful"),
        ([True], ["drain"], "drain"),
        ([True, True], ["drain", None], "drain"),  # a second drain changes nothing
        ([True, False], ["drain", "graceful"], "graceful"),  # a drain is upgraded
        ([False, True], ["graceful", None], "graceful"),  # never downgraded
        ([False, False], ["graceful", None], "graceful"),
    ],
)
def test_stop_modes(asks: list[bool], modes: list[str | None], final: str) -> None:
    ladder = Ladder()
    assert [ladder.ask(drain) for drain in asks] == modes
    assert ladder.mode == final
    assert ladder.shielded  # nodes started after any stop are shielded


def test_who_gets_a_cancel() -> None:
    ladder = Ladder()
    assert not ladder.cancels(shielded=False, told=False)  # no stop yet
    ladder.ask(drain=True)
    assert not ladder.cancels(shielded=False, told=False)  # a drain interrupts nothing
    ladder.ask(drain=False)
    assert ladder.cancels(shielded=False, told=False)
    assert not ladder.cancels(shielded=False, told=True)  # once only
    assert not ladder.cancels(shielded=True, told=False)  # cleanup is shielded


@pytest.mark.parametrize(
    ("ask", "kill", "escalated", "goes_on", "paused", "status"),
    [
        (None, False, False, False, False, "completed"),
        (None, False, False, False, True, "paused"),
        (False, False, False, False, False, "cancelled"),
        (True, False, False, False, True, "cancelled"),  # a stop wins over a pause
        (False, False, True, False, False, "killed"),  # escalated with no route
        (False, False, True, True, False, "cancelled"),  # ... but the run went on
        (None, True, False, False, False, "killed"),
        (False, True, False, False, False, "killed"),
    ],
)
def test_final_status(
    ask: bool | None, kill: bool, escalated: bool, goes_on: bool, paused: bool, status: str
) -> None:
    ladder = Ladder()
    if ask is not None:
        ladder.ask(drain=ask)
    if kill:
        assert ladder.kill() and not ladder.kill()  # the first kill counts, once
    ladder.routed(escalated, goes_on=goes_on)
    assert ladder.status(paused=paused) == status


def test_a_cancellation_from_outside_stops_first_then_kills() -> None:
    ladder = Ladder()
    assert ladder.outside_cancel() == "stop"
    ladder.ask(drain=True)
    assert ladder.outside_cancel() == "stop"  # a drain is upgraded by it
    ladder.ask(drain=False)
    assert ladder.outside_cancel() == "kill"
