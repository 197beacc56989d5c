"""Lighthouse mobile scores of a demo town's pages, against the goal of 95 in each category.

    .venv/bin/python benchmarks/lighthouse.py [--town montigny] [--runs 3] [--reports DIR]

Seeds the demo (``seed_demo``) in a database of its own, ``agora_bench_lighthouse``, created
fresh and dropped at the end (its cache keys live in Redis database 14 and are deleted too),
and serves it with gunicorn (2 sync workers, 127.0.0.1, ``DEBUG=False``; static files through
Django's staticfiles view where production has nginx): see ``benchmarks/demo_site.py``.

npm's ``lighthouse@12.2.3`` (installed on first use under ``var/lighthouse/`` with
``npm install --prefix``, never globally) drives Debian's Chromium (``CHROME_PATH``, headless)
with its defaults: mobile emulation and simulated throttling. Pages: the home, the consultation
space, its survey and a budget ballot (signed in as the town's demo resident: the session
cookie goes through ``--extra-headers``) and a results page (a budget's published results, or
else the survey's, seen by the town's administrator). Each page is measured ``--runs`` times,
the pages taking turns so that a change of the machine's load weighs on all of them alike.

Prints the median of the four category scores per page (and each run's), marks those below 95,
lists the audits that cost points on each page, and exits with status 1 when a goal is missed
or a page is missing from the demo.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.demo_site import DemoSite, DemoTown, demo_site  # noqa: E402
from benchmarks.support import say  # noqa: E402

LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_PREFIX = ROOT / "var" / "lighthouse"
LIGHTHOUSE_BIN = LIGHTHOUSE_PREFIX / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --lang=fr-FR"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
GOAL = 95
ATTEMPTS = 3
PAGES = ("home", "space", "survey", "ballot", "results")


def lighthouse_ready() -> Path:
    """The pinned lighthouse, installed under var/ on first use."""
    installed = LIGHTHOUSE_PREFIX / "node_modules" / "lighthouse" / "package.json"
    if not installed.exists() or json.loads(installed.read_text())["version"] != LIGHTHOUSE_VERSION:
        say(f"npm install --prefix {LIGHTHOUSE_PREFIX} lighthouse@{LIGHTHOUSE_VERSION}")
        LIGHTHOUSE_PREFIX.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(LIGHTHOUSE_PREFIX), "--no-audit", "--no-fund",
             f"lighthouse@{LIGHTHOUSE_VERSION}"],
            check=True,
            stdout=sys.stderr,
        )  # fmt: skip
    return LIGHTHOUSE_BIN


def measure(lighthouse: Path, url: str, headers: dict[str, str], report: Path) -> dict:
    """One lighthouse run: its JSON report (also written to ``report``). Lighthouse sometimes
    loses the trace of a page load on a loaded machine (NO_NAVSTART...): up to 3 attempts."""
    command = [
        str(lighthouse),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--extra-headers={json.dumps(headers)}",
    ]
    environ = {**os.environ, "CHROME_PATH": CHROMIUM}
    for attempt in range(1, ATTEMPTS + 1):
        report.unlink(missing_ok=True)
        done = subprocess.run(command, env=environ, capture_output=True, text=True, timeout=300)
        if done.returncode == 0 and report.exists():
            result = json.loads(report.read_text())
            if not result.get("runtimeError"):
                return result
            error = result["runtimeError"]
        else:
            error = f"status {done.returncode}: {done.stderr[-2000:]}"
        say(f"lighthouse {url}, attempt {attempt}/{ATTEMPTS}: {error}")
    raise RuntimeError(f"lighthouse {url} failed {ATTEMPTS} times")


def scores(result: dict) -> dict[str, int]:
    return {key: round(result["categories"][key]["score"] * 100) for key in CATEGORIES}


def losses(result: dict) -> dict[str, str]:
    """The audits that cost a category points ("category: audit" -> its value, if any):
    weighted audits not passed (for performance, its metrics scored below 0.9)."""
    found = {}
    for key in CATEGORIES:
        for ref in result["categories"][key]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            score = audit.get("score")
            if not ref.get("weight") or score is None:
                continue
            if (key == "performance" and score < 0.9) or (key != "performance" and score < 1):
                found[f"{key}: {ref['id']}"] = audit.get("displayValue", "")
    return found


def run(args, site: DemoSite, lighthouse: Path, reports: Path) -> dict:
    town = site.towns[0]
    pages = [page for page in town.pages if page.name in PAGES]
    results: dict[str, dict] = {
        page.name: {"page": page, "scores": [], "losses": Counter(), "values": {}} for page in pages
    }
    for number in range(1, args.runs + 1):
        for page in pages:
            headers = {"Accept-Language": "fr-FR,fr;q=0.9"}
            if page.who in town.cookies:
                headers["Cookie"] = town.cookies[page.who]
            report = reports / f"{town.slug}-{page.name}-{number}.json"
            result = measure(lighthouse, town.url(site.port, page), headers, report)
            figures = scores(result)
            results[page.name]["scores"].append(figures)
            # An audit's value varies from run to run: count the audit, keep the last value.
            for audit, value in losses(result).items():
                results[page.name]["losses"][audit] += 1
                results[page.name]["values"][audit] = value
            say(f"run {number}/{args.runs} {page.name:<8} " + " ".join(
                f"{key} {value}" for key, value in figures.items()
            ))  # fmt: skip
    return results


def report(args, town: DemoTown, results: dict, lighthouse_line: str, load_before: str) -> bool:
    """Print the table; True when every page is there and meets the goal."""
    when = time.strftime("%Y-%m-%d %H:%M %Z")
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
    print(f"\nAgora Lighthouse benchmark — {when}, {platform.node()}, {os.cpu_count()} CPU")
    print(f"{lighthouse_line}, {chromium.strip()}, mobile (default emulation and throttling)")
    print(f"town {town.host}, gunicorn 2 sync workers, DEBUG=False; load average before: "
          f"{load_before}")  # fmt: skip
    print(f"median of {args.runs} runs (each run's score in brackets); ✗ = below {GOAL}\n")
    width = 8 + 2 * args.runs + 3 * args.runs
    header = f"{'page':<8}  {'signed in':<9}  " + "  ".join(f"{key:<{width}}" for key in CATEGORIES)
    print(header)
    print("-" * len(header))
    met = True
    for name, entry in results.items():
        cells = []
        for key in CATEGORIES:
            values = [figures[key] for figures in entry["scores"]]
            median = statistics.median(values)
            mark = "✗" if median < GOAL else " "
            met &= median >= GOAL
            cells.append(f"{median:>5g} {mark} [{' '.join(str(v) for v in values)}]".ljust(width))
        print(f"{name:<8}  {entry['page'].who:<9}  " + "  ".join(cells))
    for name in town.missing:
        if name in PAGES:
            met = False
            print(f"{name:<8}  missing: the demo has no such page in {town.slug}")
    print("\nAudits that cost points (runs where they did, last value):")
    for name, entry in results.items():
        for audit, count in sorted(entry["losses"].items()):
            print(f"  {name:<8} {audit} {entry['values'][audit]}  ({count}/{args.runs} runs)")
    print(f"\n{'all goals met' if met else 'GOAL MISSED'} (≥ {GOAL} in every category)")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--town", default="montigny", help="demo town's slug")
    parser.add_argument("--runs", type=int, default=3, help="lighthouse runs per page (median)")
    parser.add_argument("--reports", type=Path, help="keep each run's JSON report in this folder")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if not Path(CHROMIUM).exists():
        print("bench: Chromium is missing (Debian: apt-get install -y chromium)", file=sys.stderr)
        return 3

    lighthouse = lighthouse_ready()
    version = subprocess.run(
        [str(lighthouse), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    reports = args.reports or Path(tempfile.mkdtemp(prefix="agora-lighthouse-"))
    reports.mkdir(parents=True, exist_ok=True)
    load_before = " ".join(f"{value:.2f}" for value in os.getloadavg())
    try:
        with demo_site(name="bench-lighthouse", redis_db=14, slugs=[args.town]) as site:
            results = run(args, site, lighthouse, reports)
    finally:
        if args.reports is None:
            shutil.rmtree(reports, ignore_errors=True)
    met = report(args, site.towns[0], results, f"lighthouse {version}", load_before)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
