"""``import PATH [--collection NAME]... [--dry-run]``: queue the saved posts of an Instagram data
export (the zip, its folder, one of its files) or of any file with post links.

Prints one JSON object: ``{"found", "queued", "alreadyQueued", "rejected", "collections"}``.
Exit codes: 0 queued (or nothing new to queue), 1 the queue cannot be saved, 2 nothing usable
found, or a collection the export does not have.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from instarecipe_desktop.cli.queue_commands import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    _guarded,
    _print_json,
    _setup,
    _with_manager,
    shown_text,
)
from instarecipe_desktop.core.bulk_import import (
    ImportPlan,
    ImportSummary,
    UnknownCollection,
    plan_import,
)
from instarecipe_desktop.core.export_files import ExportReading, ExportRefused, read_export
from instarecipe_desktop.core.manager import QueueManager


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = sub.add_parser(
        "import",
        help="queue the saved posts of an Instagram data export, or the links in a file",
        description="Reads PATH: Instagram's data export zip (JSON or HTML format), its "
        "unpacked folder, one of its files (saved_posts, saved_collections, liked_posts; "
        ".json or .html), or any text or HTML file with post links. Prints "
        '{"found", "queued", "alreadyQueued", "rejected", "collections"} as JSON. '
        "Exit code 2 when nothing usable was found.",
    )
    cmd.add_argument("path", metavar="PATH")
    cmd.add_argument(
        "--collection",
        action="append",
        metavar="NAME",
        help="only the posts of this saved collection (repeat for several)",
    )
    cmd.add_argument(
        "--dry-run",
        action="store_true",
        help="queue nothing; say what would be queued and why links are rejected",
    )
    cmd.set_defaults(handler=_guarded(cmd_import))


def read_plan(path: str, collections: Sequence[str] | None) -> ImportPlan | int:
    """The plan for ``path``, or an exit code after saying on stderr what is wrong."""
    try:
        reading = read_export(Path(path).expanduser())
    except ExportRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for problem in reading.problems:
        print(f"warning: {problem}", file=sys.stderr)
    if not reading.files:
        print(f"error: {_nothing_found(reading)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return plan_import(reading, collections)
    except UnknownCollection as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _nothing_found(reading: ExportReading) -> str:
    return (
        f"No saved posts were found in {reading.path}: it holds none of "
        f"{reading.looked_for}. Give Instagram's data export (the zip or its folder), one of "
        "those files, or a text file with post links."
    )


def run_plan(args: argparse.Namespace, plan: ImportPlan, *, dry_run: bool) -> int:
    """Queue the plan (or not, in a dry run) and print the summary."""
    env = _setup(args)

    async def body(manager: QueueManager) -> int:
        if dry_run:
            already = sum(
                1
                for link in plan.links
                if link.shortcode and manager.find_by_shortcode(link.shortcode) is not None
            )
            summary = ImportSummary(
                found=plan.found,
                queued=0,
                already_queued=already,
                rejected=len(plan.rejected),
                collections=plan.collections,
                dry_run=True,
                would_queue=len(plan.links) - already,
                rejected_links=plan.rejected,
            )
        else:
            result = await manager.enqueue_links(plan.links)
            await manager.flush()
            summary = ImportSummary(
                found=plan.found,
                queued=result.created,
                already_queued=result.already_queued,
                rejected=len(plan.rejected),
                collections=plan.collections,
            )
        for rejected in plan.rejected[:20] if dry_run else []:
            print(f"rejected {shown_text(rejected.url)}: {rejected.reason}", file=sys.stderr)
        _print_json(summary.to_json())
        if not plan.links:
            if plan.rejected:
                problem = (
                    f"none of the {len(plan.rejected)} Instagram links found is a post or "
                    "reel (see --dry-run for the reasons); nothing was queued."
                )
            else:
                problem = f"no Instagram post links were found in {', '.join(plan.files)}."
            print(f"error: {problem}", file=sys.stderr)
            return EXIT_BAD_INPUT
        return EXIT_OK

    return _with_manager(env, None, body)


def cmd_import(args: argparse.Namespace) -> int:
    plan = read_plan(args.path, args.collection)
    if isinstance(plan, int):
        return plan
    return run_plan(args, plan, dry_run=args.dry_run)
