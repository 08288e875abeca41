"""Demo photos drawn locally with Pillow: a workshop interior per picture (a wall with windows, a floor, a
bench in front, and what the kind of place keeps: tools on a pegboard, machines, stock on shelves, jars).
Each kind has its own palette; the seed varies the layout, so a demo catalogue looks varied yet is the same
on every run. Nothing is fetched, and each JPEG is a few tens of kilobytes."""

import io
import random

from django.core.files.base import ContentFile
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFilter

from makeworks.lib.text import fold

PHOTO_SIZE = (960, 640)
RGB = tuple[int, int, int]

# Per kind: wall, floor, the bench top, and the colours of what stands about (machines, stock, jars).
# fmt: off
KIND_PALETTES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "fabricator": ("#7d8a92", "#5f5b56", "#9aa3a8", ("#2a6f7f", "#e0a100", "#c0392b", "#3b4a54")),
    "supplier": ("#c4b198", "#7d6b58", "#c9a46a", ("#d9b680", "#9aa3a8", "#b5651d", "#e8d5b0")),
    "workshop": ("#d8d2c4", "#8b6b4a", "#b88a55", ("#b5472f", "#2f5f8a", "#d9b680", "#4d6b3c")),
    "food": ("#e2ece6", "#a7a39a", "#c9ced2", ("#d9822b", "#7d2e46", "#e8c547", "#5b8c3a")),
    "makerspace": ("#eaeef2", "#5d6d7e", "#c29a67", ("#1f8a57", "#f2994a", "#2d9cdb", "#9b51e0")),
}
# fmt: on
# What each kind's back wall holds, by weight: a pegboard of tools, machines, shelves of stock.
FEATURES = {
    "fabricator": ("machines", "machines", "pegboard"),
    "supplier": ("shelves", "shelves", "racks"),
    "workshop": ("pegboard", "pegboard", "shelves"),
    "food": ("shelves", "tiles", "tiles"),
    "makerspace": ("machines", "pegboard", "shelves"),
}


def _rgb(colour: str) -> RGB:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def _shade(colour: RGB, factor: float) -> RGB:
    r, g, b = (max(0, min(255, round(channel * factor))) for channel in colour)
    return (r, g, b)


def _jitter(rng: random.Random, colour: RGB, spread: float = 0.08) -> RGB:
    return _shade(colour, 1 + rng.uniform(-spread, spread))


