"""Draws the demo towns' pictures (flat civic illustrations in each town's colours) that the
repository ships under CC0: run ``python tools/draw_demo_images.py`` to make them again. Each
picture is drawn from a fixed seed, so a run gives the same files.

Where they go: the towns' banners and spaces in ``onboarding/demo_images/``, the ideas' in
``participation/ideas/demo_images/``, the budget projects' in
``participation/budgets/demo_images/`` (each folder has its README with the licence)."""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 1600, 900


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _sky(draw: ImageDraw.ImageDraw, top, bottom) -> None:
    for y in range(HEIGHT):
        draw.line([(0, y), (WIDTH, y)], fill=_mix(top, bottom, y / HEIGHT))


def _hills(draw, rng, colour, base: int, amplitude: int) -> None:
    points = [(0, HEIGHT)]
    phase = rng.uniform(0, 6.28)
    for x in range(0, WIDTH + 40, 40):
        wave = rng.uniform(-0.15, 0.15)
        y = base - amplitude * (0.6 + 0.4 * math.sin(x / 260 + phase) + wave)
        points.append((x, y))
    points.append((WIDTH, HEIGHT))
    draw.polygon(points, fill=colour)


def _tree(draw, x, y, size, leaf, trunk=(92, 64, 51), fruit=None, rng=None) -> None:
    draw.rectangle([x - size * 0.08, y - size * 0.2, x + size * 0.08, y + size * 0.5], fill=trunk)
    draw.ellipse([x - size * 0.5, y - size, x + size * 0.5, y], fill=leaf)
    if fruit and rng:
        for _ in range(7):
            fx = x + rng.uniform(-0.35, 0.35) * size
            fy = y - size * 0.5 + rng.uniform(-0.35, 0.3) * size
            draw.ellipse(
                [fx - size * 0.05, fy - size * 0.05, fx + size * 0.05, fy + size * 0.05], fill=fruit
            )


