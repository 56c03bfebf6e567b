"""``instarecipe-desktop parse [FILE|-] [--offline]``: a caption in, the recipe JSON out.

Exit codes: 0 with the recipe JSON on stdout; 3 when the text holds no recipe; 2 when the file
cannot be read; 1 when the parser fails for another reason (message on stderr).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from instarecipe_desktop.core.errors import PhaseError
from instarecipe_desktop.core.items import PhaseName, QueueItem
from instarecipe_desktop.core.phases import Extraction, ParseOutcome, RecipeParser

EXIT_NO_RECIPE = 3


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "parse",
        help="print the recipe in a caption as JSON",
        description="Read a post's caption from FILE (or standard input) and print the recipe "
        "as JSON. Exits 3 when the text holds no recipe.",
    )
    parser.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE",
        help="caption text file; '-' or nothing reads standard input",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="use the built-in parser even when an LLM is configured",
    )
    parser.add_argument("--url", metavar="URL", help="the post's link, kept as the source URL")
    parser.set_defaults(handler=run)


@dataclass
class _CliContext:
    """A minimal PhaseContext for one parse outside the queue; log lines go to stderr."""

    item: QueueItem
    data_dir: Path
    phase: PhaseName = PhaseName.PARSING
    verbose: bool = False
    lines: list[str] = field(default_factory=list)

    def progress(self, percent: int, message: str | None = None) -> None:
        pass

    def log(self, message: str, level: str = "info") -> None:
        self.lines.append(message)
        if self.verbose:
            print(message, file=sys.stderr)


def _read(source: str) -> str:
    data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    return data.decode("utf-8", errors="replace")


def _parser(offline: bool, data_dir: str | None) -> RecipeParser:
    from instarecipe_desktop.pipeline.parsing.offline import OfflineRecipeParser

    if offline:
        return OfflineRecipeParser()
    try:
        from instarecipe_desktop.pipeline.parsing import create_parser
    except ImportError:  # the LLM side is not installed in this build
        return OfflineRecipeParser()
    from instarecipe_desktop.core.paths import resolve_paths
    from instarecipe_desktop.core.settings import Settings
    from instarecipe_desktop.wiring.secrets import open_secret_store

    paths = resolve_paths(data_dir)
    settings = Settings(paths.settings_file)
    return create_parser(settings, open_secret_store(config_dir=paths.config_dir), paths)


async def _parse_once(
    parser: RecipeParser, ctx: _CliContext, extraction: Extraction
) -> ParseOutcome:
    """Parse, then close the parser's connections (the LLM client) on the same loop."""
    try:
        return await parser.parse(ctx, extraction)
    finally:
        close = getattr(parser, "aclose", None)
        if close is not None:
            await close()


def run(args: argparse.Namespace) -> int:
    try:
        text = _read(args.file)
    except OSError as exc:
        print(f"Cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    from instarecipe_desktop.core.paths import resolve_paths

    paths = resolve_paths(getattr(args, "data_dir", None))
    url = args.url or "https://www.instagram.com/"
    ctx = _CliContext(
        item=QueueItem(url=url),
        data_dir=paths.data_dir,
        verbose=bool(getattr(args, "verbose", False)),
    )
    try:
        parser = _parser(args.offline, getattr(args, "data_dir", None))
        outcome = asyncio.run(_parse_once(parser, ctx, Extraction(text=text)))
    except PhaseError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_NO_RECIPE if exc.code == "no_recipe" else 1
    except Exception as exc:  # a parser bug: say so in one line, not with a traceback
        print(f"Parsing failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    recipe = outcome.recipe
    if recipe.uncertain:  # the JSON says so too; a person at the terminal reads this line
        print(f"Not sure this is right: {'; '.join(recipe.uncertain_reasons)}.", file=sys.stderr)
    if not args.url:
        recipe.source_url = None
    json.dump(recipe.to_json(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
