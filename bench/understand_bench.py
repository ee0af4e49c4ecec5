"""How well the bot understands what citizens type, on the labelled corpus (tests/corpus/):
accuracy per step and per label, wrong routes at the menu, and the time one reading takes.

    python -m bench.understand_bench                     # the first held-out part
    python -m bench.understand_bench --corpus heldout2   # the second, written after the rules
    python -m bench.understand_bench --corpus tune       # (or second … eighth): tuning parts
    python -m bench.understand_bench --misses        # list what was not understood
    python -m bench.understand_bench --small         # the CI run: a quick timing
"""

from __future__ import annotations

import argparse
import statistics
import time

from tests.understanding_corpus import agency, predict, reader_for, rows, score


def main() -> None:
    parser = argparse.ArgumentParser()
    parts = ("heldout", "heldout2", "tune", "second", "third", "fourth", "fifth", "sixth")
    parts += ("seventh", "eighth")
    parser.add_argument("--corpus", default="heldout", choices=parts)
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--small", action="store_true")
    args = parser.parse_args()
    the_agency = agency()
    reader = reader_for(the_agency)
    corpus = rows(args.corpus)
    result = score(reader, the_agency, corpus)
    print(f"corpus {args.corpus}: {len(corpus)} messages")
    print(f"{'step':16} {'right':>5} / {'all':>4}  accuracy")
    for step in result.total:
        print(
            f"{step:16} {result.right[step]:5} / {result.total[step]:4}  "
            f"{result.accuracy(step):6.1%}"
        )
        labels = sorted({k.rsplit(" ", 1)[0] for k in result.by_label[step]})
        for label in labels:
            total = result.by_label[step][f"{label} total"]
            right = result.by_label[step][f"{label} right"]
            print(f"    {label:24} {right:3} / {total:3}")
    print(
        f"{'all':16} {sum(result.right.values()):5} / {sum(result.total.values()):4}  "
        f"{result.accuracy():6.1%}"
    )
    share = result.wrong_routes / result.services if result.services else 0.0
    print(
        f"wrong routes at the menu (sure, and the wrong service): {result.wrong_routes} "
        f"of {result.services} ({share:.1%})"
    )
    print(
        f"menu messages that get one short question first (not sure): {result.asked} "
        f"of {result.services}"
    )
    repeat = 3 if args.small else 30
    timings = []
    for _ in range(repeat):
        reader.normalise.forget()  # cold caches: the slower case
        for row in corpus:
            started = time.perf_counter()
            predict(reader, the_agency, row["step"], row["text"])
            timings.append(time.perf_counter() - started)
    timings.sort()
    print(
        f"time per reading: median {statistics.median(timings) * 1e3:.3f} ms, "
        f"p99 {timings[int(len(timings) * 0.99)] * 1e3:.3f} ms, "
        f"max {timings[-1] * 1e3:.3f} ms ({len(timings)} readings, cold word cache)"
    )
    if args.misses:
        for step, label, got, text in result.misses:
            print(f"MISS {step:12} want {label:18} got {got:18} {text}")


if __name__ == "__main__":
    main()
