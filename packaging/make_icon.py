"""Draw the app icon (packaging/kkr-dagsorden.ico and resources/app-icon.png).

Run once when the design changes; the outputs are committed so builds need no drawing.
"""

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
BLUE = (0, 61, 115)
WHITE = (255, 255, 255)


def draw(size: int) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    radius = size // 6
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=radius, fill=BLUE)
    # three agenda lines and a number column: a dagsorden at a glance
    margin = size * 0.2
    for row in range(3):
        y = margin + row * size * 0.22
        h = size * 0.1
        draw.rectangle((margin, y, margin + size * 0.12, y + h), fill=(255, 196, 0))
        draw.rectangle((margin + size * 0.2, y, size - margin, y + h), fill=WHITE)
    return image


if __name__ == "__main__":
    big = draw(256)
    big.save(
        ROOT / "packaging" / "kkr-dagsorden.ico",
        sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)],
    )
    big.save(ROOT / "resources" / "app-icon.png")
    print("icon written")
