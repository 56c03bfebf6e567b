"""The README screenshot: the real window (offscreen) with a few realistic items.

    python bench/gui_screenshot.py docs/screenshot.png

Phases are stand-ins that answer like the real ones would (recipes, authors, a photo);
one post is blocked by Instagram, one is still being parsed, one waits.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.support.memory_keyring.MemoryKeyring")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter
from PySide6.QtWidgets import QApplication

from bench.gui_support import run_on_qt_loop
from instarecipe_desktop.core.errors import PermanentError
from instarecipe_desktop.core.phases import (
    Extraction,
    ParseOutcome,
    PhaseContext,
    Phases,
    UploadOutcome,
)
from instarecipe_desktop.core.recipe import Ingredient, Recipe, Step

POSTS = {
    "Cm3atBal1s": ("pastaqueen", "Stovetop Meatballs", ["#e0a96d", "#7a3b1d"]),
    "Ln9LemPst2": ("italian.at.home", "Lemon Ricotta Pasta", ["#f6e27f", "#c9a227"]),
    "Gr3enCur3y": ("thaikitchen", "Green Curry with Tofu", ["#8fbf5a", "#2f5d1e"]),
    "Blu3berry4": ("bakewithmia", "Blueberry Crumble Bars", ["#6a7fdb", "#2b2d6e"]),
    "PrivatePst": ("", "", []),
    "SlowParse5": ("ramen.nights", "", ["#e9c46a", "#9c6644"]),
    "Waiting006": ("", "", []),
}


def photo(path: Path, colours: list[str]) -> None:
    image = QImage(240, 240, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(QPointF(0, 0), QPointF(240, 240))
    gradient.setColorAt(0, QColor(colours[0]))
    gradient.setColorAt(1, QColor(colours[1]))
    painter.fillRect(image.rect(), gradient)
    painter.setBrush(QColor(255, 255, 255, 70))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QRectF(40, 40, 160, 160))
    painter.end()
    image.save(str(path), "JPEG")


class ShowcasePhases:
    async def extract(self, ctx: PhaseContext) -> Extraction:
        code = ctx.item.shortcode or ""
        if code == "PrivatePst":
            raise PermanentError(
                "Instagram did not show this post (it may be private).",
                suggestion="Open it on Instagram and paste its caption.",
                code="instagram_blocked",
            )
        author, name, colours = POSTS[code]
        relative = f"media/{code}.jpg"
        photo(ctx.data_dir / relative, colours)
        ctx.log("Read the caption (412 characters) and downloaded the photo.")
        caption = (
            f"{name} 😍 Save this for later!\n\nIngredients:\n500 g ground beef\n1 egg\n"
            "40 g breadcrumbs\n400 g crushed tomatoes\n\n1. Mix, shape 16 balls.\n"
            "2. Brown them, add the tomatoes, simmer 20 minutes."
        )
        return Extraction(text=caption, post={"author": author}, thumbnail=relative)

    async def parse(self, ctx: PhaseContext, extraction: Extraction) -> ParseOutcome:
        code = ctx.item.shortcode or ""
        if code == "SlowParse5":
            ctx.progress(45, "Asking the LLM")
            await asyncio.Event().wait()
        name = POSTS[code][1]
        steps = [
            Step(
                "Mix the beef, egg and breadcrumbs; shape 16 balls.",
                [
                    Ingredient("ground beef", 500, "g"),
                    Ingredient("egg", 1),
                    Ingredient("breadcrumbs", 40, "g"),
                ],
            ),
            Step(
                "Brown them in a pan, add the tomatoes and simmer 20 minutes.",
                [
                    Ingredient("crushed tomatoes", 400, "g"),
                    Ingredient("salt", None, None, "to taste"),
                ],
                time=20,
            ),
        ]
        recipe = Recipe(
            name=name,
            steps=steps,
            servings=4,
            working_time=15,
            waiting_time=20,
            keywords=["dinner", "italian"],
        )
        ctx.log("Parsed with gpt-4o-mini: 812 prompt + 264 completion tokens.")
        return ParseOutcome(recipe=recipe, usage={"model": "gpt-4o-mini", "totalTokens": 1076})

    async def upload(
        self, ctx: PhaseContext, recipe: Recipe, extraction: Extraction
    ) -> UploadOutcome:
        number = list(POSTS).index(ctx.item.shortcode or "") + 41
        return UploadOutcome(
            url=f"https://recipes.example.org/recipe/{number}",
            destination="tandoor",
            recipe_id=number,
        )


async def main(target: Path, qapp: QApplication) -> None:
    from instarecipe_desktop.core.manager import QueueManager
    from instarecipe_desktop.core.paths import resolve_paths
    from instarecipe_desktop.core.settings import Settings
    from instarecipe_desktop.wiring.app import DesktopApp
    from instarecipe_desktop.wiring.secrets import open_secret_store

    paths = resolve_paths(tempfile.mkdtemp(prefix="gui-shot-")).ensure()
    settings = Settings(None, environ={"QUEUE_CONCURRENCY": "3"})
    phases = ShowcasePhases()
    manager = await QueueManager.open(paths, settings, Phases(phases, phases, phases))
    app = DesktopApp(qapp, paths, settings, open_secret_store(), manager, None)
    app.clipboard.set_enabled(False)
    app.window.resize(1280, 760)
    app.start([], minimized=False)
    await manager.start()
    for code in POSTS:
        if code == "Waiting006":
            await asyncio.sleep(0.5)
            manager.pause()
        await manager.enqueue(f"https://www.instagram.com/p/{code}/")
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.0)
    first = manager.find_by_shortcode("Cm3atBal1s")
    assert first is not None
    app.window.message_bar.hide()
    app.window.select_item(first.id)
    await asyncio.sleep(0.5)
    app.window.grab().save(str(target))
    print(f"saved {target}")
    await app.shutdown()


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshot.png").resolve()
    run_on_qt_loop(lambda application: main(out, application))
