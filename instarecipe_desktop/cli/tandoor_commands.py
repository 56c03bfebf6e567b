"""Tandoor verbs: ``tandoor check`` (test the connection) and ``tandoor set-token``.

``check`` prints one sentence and exits 0 when Tandoor is reachable and the token can write,
1 on any problem (unreachable, not a Tandoor, token rejected or read-only, no address set).
``set-token`` reads the token from stdin (hidden prompt on a terminal) into the keyring; the
token is never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from instarecipe_desktop.core import secrets as secret_names
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.wiring.secrets import open_secret_store

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_BAD_INPUT = 2


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    tandoor = sub.add_parser(
        "tandoor",
        help="Tandoor connection: check it, save the token",
        description="Manage the connection to your Tandoor.",
    )
    verbs = tandoor.add_subparsers(dest="tandoor_command", metavar="VERB")
    check = verbs.add_parser(
        "check",
        help="test the connection and the token",
        description="Tells apart: unreachable, not a Tandoor, token rejected, read-only token, "
        "and OK with the server's version. Exit code 0 when recipes can be saved.",
    )
    check.add_argument(
        "--base-url", metavar="URL", help="check this address instead of TANDOOR_BASE_URL"
    )
    check.set_defaults(handler=cmd_check)
    set_token = verbs.add_parser(
        "set-token",
        help="read the API token from stdin into the keyring",
        description='Reads the token (scope "read write", from Tandoor\'s Settings → API) from '
        "stdin, e.g. `instarecipe-desktop tandoor set-token < token.txt`, or asks for it "
        "without echo on a terminal.",
    )
    set_token.set_defaults(handler=cmd_set_token)
    tandoor.set_defaults(handler=lambda args: _usage(tandoor))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_BAD_INPUT


def cmd_check(args: argparse.Namespace) -> int:
    from instarecipe_desktop.pipeline.uploading.tandoor import check_tandoor

    paths = resolve_paths(getattr(args, "data_dir", None))
    settings = Settings(paths.settings_file)
    base_url = (args.base_url or str(settings.get("TANDOOR_BASE_URL") or "")).strip()
    if not base_url:
        print(
            "No Tandoor address is set: recipes are saved in the local library "
            f"({paths.library_dir}). Set TANDOOR_BASE_URL in the settings to use Tandoor."
        )
        return EXIT_PROBLEM
    token = open_secret_store(config_dir=paths.config_dir).get(secret_names.TANDOOR_API_TOKEN)
    check = asyncio.run(
        check_tandoor(
            base_url,
            token,
            ca_bundle=str(settings.get("TANDOOR_CA_BUNDLE") or ""),
            verify_tls=bool(settings.get("TANDOOR_VERIFY_TLS")),
        )
    )
    print(check.message)
    return EXIT_OK if check.ok else EXIT_PROBLEM


def cmd_set_token(args: argparse.Namespace) -> int:
    if sys.stdin.isatty():
        token = getpass.getpass("Tandoor API token (not shown): ")
    else:
        token = sys.stdin.readline()
    token = token.strip()
    if not token:
        print("No token was given; nothing was saved.", file=sys.stderr)
        return EXIT_BAD_INPUT
    if any(ch.isspace() for ch in token):
        print(
            "The token contains spaces; paste only the token itself (it starts with tda_).",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    store = open_secret_store(config_dir=resolve_paths(getattr(args, "data_dir", None)).config_dir)
    if store.lasts_until_quit:
        print(f"The token was not saved: {store.status.message}", file=sys.stderr)
        return EXIT_PROBLEM
    store.set(secret_names.TANDOOR_API_TOKEN, token)
    where = (
        "the system keyring" if store.status.usable else f"the private file {store.private_file}"
    )
    print(f"Saved the Tandoor token (ending in …{token[-4:]}) in {where}.")
    if store.is_from_environment(secret_names.TANDOOR_API_TOKEN):
        print("Note: TANDOOR_API_TOKEN is set in the environment and wins over the keyring.")
    print("Run `instarecipe-desktop tandoor check` to test it.")
    return EXIT_OK