def _house(draw, x, ground, w, h, wall, roof, window=(255, 244, 214)) -> None:
    draw.rectangle([x, ground - h, x + w, ground], fill=wall)
    draw.polygon(
        [
            (x - w * 0.08, ground - h),
            (x + w / 2, ground - h - w * 0.45),
            (x + w * 1.08, ground - h),
        ],
        fill=roof,
    )
    for row in range(max(1, int(h // 70))):
        for col in range(max(1, int(w // 55))):
            wx = x + 14 + col * 52
            wy = ground - h + 18 + row * 66
            if wx + 24 < x + w - 6 and wy + 32 < ground - 10:
                draw.rectangle([wx, wy, wx + 24, wy + 32], fill=window)


def _town_hall(draw, cx, ground, primary, accent) -> None:
    wall = (246, 240, 228)
    draw.rectangle([cx - 190, ground - 230, cx + 190, ground], fill=wall)
    draw.polygon(
        [(cx - 210, ground - 230), (cx, ground - 330), (cx + 210, ground - 230)], fill=primary
    )
    draw.rectangle([cx - 40, ground - 400, cx + 40, ground - 300], fill=wall)
    draw.polygon(
        [(cx - 50, ground - 400), (cx, ground - 460), (cx + 50, ground - 400)], fill=primary
    )
    draw.ellipse(
        [cx - 26, ground - 385, cx + 26, ground - 333],
        fill=(255, 255, 255),
        outline=primary,
        width=5,
    )
    draw.line([(cx, ground - 359), (cx, ground - 378)], fill=primary, width=4)
    draw.line([(cx, ground - 359), (cx + 14, ground - 359)], fill=primary, width=4)
    draw.line([(cx, ground - 460), (cx, ground - 520)], fill=(60, 60, 60), width=4)
    draw.polygon([(cx, ground - 520), (cx + 60, ground - 505), (cx, ground - 490)], fill=accent)
    for i in range(-3, 4):
        if i == 0:
            draw.rectangle([cx - 32, ground - 110, cx + 32, ground], fill=primary)
            continue
        draw.rectangle(
            [cx + i * 52 - 16, ground - 200, cx + i * 52 + 16, ground - 140], fill=(200, 220, 240)
        )
        draw.rectangle(
            [cx + i * 52 - 16, ground - 100, cx + i * 52 + 16, ground - 40], fill=(200, 220, 240)
        )


def landscape(primary: str, accent: str, seed: int, *, hall: bool = True) -> Image.Image:
    rng = random.Random(seed)
    p, a = _hex(primary), _hex(accent)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, _mix(p, (255, 255, 255), 0.55), _mix(a, (255, 255, 255), 0.8))
    sun_x = rng.randint(200, WIDTH - 200)
    draw.ellipse([sun_x - 90, 90, sun_x + 90, 270], fill=_mix(a, (255, 230, 150), 0.6))
    for _ in range(4):
        cx, cy = rng.randint(0, WIDTH), rng.randint(60, 260)
        for dx in (-60, 0, 60):
            draw.ellipse([cx + dx - 70, cy - 35, cx + dx + 70, cy + 35], fill=(255, 255, 255))
    _hills(draw, rng, _mix(p, (40, 120, 80), 0.5), 560, 160)
    _hills(draw, rng, _mix((70, 140, 90), a, 0.15), 680, 110)
    ground = 760
    x = -40
    while x < WIDTH:
        w = rng.randint(120, 200)
        h = rng.randint(140, 260)
        if hall and abs(x + w / 2 - WIDTH / 2) < 330:
            x += w + 10
            continue
        wall = _mix(rng.choice([(240, 228, 205), (226, 214, 190), (250, 245, 235)]), a, 0.12)
        _house(draw, x, ground, w, h, wall, _mix(p, (0, 0, 0), rng.uniform(0, 0.3)))
        x += w + rng.randint(8, 30)
    if hall:
        _town_hall(draw, WIDTH // 2, ground, p, a)
    draw.rectangle([0, ground, WIDTH, HEIGHT], fill=(120, 170, 100))
    draw.polygon(
        [
            (WIDTH / 2 - 40, ground),
            (WIDTH / 2 + 40, ground),
            (WIDTH / 2 + 260, HEIGHT),
            (WIDTH / 2 - 260, HEIGHT),
        ],
        fill=(225, 215, 190),
    )
    for _ in range(9):
        tx = rng.choice([rng.randint(30, 500), rng.randint(1100, 1570)])
        _tree(draw, tx, rng.randint(790, 860), rng.randint(90, 150), _mix((60, 140, 70), p, 0.1))
    return image


def _bicycle(draw, x, y, r, colour) -> None:
    for cx in (x - r * 1.2, x + r * 1.2):
        draw.ellipse([cx - r, y - r, cx + r, y + r], outline=colour, width=10)
    draw.line(
        [(x - r * 1.2, y), (x, y), (x + r * 0.5, y - r), (x - r * 0.5, y - r), (x - r * 1.2, y)],
        fill=colour,
        width=10,
    )
    draw.line([(x + r * 0.5, y - r), (x + r * 1.2, y)], fill=colour, width=10)
    draw.line([(x - r * 0.5, y - r), (x - r * 0.6, y - r * 1.3)], fill=colour, width=10)
    draw.line(
        [(x + r * 0.5, y - r), (x + r * 0.6, y - r * 1.4), (x + r * 0.9, y - r * 1.4)],
        fill=colour,
        width=10,
    )


def _motif(image: Image.Image, motif: str, primary, accent, rng) -> None:
    draw = ImageDraw.Draw(image)
    ground = 760
    if motif == "bikes":
        for i in range(4):
            x = 380 + i * 280
            draw.arc(
                [x - 70, ground - 170, x + 70, ground + 30], 180, 360, fill=(80, 80, 90), width=14
            )
            _bicycle(draw, x + 20, ground - 20, 55, primary if i % 2 else accent)
    elif motif == "orchard":
        for i in range(6):
            _tree(
                draw,
                230 + i * 230,
                ground - 20 + (i % 2) * 40,
                210,
                (70, 150, 70),
                fruit=(220, 60, 50),
                rng=rng,
            )
    elif motif == "books":
        draw.rectangle([640, ground - 420, 960, ground], fill=accent)
        draw.rectangle([670, ground - 390, 930, ground - 40], fill=(250, 246, 236))
        draw.polygon([(620, ground - 420), (800, ground - 520), (980, ground - 420)], fill=primary)
        colours = [primary, accent, (60, 130, 90), (200, 150, 40), (110, 80, 160)]
        for shelf in range(3):
            y = ground - 370 + shelf * 110
            x = 690
            while x < 900:
                w = rng.randint(18, 32)
                draw.rectangle([x, y + rng.randint(0, 20), x + w, y + 90], fill=rng.choice(colours))
                x += w + 4
            draw.line([(670, y + 92), (930, y + 92)], fill=(120, 90, 60), width=6)
    elif motif == "lights":
        draw.rectangle([200, ground - 60, 1400, ground + 40], fill=(214, 196, 150))
        for i in range(2):
            x = 420 + i * 760
            draw.rectangle([x - 10, ground - 460, x + 10, ground], fill=(70, 70, 80))
            draw.polygon(
                [
                    (x - 60, ground - 460),
                    (x + 60, ground - 460),
                    (x + 30, ground - 420),
                    (x - 30, ground - 420),
                ],
                fill=(70, 70, 80),
            )
            glow = Image.new("RGBA", image.size, (0, 0, 0, 0))
            ImageDraw.Draw(glow).polygon(
                [
                    (x - 30, ground - 420),
                    (x + 30, ground - 420),
                    (x + 220, ground - 40),
                    (x - 220, ground - 40),
                ],
                fill=(255, 236, 150, 110),
            )
            image.paste(glow, (0, 0), glow)
        for i in range(5):
            bx = 520 + i * 130
            draw.ellipse(
                [bx - 22, ground - 50, bx + 22, ground - 6],
                fill=(180, 180, 190),
                outline=(90, 90, 100),
                width=3,
            )
    elif motif == "fridge":
        draw.rounded_rectangle(
            [640, ground - 520, 960, ground],
            radius=30,
            fill=(245, 248, 250),
            outline=primary,
            width=10,
        )
        draw.line([(640, ground - 330), (960, ground - 330)], fill=primary, width=8)
        draw.rectangle([900, ground - 470, 916, ground - 380], fill=primary)
        draw.rectangle([900, ground - 290, 916, ground - 180], fill=primary)
        draw.ellipse([720, ground - 480, 840, ground - 360], fill=accent)
        for i, colour in enumerate([(230, 90, 60), (240, 190, 40), (90, 170, 80)]):
            draw.ellipse([1020 + i * 90, ground - 80, 1090 + i * 90, ground - 10], fill=colour)
    elif motif == "bench":
        for i in range(2):
            x = 330 + i * 620
            draw.rectangle([x, ground - 140, x + 360, ground - 115], fill=(150, 100, 60))
            draw.rectangle([x, ground - 200, x + 360, ground - 175], fill=(150, 100, 60))
            draw.rectangle([x + 20, ground - 115, x + 40, ground], fill=(60, 60, 70))
            draw.rectangle([x + 320, ground - 115, x + 340, ground], fill=(60, 60, 70))
        draw.rectangle([1420, ground - 200, 1460, ground], fill=primary)
        draw.ellipse([1400, ground - 240, 1480, ground - 190], fill=primary)
        draw.arc([1440, ground - 300, 1560, ground - 180], 200, 300, fill=(90, 160, 230), width=10)
    elif motif == "sport":
        draw.rectangle(
            [260, ground - 20, 1340, HEIGHT - 20], fill=_mix(primary, (60, 140, 90), 0.6)
        )
        draw.rectangle([300, ground, 1300, HEIGHT - 40], outline=(255, 255, 255), width=8)
        draw.line([(800, ground), (800, HEIGHT - 40)], fill=(255, 255, 255), width=8)
        draw.rectangle([300, ground - 360, 316, ground], fill=(80, 80, 90))
        draw.rectangle([200, ground - 380, 330, ground - 300], outline=(80, 80, 90), width=8)
        draw.ellipse([760, ground - 200, 840, ground - 120], fill=accent)
    elif motif == "flowers":
        for _ in range(120):
            x, y = rng.randint(100, 1500), rng.randint(ground - 10, HEIGHT - 20)
            colour = rng.choice([accent, primary, (240, 200, 60), (230, 110, 150)])
            draw.line([(x, y), (x, y - 40)], fill=(60, 130, 60), width=4)
            draw.ellipse([x - 14, y - 58, x + 14, y - 30], fill=colour)
    elif motif == "playground":
        draw.line([(500, ground), (620, ground - 360), (740, ground)], fill=primary, width=18)
        draw.line([(900, ground), (1020, ground - 360), (1140, ground)], fill=primary, width=18)
        draw.line([(620, ground - 360), (1020, ground - 360)], fill=primary, width=18)
        for x in (720, 900):
            draw.line([(x, ground - 360), (x, ground - 120)], fill=(80, 80, 90), width=6)
            draw.line([(x + 60, ground - 360), (x + 60, ground - 120)], fill=(80, 80, 90), width=6)
            draw.rectangle([x - 10, ground - 125, x + 70, ground - 105], fill=accent)
        draw.polygon(
            [(1200, ground), (1450, ground - 300), (1480, ground - 280), (1250, ground)],
            fill=accent,
        )


def illustration(primary: str, accent: str, seed: int, motif: str) -> Image.Image:
    rng = random.Random(seed)
    image = landscape(primary, accent, seed, hall=False)
    # The landscape softened behind the subject, which reads first.
    image = image.filter(ImageFilter.GaussianBlur(3))
    _motif(image, motif, _hex(primary), _hex(accent), rng)
    return image


# Each town's colours (those of onboarding/demo.py's DEMO_TOWNS).
TOWNS = {
    "montigny": ("#0b5394", "#a14400"),
    "carcassonne-agglo": ("#7a1f2b", "#1f5f3a"),
    "saint-dizier": ("#1f5f3a", "#6d28d9"),
}
NEUTRAL = ("#2f5d8a", "#c2622d")
# The demo spaces' pictures, by the space's kind as named in the file.
SPACES = {"concertation": "bikes", "conseil": "bench", "budget": "flowers", "benevolat": "orchard"}

IDEAS = ("bikes", "orchard", "books", "lights", "fridge")
PROJECTS = (
    "bench",
    "flowers",
    "books",
    "playground",
    "orchard",
    "bikes",
    "lights",
    "sport",
    "fridge",
)


def _save(image: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="WEBP", quality=72, method=6)


def main() -> None:
    for index, (slug, (primary, accent)) in enumerate(TOWNS.items()):
        folder = ROOT / "onboarding/demo_images"
        _save(landscape(primary, accent, 100 + index), folder / f"{slug}-accueil.webp")
        for offset, (name, motif) in enumerate(SPACES.items()):
            picture = illustration(primary, accent, 200 + 10 * index + offset, motif)
            _save(picture, folder / f"{slug}-{name}.webp")
    for index, motif in enumerate(IDEAS):
        _save(
            illustration(*NEUTRAL, 300 + index, motif),
            ROOT / f"participation/ideas/demo_images/idee-{index + 1}.webp",
        )
    for index, motif in enumerate(PROJECTS):
        _save(
            illustration(*NEUTRAL, 400 + index, motif),
            ROOT / f"participation/budgets/demo_images/projet-{index + 1}.webp",
        )


if __name__ == "__main__":
    main()
