"""Scriptable fake phases for the queue engine: latencies, failures per phase and per attempt,
call counters. In-process tests build ``FakePhases(...)`` directly; subprocesses (CLI tests, the
GUI smoke test, the soak) use::

    INSTARECIPE_PHASE_FACTORY=tests.support.fake_phases:make_phases
    INSTARECIPE_FAKE_PHASES='{"latency": {"parsing": 0.05}, ...}'   # JSON, or a JSON file path

Script (every key optional)::

    {
      "latency":  {"extraction": 0.01, "parsing": 0.01, "uploading": 0.01},   # seconds
      "outcomes": {"parsing": ["recoverable", "ok"]},     # per phase, one entry per attempt
      "items":    {"<shortcode or url>": {"latency": {...}, "outcomes": {...},
                                          "text": "caption", "shortcode": "ABC" (share links),
                                          "recipe": {Recipe JSON the parser returns}}},
      "record":   "/path/calls.jsonl",  # one JSON line per phase call (subprocess tests)
      "announce": true                  # print "fake-phase start <phase> <key>" on stderr
    }

An outcome is ``"ok"``, ``"recoverable"``, ``"permanent"``, ``"crash"`` (raises RuntimeError:
a bug), ``"hang"`` (waits until cancelled or timed out), or a dict
``{"kind": "recoverable"|"permanent", "message": ..., "suggestion": ..., "code": ...,
"retry_after": seconds}``. Attempts past the end of the list succeed.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from instarecipe_desktop.core.errors import PermanentError, RecoverableError
from instarecipe_desktop.core.phases import (
    Extraction,
    ParseOutcome,
    PhaseContext,
    Phases,
    UploadOutcome,
)
from instarecipe_desktop.core.recipe import Ingredient, Recipe, Step

ENV_SCRIPT = "INSTARECIPE_FAKE_PHASES"


def item_key(ctx: PhaseContext) -> str:
    return ctx.item.shortcode or ctx.item.url


class FakePhases:
    """One object playing extractor, parser and uploader."""

    def __init__(
        self,
        latency: dict[str, float] | None = None,
        outcomes: dict[str, list[Any]] | None = None,
        items: dict[str, dict[str, Any]] | None = None,
        record: str | os.PathLike[str] | None = None,
        announce: bool = False,
    ) -> None:
        self.latency = dict(latency or {})
        self.outcomes = {k: list(v) for k, v in (outcomes or {}).items()}
        self.items = dict(items or {})
        self.record = Path(record) if record else None
        self.announce = announce
        self.calls: Counter[tuple[str, str]] = Counter()  # (phase, key) -> calls started
        self.completed: Counter[tuple[str, str]] = Counter()
        self.call_log: list[tuple[str, str]] = []
        self.active = 0
        self.max_active = 0
        self.active_items: set[str] = set()
        self.max_active_items = 0
        self.closed = False
        self._next_recipe_id = 1
        self.uploaded: list[Recipe] = []  # what the uploader was given, in order
        self._started = asyncio.Event()

    @classmethod
    def from_script(cls, script: dict[str, Any]) -> FakePhases:
        return cls(
            latency=script.get("latency"),
            outcomes=script.get("outcomes"),
            items=script.get("items"),
            record=script.get("record"),
            announce=bool(script.get("announce")),
        )

    def phases(self) -> Phases:
        return Phases(extractor=self, parser=self, uploader=self, closers=[self.aclose])

    async def aclose(self) -> None:
        self.closed = True

    # -- helpers for tests -------------------------------------------------------------------
    def count(self, phase: str, key: str | None = None) -> int:
        if key is None:
            return sum(n for (p, _k), n in self.calls.items() if p == phase)
        return self.calls[(phase, key)]

    async def wait_for_call(self, phase: str, key: str | None = None, count: int = 1) -> None:
        """Wait until the phase has been started ``count`` times (for that key)."""
        while self.count(phase, key) < count:
            self._started.clear()
            await self._started.wait()

    # -- the script --------------------------------------------------------------------------
    def _item_script(self, key: str) -> dict[str, Any]:
        return self.items.get(key, {})

    def _latency(self, phase: str, key: str) -> float:
        own = self._item_script(key).get("latency", {})
        return float(own.get(phase, self.latency.get(phase, 0.0)))

    def _outcome(self, phase: str, key: str, attempt: int) -> Any:
        own = self._item_script(key).get("outcomes", {})
        plan = own.get(phase, self.outcomes.get(phase, []))
        return plan[attempt - 1] if attempt <= len(plan) else "ok"

    async def _run(self, phase: str, ctx: PhaseContext) -> None:
        key = item_key(ctx)
        self.calls[(phase, key)] += 1
        attempt = self.calls[(phase, key)]
        self.call_log.append((phase, key))
        self._started.set()
        self.active += 1
        self.active_items.add(ctx.item.id)
        self.max_active = max(self.max_active, self.active)
        self.max_active_items = max(self.max_active_items, len(self.active_items))
        self._record({"phase": phase, "key": key, "attempt": attempt, "event": "start"})
        if self.announce:
            print(f"fake-phase start {phase} {key}", file=sys.stderr, flush=True)
        try:
            latency = self._latency(phase, key)
            outcome = self._outcome(phase, key, attempt)
            if latency:
                ctx.progress(10, f"fake {phase}")
                await asyncio.sleep(latency)
                ctx.progress(90)
            if outcome == "hang":
                await asyncio.Event().wait()  # until cancelled or timed out
            self._raise_outcome(outcome, phase)
            self.completed[(phase, key)] += 1
            self._record({"phase": phase, "key": key, "attempt": attempt, "event": "done"})
        finally:
            self.active -= 1
            self.active_items.discard(ctx.item.id)

    @staticmethod
    def _raise_outcome(outcome: Any, phase: str) -> None:
        if outcome in (None, "ok"):
            return
        if outcome == "crash":
            raise RuntimeError(f"scripted crash in {phase}")
        spec: dict[str, Any] = {"kind": outcome} if isinstance(outcome, str) else dict(outcome)
        kind = spec.pop("kind", "recoverable")
        message = spec.pop("message", f"Scripted {kind} failure in {phase}.")
        error_cls = RecoverableError if kind == "recoverable" else PermanentError
        raise error_cls(message, **spec)

    def _record(self, entry: dict[str, Any]) -> None:
        if self.record is None:
            return
        with self.record.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")

    # -- the three phases --------------------------------------------------------------------
    async def extract(self, ctx: PhaseContext) -> Extraction:
        await self._run("extraction", ctx)
        key = item_key(ctx)
        script = self._item_script(key)
        shortcode = ctx.item.shortcode or script.get("shortcode")
        post: dict[str, Any] = {"author": "fake_author", "source": "fake"}
        if shortcode:
            post["shortcode"] = shortcode
            post["canonicalUrl"] = f"https://www.instagram.com/p/{shortcode}/"
        text = script.get("text", f"Fake caption of {key}.\n200 g flour\nBake 20 minutes.")
        return Extraction(text=text, post=post, thumbnail=None)

    async def parse(self, ctx: PhaseContext, extraction: Extraction) -> ParseOutcome:
        await self._run("parsing", ctx)
        scripted = self._item_script(item_key(ctx)).get("recipe")
        if scripted is not None:
            return ParseOutcome(recipe=Recipe.from_json(scripted), usage={"model": "fake"})
        name = f"Recipe from {item_key(ctx)}"
        recipe = Recipe(
            name=name,
            steps=[
                Step(extraction.text.splitlines()[-1] or "Cook.", [Ingredient("flour", 200, "g")])
            ],
        )
        return ParseOutcome(recipe=recipe, usage={"model": "fake", "totalTokens": 42})

    async def upload(
        self, ctx: PhaseContext, recipe: Recipe, extraction: Extraction
    ) -> UploadOutcome:
        await self._run("uploading", ctx)
        self.uploaded.append(recipe)
        self._record(
            {
                "phase": "uploading",
                "key": item_key(ctx),
                "event": "uploaded",
                "recipe": recipe.to_json(),
            }
        )
        recipe_id = self._next_recipe_id
        self._next_recipe_id += 1
        forced = bool(ctx.item.options.get("forceNewRecipe"))
        return UploadOutcome(
            url=f"http://tandoor.invalid/recipe/{recipe_id}/",
            destination="tandoor",
            recipe_id=recipe_id,
            warnings=["forced a new recipe"] if forced else [],
        )


def load_script(environ: dict[str, str] | None = None) -> dict[str, Any]:
    raw = (os.environ if environ is None else environ).get(ENV_SCRIPT, "").strip()
    if not raw:
        return {}
    if raw.startswith("{"):
        return json.loads(raw)
    return json.loads(Path(raw).read_text(encoding="utf-8"))


def make_phases(settings: object, secrets: object, paths: object) -> Phases:
    """``INSTARECIPE_PHASE_FACTORY=tests.support.fake_phases:make_phases``."""
    return FakePhases.from_script(load_script()).phases()


def make_phases_real_uploader(settings: Any, secrets: Any, paths: Any) -> Phases:
    """Fake extraction and parsing, the app's real uploader (Tandoor or the local library):
    ``INSTARECIPE_PHASE_FACTORY=tests.support.fake_phases:make_phases_real_uploader``."""
    from instarecipe_desktop.pipeline.uploading import create_uploader

    fakes = FakePhases.from_script(load_script())
    uploader = create_uploader(settings, secrets, paths)
    return Phases(
        extractor=fakes, parser=fakes, uploader=uploader, closers=[uploader.aclose, fakes.aclose]
    )
