"""Queue verbs: add, list, show, retry, resend, remove, run — the web app's REST API as commands.

JSON goes to stdout in the web app's shapes; messages and progress go to stderr.
Exit codes: 0 ok, 1 refused or not found, 2 bad input (e.g. a link that is not a post).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sqlite3
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from instarecipe_desktop.core.backoff import describe_delay
from instarecipe_desktop.core.items import ItemStatus, QueueEvent, QueueItem, utcnow
from instarecipe_desktop.core.links import LinkRejected, parse_post_link
from instarecipe_desktop.core.manager import ActionResult, QueueManager
from instarecipe_desktop.core.paths import AppPaths, resolve_paths
from instarecipe_desktop.core.phases import Phases
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.core.store import StoreError, writable_problem
from instarecipe_desktop.wiring.logs import setup_logging

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    add = sub.add_parser(
        "add",
        help="queue Instagram post links",
        description="Queue Instagram post links; prints each item as a JSON "
        "line. Links that are not posts are reported on stderr (exit code 2).",
    )
    add.add_argument("urls", nargs="*", metavar="URL")
    add.add_argument(
        "--from-file",
        metavar="FILE",
        help="queue every Instagram post link in FILE (any text or HTML, one or many links "
        "per line; an export's file or zip too); prints the import's JSON summary",
    )
    add.add_argument(
        "--text-file",
        metavar="FILE",
        help="the post's caption as you copied it ('-' reads stdin); the link "
        "is then not fetched from Instagram (one URL only)",
    )
    add.set_defaults(handler=_guarded(cmd_add))

    lst = sub.add_parser(
        "list",
        help="list queued items (newest first) as JSON",
        description='Prints {"items": [...], "total": N, "hasMore": bool}.',
    )
    lst.add_argument(
        "--status",
        action="append",
        metavar="S",
        help="only these statuses (pending, in_progress, success, error, "
        "unhealthy); repeat or separate with commas",
    )
    lst.add_argument(
        "--awaiting-review",
        action="store_true",
        help="only items held for your review (see 'review' and 'approve')",
    )
    lst.add_argument("--limit", type=_non_negative, default=50, metavar="N")
    lst.add_argument("--offset", type=_non_negative, default=0, metavar="N")
    lst.set_defaults(handler=_guarded(cmd_list))

    show = sub.add_parser("show", help="print one item as JSON, with its log")
    show.add_argument(
        "ref", metavar="ID", help="item id (or a unique start of it), shortcode or post link"
    )
    show.set_defaults(handler=_guarded(cmd_show))

    retry = sub.add_parser("retry", help="retry a failed item at the phase that failed")
    retry.add_argument("ref", metavar="ID")
    retry.set_defaults(handler=_guarded(cmd_retry))

    resend = sub.add_parser(
        "resend",
        help="send a saved recipe to Tandoor again (updates the same recipe)",
        description="Puts a saved item's recipe into the same Tandoor recipe again (steps, "
        "ingredients, keywords and photo replaced); the running engine (the window or 'run') "
        'does it within a second. Prints {"success", "message", "tandoorUrl"}; exit code 1 '
        "when the item is not saved.",
    )
    resend.add_argument("ref", metavar="ID")
    resend.add_argument("--as-new", action="store_true", help="make a separate new recipe instead")
    resend.set_defaults(handler=_guarded(cmd_resend))

    remove = sub.add_parser("remove", help="remove an item from the queue")
    remove.add_argument("ref", metavar="ID")
    remove.set_defaults(handler=_guarded(cmd_remove))

    run = sub.add_parser(
        "run",
        help="process the queue without the window",
        description="Process the queue headless, with progress on stderr. "
        "Ctrl-C stops cleanly; unfinished items resume next time.",
    )
    run.add_argument(
        "--until-idle",
        action="store_true",
        help="exit once nothing is pending or waiting for a retry",
    )
    run.set_defaults(handler=_guarded(cmd_run))


def _guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Setup problems (an unusable data folder) become a message and exit code 1."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except _SetupError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_REFUSED

    run.__doc__ = handler.__doc__
    return run


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


# -- shared plumbing ------------------------------------------------------------------------


@dataclass
class _Env:
    paths: AppPaths
    settings: Settings


class _SetupError(Exception):
    pass


def _setup(args: argparse.Namespace, secrets: list[str] | None = None) -> _Env:
    try:
        paths = resolve_paths(getattr(args, "data_dir", None)).ensure()
    except OSError as exc:
        raise _SetupError(f"error: cannot use the data folder: {exc}") from exc
    setup_logging(paths, secrets=secrets or (), verbose=bool(getattr(args, "verbose", False)))
    settings = Settings(paths.settings_file)
    for problem in settings.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return _Env(paths, settings)


def _print_json(data: Any, stream: TextIO | None = None, *, one_line: bool = False) -> None:
    stream = stream or sys.stdout
    pretty = not one_line and stream.isatty()
    stream.write(json.dumps(data, ensure_ascii=False, indent=2 if pretty else None) + "\n")
    stream.flush()


def _with_manager(
    env: _Env, phases: Phases | None, body: Callable[[QueueManager], Awaitable[int]]
) -> int:
    async def main() -> int:
        try:
            manager = await QueueManager.open(env.paths, env.settings, phases)
        except StoreError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_REFUSED
        for problem in manager.problems:
            print(f"warning: {problem}", file=sys.stderr)
        try:
            try:
                code = await body(manager)
            finally:
                await manager.close()  # writes what is left: may fail on a full disk
        except StoreError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_REFUSED
        return code

    try:
        return asyncio.run(main())
    except (OSError, sqlite3.Error) as exc:
        print(f"error: the queue could not be saved: {exc}", file=sys.stderr)
        return EXIT_REFUSED


def resolve_item(manager: QueueManager, ref: str) -> QueueItem | None:
    """An item by id, unique id prefix (4+ characters), shortcode or post link."""
    ref = ref.strip()
    item = manager.get(ref) or manager.find_by_shortcode(ref)
    if item is not None:
        return item
    try:
        link = parse_post_link(ref)
    except LinkRejected:
        link = None
    if link is not None and link.shortcode:
        return manager.find_by_shortcode(link.shortcode)
    if len(ref) >= 4:
        matches = [i for i in manager.all_items() if i.id.startswith(ref)]
        if len(matches) == 1:
            return matches[0]
    return None


def shown_text(text: str, limit: int = 120) -> str:
    """Outside text for the terminal: control characters escaped (no escape sequences reach
    the terminal), long text cut."""
    shown = text if text.isprintable() else ascii(text)[1:-1]
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _not_found(ref: str) -> int:
    print(
        f"error: no queued item matches {shown_text(ref)!r} (use the id from 'list').",
        file=sys.stderr,
    )
    return EXIT_REFUSED


# -- add ------------------------------------------------------------------------------------


def cmd_add(args: argparse.Namespace) -> int:
    if args.from_file:
        if args.urls or args.text_file:
            print("error: --from-file goes without URLs or --text-file.", file=sys.stderr)
            return EXIT_BAD_INPUT
        from instarecipe_desktop.cli.import_command import read_plan, run_plan

        plan = read_plan(args.from_file, None)
        return plan if isinstance(plan, int) else run_plan(args, plan, dry_run=False)
    if not args.urls:
        print("error: give one or more URLs, or --from-file FILE.", file=sys.stderr)
        return EXIT_BAD_INPUT
    text: str | None = None
    if args.text_file:
        if len(args.urls) != 1:
            print("error: --text-file goes with exactly one URL.", file=sys.stderr)
            return EXIT_BAD_INPUT
        try:
            text = (
                sys.stdin.read()
                if args.text_file == "-"
                else Path(args.text_file).read_text(encoding="utf-8")
            )
        except (OSError, UnicodeDecodeError) as exc:
            print(f"error: cannot read {args.text_file}: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        if not text.strip():
            print("error: the text is empty.", file=sys.stderr)
            return EXIT_BAD_INPUT
    env = _setup(args)

    async def body(manager: QueueManager) -> int:
        code = EXIT_OK
        queued = []
        for url in args.urls:
            try:
                result = await manager.enqueue(url, text=text)
            except LinkRejected as exc:
                print(f"rejected {shown_text(url)}: {exc.reason}", file=sys.stderr)
                code = EXIT_BAD_INPUT
                continue
            if not result.created:
                note = "queued again" if result.requeued else "already queued"
                print(f"{note}: {result.item.url} (id {result.item.id})", file=sys.stderr)
            queued.append(result.item)
        await manager.flush()  # raises StoreError (full disk, read-only): nothing is claimed
        for item in queued:
            _print_json(item.to_json(include_log=False), one_line=True)
        return code

    return _with_manager(env, None, body)


# -- list / show ----------------------------------------------------------------------------


def _statuses(raw: list[str] | None) -> list[ItemStatus] | None:
    if not raw:
        return None
    names = [part.strip() for value in raw for part in value.split(",") if part.strip()]
    try:
        return [ItemStatus(name) for name in names]
    except ValueError:
        known = ", ".join(s.value for s in ItemStatus)
        raise ValueError(f"unknown status in {', '.join(names)}; known: {known}") from None


def cmd_list(args: argparse.Namespace) -> int:
    try:
        statuses = _statuses(args.status)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    env = _setup(args)

    async def body(manager: QueueManager) -> int:
        page = manager.page(
            statuses, limit=args.limit, offset=args.offset, awaiting_review=args.awaiting_review
        )
        data = page.to_json()
        data["items"] = [item.to_json(include_log=False) for item in page.items]
        _print_json(data)
        return EXIT_OK

    return _with_manager(env, None, body)


def cmd_show(args: argparse.Namespace) -> int:
    env = _setup(args)

    async def body(manager: QueueManager) -> int:
        item = resolve_item(manager, args.ref)
        if item is None:
            return _not_found(args.ref)
        _print_json(item.to_json())
        return EXIT_OK

    return _with_manager(env, None, body)


# -- retry / remove -------------------------------------------------------------------------


def _action(
    args: argparse.Namespace, act: Callable[[QueueManager, str], Awaitable[ActionResult]]
) -> int:
    env = _setup(args)

    async def body(manager: QueueManager) -> int:
        item = resolve_item(manager, args.ref)
        if item is None:
            _print_json(ActionResult(False, "No such item.").to_json())
            return _not_found(args.ref)
        result = await act(manager, item.id)
        _print_json(result.to_json())
        if not result.success:
            print(f"refused: {result.message}", file=sys.stderr)
            return EXIT_REFUSED
        return EXIT_OK

    return _with_manager(env, None, body)


def cmd_retry(args: argparse.Namespace) -> int:
    return _action(args, lambda manager, item_id: manager.retry(item_id))


def cmd_resend(args: argparse.Namespace) -> int:
    return _action(args, lambda manager, item_id: manager.resend(item_id, as_new=args.as_new))


def cmd_remove(args: argparse.Namespace) -> int:
    return _action(args, lambda manager, item_id: manager.remove(item_id))


# -- run ------------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    from instarecipe_desktop.core.secrets import TANDOOR_API_TOKEN
    from instarecipe_desktop.wiring.secrets import open_secret_store
    from instarecipe_desktop.wiring.services import ServiceError, build_phases

    secrets = open_secret_store(
        config_dir=resolve_paths(getattr(args, "data_dir", None)).config_dir
    )
    env = _setup(args, secrets=secrets.known_values())
    if not env.settings.get("QUEUE_PROCESSING_ENABLED"):
        print(
            "Processing is turned off (QUEUE_PROCESSING_ENABLED=false): links are accepted "
            "but nothing is processed. Turn it on in Settings or the environment.",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    problem = writable_problem(env.paths.database)
    if problem is not None:  # refuse before any work whose result could not be kept
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_REFUSED
    try:
        phases = build_phases(env.settings, secrets, env.paths)
    except ServiceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    tandoor_url = str(env.settings.get("TANDOOR_BASE_URL") or "").strip()
    if tandoor_url and not secrets.get(TANDOOR_API_TOKEN):
        print(
            f"warning: a Tandoor address is set ({tandoor_url}) but no API token is known "
            "(neither TANDOOR_API_TOKEN nor the system keyring has one). Recipes wait for it "
            "and are NOT saved to the local library: set TANDOOR_API_TOKEN, or enter the token "
            "in the app's Settings, then run again.",
            file=sys.stderr,
        )

    async def body(manager: QueueManager) -> int:
        display = ProgressDisplay(sys.stderr, manager)
        unsubscribe = manager.subscribe(display.on_event)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows
                loop.add_signal_handler(sig, stop.set)
        try:
            await manager.start()
            if manager.processing_blocked:
                print(f"error: {manager.processing_blocked}", file=sys.stderr)
                return EXIT_REFUSED
            display.redraw(force=True)
            waiters: list[asyncio.Task[Any]] = [
                asyncio.create_task(stop.wait(), name="run-stop"),
                # a failure every item would meet (Tandoor refuses the token): one message
                asyncio.create_task(manager.wait_until_stopped(), name="run-stopped"),
            ]
            if args.until_idle:
                waiters.append(asyncio.create_task(manager.wait_until_idle(), name="run-idle"))
            try:
                await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiter in waiters:
                    waiter.cancel()
                await asyncio.gather(*waiters, return_exceptions=True)
            if stop.is_set():
                display.line("Stopping; unfinished items resume next time.")
            elif manager.stop_reason:
                display.line(f"stopped   {manager.stop_reason}")
                display.finish()
                return EXIT_REFUSED
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.remove_signal_handler(sig)
            unsubscribe()
        display.finish()
        return EXIT_OK

    return _with_manager(env, phases, body)


class ProgressDisplay:
    """Progress on stderr: outcome lines always; on a terminal also a live status line."""

    def __init__(self, stream: TextIO, manager: QueueManager, interval: float = 0.1) -> None:
        self._stream = stream
        self._manager = manager
        self._tty = stream.isatty()
        self._interval = interval
        self._last_draw = 0.0
        self._status_shown = False
        self._current: dict[str, str] = {}  # item id -> "shortcode: parsing 40%"
        self._last_status: dict[str, ItemStatus] = {}
        self._last_held: dict[str, bool] = {}

    def on_event(self, event: QueueEvent) -> None:
        item = event.item
        previous = self._last_status.get(item.id)
        self._last_status[item.id] = item.status
        name = item.shortcode or item.url
        if item.status is ItemStatus.IN_PROGRESS:
            phase = item.next_phase()
            state = item.phase(phase) if phase else None
            percent = f" {state.progress}%" if state and state.progress else ""
            self._current[item.id] = f"{name}: {phase.value if phase else ''}{percent}"
        else:
            self._current.pop(item.id, None)
        held = item.waiting_for_review
        if held and self._last_held.get(item.id) is not True:
            self.line(f"review    {item.title}: {item.review_reason or 'ready for review'}")
        self._last_held[item.id] = held
        if item.status is not previous:
            if item.status is ItemStatus.SUCCESS:
                self.line(f"saved     {item.title}  ->  {item.results.tandoor_url or '-'}")
            elif item.status is ItemStatus.ERROR and item.error:
                self.line(f"failed    {name}: {_error_text(item)}")
            elif item.waiting_for_settings and item.error:
                self.line(f"waiting   {name}: {_error_text(item)}")
            elif item.status is ItemStatus.UNHEALTHY and item.error:
                when = ""
                if item.next_retry_at:
                    wait = (item.next_retry_at - utcnow()).total_seconds()
                    when = f" (attempt {item.attempts + 1} in {describe_delay(max(0, wait))})"
                self.line(f"retrying  {name}: {_error_text(item)}{when}")
            elif item.status is ItemStatus.IN_PROGRESS and not self._tty:
                self.line(f"started   {name}")
        self.redraw()

    def status_text(self) -> str:
        counts = self._manager.counts()
        parts = [
            f"{counts[ItemStatus.SUCCESS]} saved",
            f"{counts[ItemStatus.ERROR]} failed",
            f"{counts[ItemStatus.IN_PROGRESS]} running",
            f"{counts[ItemStatus.PENDING] - self._manager.review_count} waiting",
            f"{counts[ItemStatus.UNHEALTHY] - self._manager.waiting_for_settings} to retry",
        ]
        if self._manager.review_count:
            parts.append(f"{self._manager.review_count} ready for review")
        if waiting := self._manager.waiting_for_settings:
            parts.append(f"{waiting} waiting for the Tandoor token")
        text = "Queue: " + ", ".join(parts)
        if self._current:
            text += " | " + "; ".join(list(self._current.values())[:3])
        return text

    def redraw(self, force: bool = False) -> None:
        if not self._tty:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < self._interval:
            return
        self._last_draw = now
        self._stream.write("\r\x1b[K" + self.status_text()[:200])
        self._stream.flush()
        self._status_shown = True

    def line(self, text: str) -> None:
        if self._tty and self._status_shown:
            self._stream.write("\r\x1b[K")
        self._stream.write(text + "\n")
        self._stream.flush()
        if self._tty:
            self.redraw(force=True)

    def finish(self) -> None:
        if self._tty:
            self._stream.write("\r\x1b[K")
        self._stream.write(self.status_text().split(" | ")[0] + "\n")
        self._stream.flush()


def _error_text(item: QueueItem) -> str:
    assert item.error is not None
    text = item.error.message
    if item.error.suggestion:
        text += " " + item.error.suggestion
    return text
