"""Entry of the desktop app:
``instarecipe-desktop [--minimized] [--add-from-clipboard] [--data-dir DIR] [LINK...]``.

When the app already runs (for the same data folder), the links are handed to it, it comes to
the front, and this process exits.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from instarecipe_desktop import APP_ID, APP_NAME, __version__
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.wiring.logs import setup_logging


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="instarecipe-desktop", add_help=False)
    parser.add_argument("--data-dir")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--minimized", "--minimised", action="store_true")
    # the desktop entry's "Add link from clipboard" action
    parser.add_argument("--add-from-clipboard", action="store_true")
    parser.add_argument("links", nargs="*")
    args, _qt_args = parser.parse_known_args(list(argv))
    return args


def clipboard_links(text: str) -> list[str]:
    """The Instagram post links in the clipboard's text; anything else is never passed on."""
    from instarecipe_desktop.core.links import find_post_links

    return [link.url for link in find_post_links(text[:65536])]


def gui_main(argv: Sequence[str]) -> int:
    args = _parse(argv)
    paths = resolve_paths(args.data_dir)

    import qasync
    from PySide6.QtWidgets import QApplication

    from instarecipe_desktop.ui.icons import app_icon
    from instarecipe_desktop.ui.single_instance import (
        InstanceServer,
        forward_to_running,
        server_name,
    )
    from instarecipe_desktop.wiring.app import run_app

    qapp = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else APP_NAME])
    assert isinstance(qapp, QApplication)
    qapp.setApplicationName("instarecipe-desktop")
    qapp.setApplicationDisplayName("InstaRecipe")
    qapp.setApplicationVersion(__version__)
    qapp.setDesktopFileName(APP_ID)
    qapp.setWindowIcon(app_icon())
    qapp.setQuitOnLastWindowClosed(False)

    if args.add_from_clipboard:
        found = clipboard_links(qapp.clipboard().text())
        if not found:
            print("The clipboard holds no Instagram post link.", file=sys.stderr)
        args.links = [*args.links, *found]
    name = server_name(paths.data_dir)
    if forward_to_running(name, list(args.links)):
        count = len(args.links)
        print(
            f"InstaRecipe is already running: handed it {count} link(s)."
            if count
            else "InstaRecipe is already running: brought it to the front."
        )
        return 0
    # the same scrubbing log setup as the CLI; secret values are registered by the app once it
    # has read them from the keyring (off the UI thread)
    setup_logging(paths, verbose=args.verbose)
    server = InstanceServer(name)
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            return loop.run_until_complete(
                run_app(qapp, paths, list(args.links), args.minimized, server)
            )
    except KeyboardInterrupt:
        return 130
