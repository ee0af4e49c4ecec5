"""kill -9 under load: the bot as a real process, killed at random moments while citizens
file complaints by Telegram webhook, and started again each time (tests/crash_drill.py).

Prints lost updates, cases per citizen, lost and reordered replies, and the replies sent
twice (attributed to the kill that cut them off: at most one per chat in flight).

    python -m bench.crash_bench            # 200 citizens, 10 kills
    python -m bench.crash_bench --small    # the CI run: 20 citizens, 2 kills
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from tests.crash_drill import drill


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--citizens", type=int, default=None)
    parser.add_argument("--kills", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    citizens = args.citizens or (20 if args.small else 200)
    kills = args.kills if args.kills is not None else (2 if args.small else 10)
    with tempfile.TemporaryDirectory() as folder:
        result = asyncio.run(drill(Path(folder), citizens, kills, args.seed))
    print(result.summary())
    ok = (
        result.lost_updates == 0
        and set(result.cases) == {1}
        and result.lost_replies == 0
        and result.without_a_kill == 0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
