"""packaging/make_icons.py renders every hicolor size from resources/icons/app.svg."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from instarecipe_desktop import APP_ID
from tests.packaging.conftest import REPO, load_script


def test_every_hicolor_size_is_rendered_from_the_svg(qapp: object, tmp_path: Path) -> None:
    make_icons = load_script("make_icons")
    written = make_icons.render_hicolor(tmp_path, APP_ID)
    for size in make_icons.HICOLOR_SIZES:
        image = QImage(str(tmp_path / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
        assert (image.width(), image.height()) == (size, size)
        # the rounded square's corner stays transparent, its middle is painted
        assert image.pixelColor(0, 0).alpha() == 0
        assert image.pixelColor(size // 2, size // 4).alpha() == 255
    scalable = tmp_path / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == (REPO / "resources" / "icons" / "app.svg").read_bytes()
    assert len(written) == len(make_icons.HICOLOR_SIZES) + 1
