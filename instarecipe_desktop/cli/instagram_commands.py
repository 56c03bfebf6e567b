"""``instagram login | import-session | logout | status``: the person's Instagram session.

Importing the browser's session is the recommended way (Instagram often challenges scripted
logins). The session is kept with the other secrets (keyring), never in a file we load later.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.secrets import SecretStore
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.extraction.browsers import SUPPORTED_BROWSERS

if TYPE_CHECKING:
    from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
    from instarecipe_desktop.pipeline.extraction.readers.status import ReaderStatus
    from instarecipe_desktop.pipeline.extraction.session import InstagramSession, Verification


def _session_module() -> ModuleType:
    """The session code, imported when a verb runs (it loads instaloader, which is slow)."""
    from instarecipe_desktop.pipeline.extraction import session

    return session


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = sub.add_parser(
        "instagram",
        help="log in to Instagram (more reliable extraction)",
        description="Manage the Instagram session used to read posts.",
    )
    verbs = group.add_subparsers(dest="instagram_command", metavar="ACTION")
    group.set_defaults(handler=lambda args: (group.print_help(), 2)[1])

    imp = verbs.add_parser(
        "import-session", help="use the session of a browser you are logged in with (recommended)"
    )
    imp.add_argument(
        "--browser",
        default="firefox",
        choices=SUPPORTED_BROWSERS,
        help="browser to read the Instagram cookies from (default: firefox)",
    )
    imp.add_argument(
        "--profile",
        metavar="PATH",
        type=Path,
        help="browser profile folder or cookie database (default: the browser's default profile)",
    )
    imp.add_argument(
        "--no-verify", action="store_true", help="do not ask Instagram whether the session works"
    )
    imp.add_argument(
        "--list-profiles", action="store_true", help="list the Firefox profiles found, then exit"
    )
    imp.set_defaults(handler=_import_session)

    login = verbs.add_parser("login", help="log in with username and password")
    login.add_argument(
        "username",
        nargs="?",
        help="Instagram username (default: INSTAGRAM_USERNAME from the settings)",
    )
    login.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of prompting",
    )
    login.set_defaults(handler=_login)

    logout = verbs.add_parser("logout", help="forget the stored Instagram session")
    logout.set_defaults(handler=_logout)

    status = verbs.add_parser(
        "status", help="show whether a session is stored and how each reader is doing"
    )
    status.add_argument(
        "--check", action="store_true", help="also ask Instagram whether the session still works"
    )
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(handler=_status)


def _context(args: argparse.Namespace) -> tuple[Settings, SecretStore, RequestPacer]:
    paths = resolve_paths(getattr(args, "data_dir", None))
    settings = Settings(paths.settings_file)
    from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
    from instarecipe_desktop.wiring.secrets import open_secret_store

    return settings, open_secret_store(config_dir=paths.config_dir), RequestPacer(0.0)


def _wake_readers(args: argparse.Namespace) -> None:
    """A new session deserves a fresh try of every rested reader (``instagram status``)."""
    from instarecipe_desktop.pipeline.extraction.readers.health import READERS_FILE, ReaderHealth

    data_dir = resolve_paths(getattr(args, "data_dir", None)).data_dir
    if (data_dir / READERS_FILE).exists():
        ReaderHealth(data_dir / READERS_FILE).wake()


def _list_profiles() -> int:
    profiles = _session_module().list_firefox_profiles()
    if not profiles:
        print("No Firefox profile was found; give its folder with --profile.")
        return 1
    for profile in profiles:
        marks = ", ".join(
            m
            for m, on in (("default", profile.default), ("no cookies", not profile.has_cookies))
            if on
        )
        print(f"{profile.name}: {profile.path}" + (f" ({marks})" if marks else ""))
    return 0


def _import_session(args: argparse.Namespace) -> int:
    if args.list_profiles:
        return _list_profiles()
    settings, secrets, pacer = _context(args)
    ig = _session_module()
    try:
        session, check = ig.import_browser_session(
            args.browser,
            args.profile,
            pacer,
            username_hint=settings.get("INSTAGRAM_USERNAME"),
            verify=not args.no_verify,
        )
    except ig.SessionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    ig.SessionVault(secrets).save(session)
    _wake_readers(args)
    print(
        f"Imported the Instagram session of {session.username} from "
        f"{args.browser.capitalize()} ({len(session.cookies)} cookies)."
    )
    if check.ok is None and check.problem is not None:
        print(
            f"It could not be checked with Instagram now: {check.problem.message} It is "
            "used anyway."
        )
    if not secrets.status.usable:
        print(secrets.status.message)
    return 0


def _login(args: argparse.Namespace) -> int:
    settings, secrets, pacer = _context(args)
    username = (args.username or settings.get("INSTAGRAM_USERNAME") or "").strip()
    if not username:
        if not sys.stdin.isatty():
            print(
                "error: give the username: instarecipe-desktop instagram login USERNAME",
                file=sys.stderr,
            )
            return 2
        username = input("Instagram username: ").strip()
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(f"Password for {username}: ")
    else:
        print("error: no terminal to ask for the password; use --password-stdin", file=sys.stderr)
        return 2
    if not password:
        print("error: the password is empty", file=sys.stderr)
        return 2

    def ask_code() -> str | None:
        if args.password_stdin:
            code = sys.stdin.readline().strip()
            return code or None
        if not sys.stdin.isatty():
            return None
        return input("Two-factor code from your authenticator app or SMS: ").strip() or None

    ig = _session_module()
    try:
        session = ig.login_with_password(username, password, pacer, ask_code)
    except ig.SessionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    ig.SessionVault(secrets).save(session)
    _wake_readers(args)
    print(f"Logged in to Instagram as {session.username}.")
    if not secrets.status.usable:
        print(secrets.status.message)
    return 0


def _logout(args: argparse.Namespace) -> int:
    _settings, secrets, _pacer = _context(args)
    vault = _session_module().SessionVault(secrets)
    had = vault.load() is not None
    vault.delete()
    print("The Instagram session was forgotten." if had else "No Instagram session was stored.")
    return 0


def _status(args: argparse.Namespace) -> int:
    _settings, secrets, pacer = _context(args)
    ig = _session_module()
    session = ig.SessionVault(secrets).load()
    from instarecipe_desktop.pipeline.extraction.readers.status import reader_statuses, when_text

    readers = reader_statuses(
        resolve_paths(getattr(args, "data_dir", None)).data_dir,
        session_present=session is not None,
    )
    check = (
        ig.verify_cookies(session.cookies, pacer, session.username)
        if (args.check and session is not None)
        else None
    )
    if args.json:
        print(json.dumps(_status_json(session, readers, check, secrets), ensure_ascii=False))
    else:
        _print_session(session)
        _print_check(check, session)
        print("Readers, in the order they are tried:")
        for reader in readers:
            print(f"  {reader.label} ({reader.version or 'not installed'}): {reader.state_text}")
            failed = (
                f", last failure {when_text(reader.last_failure)}" if reader.last_failure else ""
            )
            print(
                f"      last success {reader.last_success_text}{failed}; "
                f"session {reader.session_text}"
            )
        print(secrets.status.message)
    return 1 if check is not None and not check.ok else 0


def _print_session(session: InstagramSession | None) -> None:
    if session is None:
        print(
            "Instagram: not logged in (posts are read anonymously, which Instagram often "
            "limits).\nImport your browser's session: instarecipe-desktop instagram "
            "import-session --browser firefox"
        )
        return
    checked = "checked with Instagram" if session.verified else "not checked with Instagram"
    print(
        f"Instagram: logged in as {session.username} (from {session.source}, saved "
        f"{session.savedAt[:19].replace('T', ' ')} UTC, {checked})."
    )


def _print_check(check: Verification | None, session: InstagramSession | None) -> None:
    if check is None or session is None:
        return
    if check.ok:
        print(f"Instagram confirms the session of {check.username or session.username}.")
    elif check.ok is False:
        print("Instagram says this session is logged out: import it again.")
    else:
        problem = check.problem.message if check.problem else "unknown problem"
        print(f"The session could not be checked now: {problem}")


def _status_json(
    session: InstagramSession | None,
    readers: list[ReaderStatus],
    check: Verification | None,
    secrets: SecretStore,
) -> dict[str, Any]:
    """What ``status --json`` prints: whether a session is present, never the session."""
    out: dict[str, Any] = {
        "session": {
            "present": session is not None,
            "username": session.username if session else None,
            "source": session.source if session else None,
            "verified": session.verified if session else None,
            "keyringUsable": secrets.status.usable,
        },
        "readers": [reader.to_json() for reader in readers],
    }
    if check is not None:
        out["check"] = {
            "ok": check.ok,
            "problem": check.problem.message if check.problem else None,
        }
    return out
