"""Command line: the same engine without Qt, for scripts and tests.

``instarecipe-desktop`` with no verb (or with only links) starts the desktop app.
Each group of verbs lives in its own module with a ``register(subparsers)`` function.
Exit codes: 0 ok, 1 refused action, 2 bad input/usage, 3 no recipe in the text.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
from collections.abc import Sequence

from instarecipe_desktop import __version__
from instarecipe_desktop.cli import (
    import_command,
    instagram_commands,
    parse_command,
    queue_commands,
    review_commands,
    tandoor_commands,
)

COMMAND_MODULES = (
    queue_commands,
    review_commands,
    import_command,
    parse_command,
    tandoor_commands,
    instagram_commands,
)
DESKTOP_ENTRY_FLAGS = ("--install-desktop-entry", "--uninstall-desktop-entry")
# options of the desktop app (and of Qt) that take a value: the value is no verb and no link
_VALUE_OPTIONS = frozenset(
    {"--data-dir", "-platform", "-style", "-display", "-geometry", "-qwindowgeometry", "-name"}
)
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="instarecipe-desktop",
        description="Turn Instagram recipe posts into recipes in your Tandoor.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep the queue, settings and logs in DIR (default: the platform's folders; "
        "also INSTARECIPE_DATA_DIR)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    entry = parser.add_mutually_exclusive_group()
    entry.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add the app to your desktop's menu, with its icon (this user only)",
    )
    entry.add_argument(
        "--uninstall-desktop-entry",
        action="store_true",
        help="remove what --install-desktop-entry added",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def _verbs() -> list[str]:
    return list(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr, arg-type]


def _gui_args(argv: Sequence[str]) -> bool:
    """True when the arguments are for the desktop app: no verb, only links and GUI flags."""
    verbs = set(_verbs())
    return not any(arg in verbs for arg in argv) and not any(
        arg in {"-h", "--help", "--version", *DESKTOP_ENTRY_FLAGS} for arg in argv
    )


def unknown_command(argv: Sequence[str]) -> str | None:
    """The first bare word that is neither a verb nor a link (``resnd``), or None.

    A link always holds a dot or a slash; a word made of letters only was meant as a verb, and
    must not start an invisible window that never returns."""
    skip_next = False
    for arg in argv:
        if skip_next:
            skip_next = False
            continue
        if arg.startswith("-"):
            skip_next = arg in _VALUE_OPTIONS
            continue
        return arg if _WORD.fullmatch(arg) else None
    return None


def _report_unknown(word: str) -> int:
    near = difflib.get_close_matches(word, _verbs(), n=1, cutoff=0.5)
    hint = f" Did you mean '{near[0]}'?" if near else ""
    print(
        f"instarecipe-desktop: unknown command '{word}'.{hint} "
        "See 'instarecipe-desktop --help' for the commands.",
        file=sys.stderr,
    )
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if _gui_args(args_list):
        word = unknown_command(args_list)
        if word is not None:
            return _report_unknown(word)
        from instarecipe_desktop.wiring.gui_main import gui_main  # Qt is imported only here

        return gui_main(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.install_desktop_entry or args.uninstall_desktop_entry:
        return _desktop_entry(install=args.install_desktop_entry)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (``... | head``): stop quietly, as other command-line tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def _desktop_entry(install: bool) -> int:
    """``--install-desktop-entry`` / ``--uninstall-desktop-entry``: XDG menu entry and icons."""
    from instarecipe_desktop.integration import desktop_entry

    try:
        result = desktop_entry.install() if install else desktop_entry.uninstall()
    except OSError as exc:
        print(f"Could not change the desktop entry: {exc}", file=sys.stderr)
        return 1
    for path in result.written:
        print(f"installed {path}")
    for path in result.removed:
        print(f"removed {path}")
    if not install and not result.removed:
        print("No desktop entry was installed for this user.")
    return 0
