"""Time participation.budgets.tally against pabutools on real pabulib files.

    .venv/bin/python benchmarks/pb_tally.py /work/shared/pabulib/*.pb

For each file: parse it once with our parser and once with pabutools' (parsing is NOT timed),
then time the rules only, on the same parsed data, in the same process:

- greedy: ``tally.scores`` + ``tally.greedy`` vs ``pabutools.rules.greedy_utilitarian_welfare``
  (``Cost_Sat`` on approval files, i.e. greedy by number of approvals; on cumulative and
  ordinal files a satisfaction equal to score x cost, i.e. greedy by points / by k, k-1...,
  which is what the towns did);
- MES: ``tally.approval_sets`` + ``tally.method_of_equal_shares`` vs
  ``pabutools.rules.method_of_equal_shares(..., sat_class=Cost_Sat)`` (no completion).

Each side runs at least 5 times and until it has run 1 second in all, the two sides taking
turns so that they see the same load; the median is reported with the ratio pabutools / ours.
The selections must be identical (the script stops if not).
The machine is shared: compare ratios, not absolute times.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pabutools.election import AdditiveSatisfaction, Cost_Sat
from pabutools.election.pabulib import parse_pabulib_from_string
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

from participation.budgets import tally
from participation.budgets.pabulib import PabulibInstance, parse

MIN_SECONDS = 1.0
MIN_RUNS = 5


def measure(*functions, min_seconds: float = MIN_SECONDS, min_runs: int = MIN_RUNS):
    """[(median seconds, runs, last result)] per function. The functions run in turn (ours,
    pabutools, ours, ...) so that both see the same load; each runs at least ``min_runs``
    times and until it has run ``min_seconds`` in all."""
    times: list[list[float]] = [[] for _ in functions]
    results: list[object] = [None] * len(functions)
    while True:
        pending = [
            i for i, spent in enumerate(times) if len(spent) < min_runs or sum(spent) < min_seconds
        ]
        if not pending:
            break
        for i in pending:
            before = time.perf_counter()
            results[i] = functions[i]()
            times[i].append(time.perf_counter() - before)
    return [
        (statistics.median(spent), len(spent), result)
        for spent, result in zip(times, results, strict=True)
    ]


def score_sat_class(instance: PabulibInstance):
    """pabutools satisfaction whose greedy density (satisfaction / cost) is our score."""
    if instance.vote_type == "approval":
        return Cost_Sat
    k = int(instance.meta.get("max_length") or max(len(v.projects) for v in instance.votes))
    ordinal = instance.vote_type == "ordinal"

    def func(_instance, _profile, ballot, project, _precomputed):
        if ordinal:
            value = k - ballot.position(project) if project in ballot else 0
        else:
            value = ballot.get(project, 0)
        return value * project.cost

    class ScoreSat(AdditiveSatisfaction):
        def __init__(self, inst, profile, ballot):
            super().__init__(inst, profile, ballot, func)

    return ScoreSat


def bench_file(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    ours = parse(text, source=path.name)  # parsed once, outside the timings
    reference, profile = parse_pabulib_from_string(text)
    costs, budget = ours.costs, ours.budget
    sat = score_sat_class(ours)

    def our_greedy():
        return tally.greedy(costs, tally.scores(ours), budget)

    def their_greedy():
        return [p.name for p in greedy_utilitarian_welfare(reference, profile, sat_class=sat)]

    def our_mes():
        return tally.method_of_equal_shares(costs, tally.approval_sets(ours), budget)

    def their_mes():
        return [p.name for p in method_of_equal_shares(reference, profile, sat_class=Cost_Sat)]

    rows = []
    for rule, mine, theirs in (("greedy", our_greedy, their_greedy), ("MES", our_mes, their_mes)):
        (our_time, our_runs, our_result), (their_time, their_runs, their_result) = measure(
            mine, theirs
        )
        if our_result != their_result:
            raise SystemExit(
                f"{path.name} {rule}: selections differ\n ours:      {our_result}\n"
                f" pabutools: {their_result}"
            )
        rows.append(
            {
                "file": path.name,
                "type": ours.vote_type,
                "ballots": len(ours.votes),
                "projects": len(ours.projects),
                "rule": rule,
                "ours": our_time,
                "our_runs": our_runs,
                "theirs": their_time,
                "their_runs": their_runs,
                "ratio": their_time / our_time,
                "selected": len(our_result),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path, help="pabulib .pb files")
    args = parser.parse_args(argv)

    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"# {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, load average {load}")
    print(f"# {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; rules only, parsing untimed")
    print()
    columns = ("file", "ballots × projects", "rule", "ours (median)", "pabutools (median)")
    print("| " + " | ".join((*columns, "ratio", "same selection")) + " |")
    print("|---|---|---|---|---|---|---|")
    all_rows = []
    for path in args.files:
        for row in bench_file(path):
            all_rows.append(row)
            print(
                f"| {row['file']} ({row['type']}) | {row['ballots']} × {row['projects']} "
                f"| {row['rule']} | {row['ours'] * 1000:.2f} ms ({row['our_runs']} runs) "
                f"| {row['theirs'] * 1000:.1f} ms ({row['their_runs']} runs) "
                f"| **{row['ratio']:.0f}×** | yes ({row['selected']} projects) |",
                flush=True,
            )
    for rule in ("greedy", "MES"):
        ratios = [row["ratio"] for row in all_rows if row["rule"] == rule]
        print(
            f"\n{rule}: ratio min {min(ratios):.0f}×, "
            f"geometric mean {statistics.geometric_mean(ratios):.0f}×",
            end="",
        )
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
