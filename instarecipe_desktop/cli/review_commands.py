"""Review verbs: ``review ID`` shows a parsed recipe with the post's lines it came from;
``approve ID [--recipe-file FILE|-]`` lets it be saved, as parsed or as edited.

Exit codes: 0 ok, 1 refused (not waiting for review, no such item), 2 bad input (the edited
recipe is not valid: its first problem is said with its JSON path, and nothing changes).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from instarecipe_desktop.cli.queue_commands import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_REFUSED,
    _guarded,
    _not_found,
    _print_json,
    _setup,
    _with_manager,
    resolve_item,
)
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.recipe import Recipe
from instarecipe_desktop.core.recipe_validation import RecipeInvalid, validate_recipe
from instarecipe_desktop.core.review import source_lines


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    review = sub.add_parser(
        "review",
        help="print a parsed recipe with the post's lines it came from, as JSON",
        description='Prints {"id", "awaitingReview", "reviewReason", "extractedText", '
        '"recipe", "lines"}: each step and ingredient with its JSON path, the text of the '
        "post it came from (null: inferred) and whether its amount is in that line.",
    )
    review.add_argument("ref", metavar="ID", help="item id (or a unique start), shortcode or link")
    review.set_defaults(handler=_guarded(cmd_review))

    approve = sub.add_parser(
        "approve",
        help="save a recipe held for review, as it is or as you edited it",
        description="Lets an item held for review go on to uploading. With --recipe-file the "
        "recipe is replaced by the file's (the 'recipe' of 'review', edited); an invalid file "
        "is refused with the JSON path of its first problem and nothing changes.",
    )
    approve.add_argument("ref", metavar="ID")
    approve.add_argument(
        "--recipe-file",
        metavar="FILE",
        help="the edited recipe as JSON ('-' reads stdin); the whole output of 'review' works too",
    )
    approve.set_defaults(handler=_guarded(cmd_approve))


def cmd_review(args: argparse.Namespace) -> int:
    env = _setup(args)

    async def body(manager: QueueManager) -> int:
        item = resolve_item(manager, args.ref)
        if item is None:
            return _not_found(args.ref)
        recipe = item.results.recipe
        if recipe is None:
            print(
                "refused: it has no parsed recipe yet; see 'show' for where it is.",
                file=sys.stderr,
            )
            return EXIT_REFUSED
        text = item.results.extracted_text or ""
        _print_json(
            {
                "id": item.id,
                "url": item.url,
                "status": item.status.value,
                "awaitingReview": item.waiting_for_review,
                "reviewReason": item.review_reason,
                "extractedText": text,
                "recipe": recipe,
                "lines": source_lines(recipe, text),
            }
        )
        return EXIT_OK

    return _with_manager(env, None, body)


def _read_recipe_file(name: str) -> Any:
    """The file's JSON; raises ValueError with a sentence for an unreadable one."""
    try:
        raw = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {name}: {exc}") from None
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"{name} is not JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("recipe"), dict) and "lines" in data:
        return data["recipe"]  # the whole output of 'review'
    return data


def cmd_approve(args: argparse.Namespace) -> int:
    data: Any = None
    if args.recipe_file:
        try:
            data = _read_recipe_file(args.recipe_file)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
    env = _setup(args)

    async def body(manager: QueueManager) -> int:
        item = resolve_item(manager, args.ref)
        if item is None:
            return _not_found(args.ref)
        recipe: Recipe | None = None
        if data is not None and item.waiting_for_review:  # else refused below, with the reason
            try:
                recipe = validate_recipe(data, len(item.results.extracted_text or ""))
            except RecipeInvalid as exc:
                print(f"error: the recipe is not valid at {exc}; nothing changed.", file=sys.stderr)
                _print_json({"success": False, "message": str(exc), "path": exc.path})
                return EXIT_BAD_INPUT
        result = await manager.approve(item.id, recipe)
        await manager.flush()
        _print_json(result.to_json())
        if not result.success:
            print(f"refused: {result.message}", file=sys.stderr)
            return EXIT_REFUSED
        return EXIT_OK

    return _with_manager(env, None, body)
