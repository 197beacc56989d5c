"""Screenshots of each demo town's pages at 1280 and 375 px into docs/screenshots/.

    .venv/bin/python benchmarks/screenshots.py [--town montigny ...]

Seeds the demo (``seed_demo``) in a database of its own, ``agora_bench_screenshots``, created
fresh and dropped at the end (Redis database 15), served by gunicorn with ``DEBUG=False`` (see
``benchmarks/demo_site.py``), and photographs with Debian's Chromium (playwright, headless) the
home, the consultation space, its survey and a budget ballot (signed in as the town's demo
resident), a results page and the back office's dashboard (as the town's administrator): full
pages, 1280 px wide (desktop) and 375 px (a phone, touch and mobile viewport), in French.

Each picture is reduced to a palette of 128 colours and saved as an optimised PNG (text stays
sharp, files stay small), named ``<town>-<page>-<width>.png``; the towns' previous pictures are
replaced, and ``docs/screenshots/README.md`` indexes them all.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.demo_site import DemoSite, DemoTown, Page, demo_site  # noqa: E402
from benchmarks.support import say  # noqa: E402

OUTPUT = ROOT / "docs" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
# width -> the rest of playwright's context options
SCREENS = {
    1280: {"viewport": {"width": 1280, "height": 800}},
    375: {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
}
COLOURS = 128
TITLES = {
    "home": "Home",
    "space": "Space",
    "survey": "Survey",
    "ballot": "Ballot",
    "results": "Results",
    "dashboard": "Back office",
}


def small_png(raw: bytes) -> bytes:
    """The screenshot in a palette of COLOURS colours, as an optimised PNG."""
    from PIL import Image

    image = Image.open(io.BytesIO(raw)).convert("RGB")
    reduced = image.quantize(
        colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    reduced.save(out, format="PNG", optimize=True)
    return out.getvalue()


def shoot(browser, site: DemoSite, town: DemoTown, page: Page, width: int) -> Path:
    context = browser.new_context(locale="fr-FR", device_scale_factor=1, **SCREENS[width])
    try:
        if page.who in town.cookies:
            name, value = town.cookies[page.who].split("=", 1)
            context.add_cookies([{"name": name, "value": value, "domain": town.host, "path": "/"}])
        tab = context.new_page()
        response = tab.goto(town.url(site.port, page), wait_until="load")
        if response is None or response.status != 200:
            raise RuntimeError(f"{town.host}{page.path} answered {response and response.status}")
        tab.evaluate("document.fonts.ready.then(() => true)")
        target = OUTPUT / f"{town.slug}-{page.name}-{width}.png"
        target.write_bytes(small_png(tab.screenshot(full_page=True)))
        return target
    finally:
        context.close()


def index(towns: list[DemoTown]) -> None:
    """docs/screenshots/README.md: every picture there is, by town and page."""
    lines = [
        "# Screenshots of the demo towns",
        "",
        "Taken by `benchmarks/screenshots.py` (Chromium, full pages, in French); "
        f"last run {time.strftime('%Y-%m-%d')}. Desktop is 1280 px wide, phone 375 px.",
        "",
    ]
    for town in towns:
        lines += [f"## {town.slug}", "", "| page | desktop | phone |", "|---|---|---|"]
        for page in town.pages:
            cells = [f"[{width} px]({town.slug}-{page.name}-{width}.png)" for width in SCREENS]
            who = "" if page.who == "anonymous" else f" (signed in: {page.who})"
            lines.append(f"| {TITLES[page.name]}{who} | " + " | ".join(cells) + " |")
        if town.missing:
            lines.append("")
            lines.append(f"Not in this demo town: {', '.join(town.missing)}.")
        lines.append("")
    (OUTPUT / "README.md").write_text("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--town", action="append", help="a demo town's slug (default: all)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print("Chromium is missing (Debian: apt-get install -y chromium)", file=sys.stderr)
        return 3

    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with (
        demo_site(name="bench-screenshots", redis_db=15, slugs=args.town) as site,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for town in site.towns:
            for stale in OUTPUT.glob(f"{town.slug}-*.png"):
                stale.unlink()
            for page in town.pages:
                for width in SCREENS:
                    target = shoot(browser, site, town, page, width)
                    say(f"{target.relative_to(ROOT)}  {target.stat().st_size // 1024} KiB")
        browser.close()
        towns = site.towns
    if args.town is None:
        index(towns)
    total = sum(path.stat().st_size for path in OUTPUT.glob("*.png"))
    say(f"{len(list(OUTPUT.glob('*.png')))} pictures, {total / 1e6:.1f} MB in {OUTPUT}")
    for town in towns:
        if town.missing:
            say(f"{town.slug}: the demo has no {', '.join(town.missing)} page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