def _room(draw: ImageDraw.ImageDraw, rng: random.Random, wall: RGB, floor: RGB, horizon: int) -> None:
    """The wall in soft vertical light, the floor darkening towards the viewer, and the windows."""
    width, height = PHOTO_SIZE
    for y in range(0, horizon, 8):
        draw.rectangle((0, y, width, y + 8), fill=_shade(wall, 0.92 + 0.12 * y / horizon))
    for y in range(horizon, height, 8):
        draw.rectangle(
            (0, y, width, y + 8), fill=_shade(floor, 1.05 - 0.35 * (y - horizon) / (height - horizon))
        )
    draw.line((0, horizon, width, horizon), fill=_shade(wall, 0.6), width=4)
    for _ in range(rng.randint(0, 2)):
        left, top = rng.randrange(40, width - 220), rng.randrange(30, 70)
        right, bottom = left + rng.randint(120, 200), top + rng.randint(110, 160)
        draw.rectangle((left - 6, top - 6, right + 6, bottom + 6), fill=_shade(wall, 0.7))
        draw.rectangle((left, top, right, bottom), fill=(226, 236, 242))
        draw.line(((left + right) // 2, top, (left + right) // 2, bottom), fill=_shade(wall, 0.7), width=5)
        draw.line((left, (top + bottom) // 2, right, (top + bottom) // 2), fill=_shade(wall, 0.7), width=5)
    for x in range(rng.randrange(120, 260), width, rng.randrange(260, 380)):  # hanging lamps
        draw.line((x, 0, x, 40), fill=(40, 40, 40), width=2)
        draw.polygon([(x - 26, 58), (x + 26, 58), (x + 12, 40), (x - 12, 40)], fill=(50, 52, 56))
        draw.ellipse((x - 9, 52, x + 9, 64), fill=(255, 236, 170))


def _pegboard(draw: ImageDraw.ImageDraw, rng: random.Random, colours: list[RGB], horizon: int) -> None:
    width = PHOTO_SIZE[0]
    left = rng.randrange(60, width // 2)
    right, top, bottom = left + rng.randint(320, 440), 110, horizon - 70
    draw.rectangle((left, top, right, bottom), fill=(201, 169, 122), outline=(140, 110, 74), width=4)
    for x in range(left + 14, right, 22):
        for y in range(top + 14, bottom, 22):
            draw.ellipse((x - 2, y - 2, x + 2, y + 2), fill=(150, 120, 84))
    x = left + 24
    while x < right - 40:
        handle, metal = rng.choice(colours), (150, 156, 160)
        tool, y = rng.choice(("hammer", "wrench", "saw", "screwdriver", "square")), top + 24
        if tool == "hammer":
            draw.rectangle((x + 8, y + 14, x + 16, y + 110), fill=handle)
            draw.rectangle((x - 6, y, x + 30, y + 18), fill=metal)
        elif tool == "wrench":
            draw.line((x + 12, y + 10, x + 12, y + 100), fill=metal, width=9)
            draw.ellipse((x, y, x + 24, y + 24), outline=metal, width=6)
        elif tool == "saw":
            draw.polygon([(x, y + 30), (x + 60, y + 20), (x + 60, y + 110), (x, y + 100)], fill=metal)
            draw.rectangle((x - 18, y + 30, x + 2, y + 90), fill=handle)
        elif tool == "screwdriver":
            draw.rectangle((x + 6, y, x + 18, y + 46), fill=handle)
            draw.line((x + 12, y + 46, x + 12, y + 110), fill=metal, width=4)
        else:
            draw.line((x, y, x, y + 100), fill=metal, width=7)
            draw.line((x, y + 100, x + 60, y + 100), fill=metal, width=7)
        x += rng.randint(50, 80)


def _machines(draw: ImageDraw.ImageDraw, rng: random.Random, colours: list[RGB], horizon: int) -> None:
    """Boxy machines against the wall: a laser cutter's lid, a mill's column, a panel with lights."""
    x = rng.randrange(20, 160)
    while x < PHOTO_SIZE[0] - 180:
        body = rng.choice(colours)
        wide, tall = rng.randint(160, 260), rng.randint(170, 260)
        top = horizon + 40 - tall
        draw.rectangle((x, top, x + wide, horizon + 40), fill=body, outline=_shade(body, 0.6), width=3)
        if rng.random() < 0.5:  # a lid with a smoked window, as on a laser cutter
            draw.rectangle((x + 12, top + 12, x + wide - 12, top + tall // 3), fill=(60, 50, 40))
            draw.rectangle((x + 20, top + 18, x + wide - 20, top + tall // 3 - 6), fill=(120, 80, 40))
        else:  # a column and head, as on a mill or a drill
            draw.rectangle((x + wide // 2 - 16, top - 80, x + wide // 2 + 16, top), fill=_shade(body, 0.8))
            draw.rectangle(
                (x + wide // 2 - 34, top - 100, x + wide // 2 + 34, top - 60), fill=_shade(body, 0.9)
            )
        panel = x + wide - 44
        draw.rectangle((panel, top + tall // 2, panel + 30, top + tall // 2 + 60), fill=(30, 34, 38))
        for i, light in enumerate(((46, 180, 90), (230, 180, 40), (200, 60, 50))):
            draw.ellipse(
                (panel + 9, top + tall // 2 + 6 + i * 18, panel + 21, top + tall // 2 + 18 + i * 18),
                fill=light,
            )
        x += wide + rng.randint(40, 120)


def _shelves(
    draw: ImageDraw.ImageDraw, rng: random.Random, colours: list[RGB], horizon: int, jars: bool
) -> None:
    """Shelving with stock: boards and sheets, rolls, boxes, or rows of jars."""
    left = rng.randrange(20, 200)
    right = min(PHOTO_SIZE[0] - 20, left + rng.randint(420, 700))
    for shelf_y in range(150, horizon + 10, 90):
        draw.rectangle((left, shelf_y, right, shelf_y + 8), fill=(90, 90, 92))
        x = left + 8
        while x < right - 50:
            colour = rng.choice(colours)
            if jars:
                draw.rounded_rectangle((x, shelf_y - 56, x + 34, shelf_y), radius=8, fill=colour)
                draw.rectangle((x + 4, shelf_y - 64, x + 30, shelf_y - 56), fill=(200, 200, 200))
                x += 42
            elif rng.random() < 0.4:
                draw.ellipse(
                    (x, shelf_y - 60, x + 60, shelf_y), fill=colour, outline=_shade(colour, 0.7), width=3
                )
                x += 66
            else:
                thick = rng.randint(40, 70)
                for layer in range(0, thick, 8):
                    draw.rectangle(
                        (x, shelf_y - thick + layer, x + 110, shelf_y - thick + layer + 7),
                        fill=_jitter(rng, colour),
                    )
                x += 120
    for post in (left, right):
        draw.rectangle((post - 6, 130, post + 2, horizon + 40), fill=(70, 70, 74))


def _tiles(draw: ImageDraw.ImageDraw, wall: RGB, horizon: int) -> None:
    for y in range(90, horizon, 36):
        for x in range(0 if (y // 36) % 2 else 18, PHOTO_SIZE[0], 36):
            draw.rectangle((x, y, x + 34, y + 34), fill=_shade(wall, 1.04), outline=_shade(wall, 0.85))


def _bench(
    draw: ImageDraw.ImageDraw, rng: random.Random, top_colour: RGB, colours: list[RGB], jars: bool
) -> None:
    """The bench in front, seen from above its edge, with a few things left on it."""
    width, height = PHOTO_SIZE
    near, far = height - rng.randint(120, 170), height - rng.randint(230, 280)
    inset = rng.randint(60, 140)
    draw.polygon([(-20, near), (width + 20, near), (width - inset, far), (inset, far)], fill=top_colour)
    draw.rectangle((-20, near, width + 20, near + 26), fill=_shade(top_colour, 0.7))
    for leg in (60, width - 90):
        draw.rectangle((leg, near + 26, leg + 30, height), fill=_shade(top_colour, 0.5))
    x = inset + rng.randint(20, 80)
    while x < width - inset - 120:
        colour = rng.choice(colours)
        base = rng.randint(far + 20, near - 10)
        if jars:
            draw.rounded_rectangle((x, base - 70, x + 46, base), radius=10, fill=colour)
        elif rng.random() < 0.5:  # an offcut or a part, seen in perspective
            draw.polygon([(x, base), (x + 130, base), (x + 110, base - 30), (x + 15, base - 30)], fill=colour)
            draw.line((x, base, x + 130, base), fill=_shade(colour, 0.6), width=3)
        else:  # a box
            draw.rectangle((x, base - 60, x + 80, base), fill=colour)
            draw.polygon(
                [(x, base - 60), (x + 80, base - 60), (x + 68, base - 76), (x + 12, base - 76)],
                fill=_shade(colour, 1.2),
            )
        x += rng.randint(150, 260)


def demo_photo(*, seed: int, label: str, kind: str = "workshop") -> ContentFile:
    """A JPEG of a plausible workshop interior for a listing of `kind`; the same seed draws the same photo."""
    rng = random.Random(seed)  # noqa: S311 - pictures, not secrets
    wall_hex, floor_hex, bench_hex, stock = KIND_PALETTES.get(kind, KIND_PALETTES["workshop"])
    wall, floor = _jitter(rng, _rgb(wall_hex)), _jitter(rng, _rgb(floor_hex))
    colours = [_jitter(rng, _rgb(colour), 0.12) for colour in stock]
    horizon = rng.randrange(int(PHOTO_SIZE[1] * 0.55), int(PHOTO_SIZE[1] * 0.66))
    picture = Image.new("RGB", PHOTO_SIZE, wall)
    draw = ImageDraw.Draw(picture)
    _room(draw, rng, wall, floor, horizon)
    feature = rng.choice(FEATURES.get(kind, FEATURES["workshop"]))
    jars = kind == "food"
    if feature == "pegboard":
        _pegboard(draw, rng, colours, horizon)
    elif feature == "machines":
        _machines(draw, rng, colours, horizon)
    elif feature == "tiles":
        _tiles(draw, wall, horizon)
        _shelves(draw, rng, colours, horizon - 120, jars=True)
    else:
        _shelves(draw, rng, colours, horizon, jars=jars)
    _bench(draw, rng, _jitter(rng, _rgb(bench_hex)), colours, jars)
    # A little blur and grain, as a phone camera would give, so the flat shapes read as a photo.
    picture = picture.filter(ImageFilter.GaussianBlur(1.2))
    # Grain from the seeded generator (Pillow's effect_noise has a random source of its own).
    grain = Image.frombytes("L", PHOTO_SIZE, rng.randbytes(PHOTO_SIZE[0] * PHOTO_SIZE[1])).convert("RGB")
    picture = Image.blend(picture, grain, 0.04)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{slugify(fold(label))[:48] or 'photo'}-{seed}.jpg")
