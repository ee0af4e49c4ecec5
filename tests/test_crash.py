"""kill -9, small: the bot process is killed while citizens write, and started again."""

from __future__ import annotations

from pathlib import Path

from tests.crash_drill import drill


async def test_kill_9_loses_nothing_and_repeats_at_most_what_was_in_flight(
    tmp_path: Path,
) -> None:
    result = await drill(tmp_path, citizens=8, kills=3, seed=12)
    print(result.summary())
    assert result.lost_updates == 0
    assert result.cases == {1: 8}  # one case each: none lost, none twice
    assert result.lost_replies == 0 and result.reordered == 0
    assert result.without_a_kill == 0
    assert result.worst_chat_per_kill <= 1  # at most the one message a chat had in flight
