"""The person's own foods, units and keywords, reused instead of near-duplicates.

Before a recipe is written, each food, unit and keyword name in the payload is replaced by the
space's own name for it (``names.py`` says when two names are one), so Tandoor links the
existing row instead of creating "Onions" beside "onion". What the space has is read once per
uploader (every page of ``/api/food/``, ``/api/unit/``, ``/api/keyword/``), kept for the run,
and read again when a name is missing and the copy is older than ``refresh_s`` (another app
or the person may have added it). Names the app creates are added to the copy once the recipe
is saved. Turned off by the setting ``TANDOOR_REUSE_NAMES``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from instarecipe_desktop.core.errors import PhaseError
from instarecipe_desktop.pipeline.uploading.tandoor.client import TandoorClient
from instarecipe_desktop.pipeline.uploading.tandoor.names import match_name, match_unit

log = logging.getLogger(__name__)

KINDS = ("food", "unit", "keyword")
_PLURAL = {"food": "foods", "unit": "units", "keyword": "keywords"}

Names = list[tuple[str, str | None]]


@dataclass
class NameChoices:
    """What one payload's names became: ``reused`` (kind, name sent, the space's name) and
    ``new`` (kind -> names the space does not have yet, which Tandoor creates)."""

    reused: list[tuple[str, str, str]] = field(default_factory=list)
    new: dict[str, list[str]] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)  # kinds that could not be read

    def log_lines(self) -> list[str]:
        lines = []
        if self.reused:
            pairs = ", ".join(f"“{sent}” → “{own}”" for _kind, sent, own in self.reused)
            lines.append(f"Used your Tandoor's own names: {pairs}.")
        created = [
            f"{_PLURAL[kind] if len(names) > 1 else kind} "
            + ", ".join(f"“{name}”" for name in names)
            for kind in KINDS
            if (names := self.new.get(kind))
        ]
        if created:
            lines.append("New in Tandoor: " + "; ".join(created) + ".")
        return lines


class SpaceNames:
    def __init__(self, client: TandoorClient, refresh_s: float = 30.0) -> None:
        self.client = client
        self.refresh_s = refresh_s
        self._names: dict[str, Names] = {}
        self._loaded_at: dict[str, float] = {}

    async def _load(self, kind: str) -> None:
        self._names[kind] = await self.client.list_names(kind)
        self._loaded_at[kind] = time.monotonic()

    async def _known(self, kind: str, choices: NameChoices, *, refresh: bool = False) -> bool:
        """Read ``kind`` when it was never read (or, with ``refresh``, is old); False when it
        cannot be read (the names are then sent as they are)."""
        loaded = self._loaded_at.get(kind)
        if loaded is not None and not (refresh and time.monotonic() - loaded >= self.refresh_s):
            return True
        try:
            await self._load(kind)
        except PhaseError as exc:
            if exc.code == "tandoor_auth":
                raise
            log.info("Reading the space's %ss failed: %s", kind, exc.message)
            if kind not in choices.unread:
                choices.unread.append(kind)
            return kind in self._names
        return True

    async def choose(self, body: dict[str, Any]) -> NameChoices:
        """Replace the names in ``body`` (in place) by the space's own; say what is new."""
        choices = NameChoices()
        slots: dict[str, list[tuple[dict[str, Any], str]]] = {kind: [] for kind in KINDS}
        for step in body.get("steps") or []:
            for ingredient in step.get("ingredients") or []:
                for kind in ("food", "unit"):
                    named = ingredient.get(kind)
                    if isinstance(named, dict) and isinstance(named.get("name"), str):
                        slots[kind].append((named, named["name"]))
        for keyword in body.get("keywords") or []:
            if isinstance(keyword, dict) and isinstance(keyword.get("name"), str):
                slots["keyword"].append((keyword, keyword["name"]))

        for kind in KINDS:
            if not slots[kind] or not await self._known(kind, choices):
                continue
            matcher = match_unit if kind == "unit" else match_name
            misses = [name for _, name in slots[kind] if matcher(name, self._names[kind]) is None]
            if misses:
                await self._known(kind, choices, refresh=True)
            self._apply(kind, slots[kind], matcher, choices)
        if body.get("keywords"):
            body["keywords"] = _unique_keywords(body["keywords"])
        return choices

    def _apply(
        self,
        kind: str,
        slots: list[tuple[dict[str, Any], str]],
        matcher: Callable[[str, Names], str | None],
        choices: NameChoices,
    ) -> None:
        existing = self._names.get(kind, [])
        new: Names = []  # new in this payload: "Onions" then "onion" make one food
        for named, name in slots:
            own = matcher(name, existing)
            if own is not None:
                if own != name:
                    choices.reused.append((kind, name, own))
                    named["name"] = own
                continue
            first = matcher(name, new)
            if first is not None:
                named["name"] = first
                continue
            new.append((name, None))
            choices.new.setdefault(kind, []).append(name)

    def learn(self, choices: NameChoices) -> None:
        """The recipe is saved: its new names are the space's now."""
        for kind, names in choices.new.items():
            if kind in self._names:
                self._names[kind].extend((name, None) for name in names)


def _unique_keywords(keywords: list[Any]) -> list[Any]:
    seen: set[str] = set()
    unique = []
    for keyword in keywords:
        name = keyword.get("name") if isinstance(keyword, dict) else None
        key = name.strip().casefold() if isinstance(name, str) else None
        if key is not None and key in seen:
            continue
        if key is not None:
            seen.add(key)
        unique.append(keyword)
    return unique
