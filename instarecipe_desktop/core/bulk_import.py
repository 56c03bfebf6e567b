"""From what an export holds to what is queued: collections, the chosen posts, the counts.

``plan_import`` turns an ``ExportReading`` into an ``ImportPlan``: the post links to queue (one
per post, canonical), the links that are not posts with the reason, and every collection with
its count and a few authors. ``ImportSummary`` is the JSON the CLI prints and the window shows.
Pure: no I/O, no queue.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from instarecipe_desktop.core.export_files import ExportReading
from instarecipe_desktop.core.links import LinkRejected, PostLink, parse_post_link

AUTHORS_SHOWN = 3


class UnknownCollection(ValueError):
    """A chosen collection is not in the export; ``known`` lists the ones that are."""

    def __init__(self, missing: list[str], known: list[str]) -> None:
        self.missing = missing
        self.known = known
        names = ", ".join(f'"{n}"' for n in known) if known else "none"
        super().__init__(
            f"The export has no collection named {', '.join(repr(m) for m in missing)}. "
            f"Its collections: {names}."
        )


@dataclass
class CollectionSummary:
    name: str
    count: int  # distinct posts
    authors: list[str] = field(default_factory=list)  # the most frequent few

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "count": self.count}


@dataclass(frozen=True)
class RejectedLink:
    url: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"url": self.url, "reason": self.reason}


@dataclass
class ImportPlan:
    links: list[PostLink]  # one per post, in the export's order
    rejected: list[RejectedLink]
    collections: list[CollectionSummary]
    problems: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the files read, for messages
    members: dict[str, set[str]] = field(default_factory=dict)  # collection -> post keys
    #: a whole export's liked posts that are not saves too: left out, offered by the window
    liked: list[PostLink] = field(default_factory=list)

    @property
    def found(self) -> int:
        return len(self.links) + len(self.rejected)


@dataclass
class ImportSummary:
    found: int
    queued: int
    already_queued: int
    rejected: int
    collections: list[CollectionSummary]
    dry_run: bool = False
    would_queue: int = 0
    rejected_links: list[RejectedLink] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "found": self.found,
            "queued": self.queued,
            "alreadyQueued": self.already_queued,
            "rejected": self.rejected,
            "collections": [c.to_json() for c in self.collections],
        }
        if self.dry_run:
            data["dryRun"] = True
            data["wouldQueue"] = self.would_queue
            data["rejectedLinks"] = [r.to_json() for r in self.rejected_links]
        return data


def post_key(link: PostLink) -> str:
    """The queue's dedupe key of a post (its shortcode; a share link's URL)."""
    return f"sc:{link.shortcode}" if link.shortcode else f"url:{link.url}"


def _posts(reading: ExportReading) -> list[tuple[str, str | None, str | None]]:
    """(url, author, collection) of every entry to consider; a whole export leaves out its
    liked posts (likes are not saves: give liked_posts.json itself to import them)."""
    entries: list[tuple[str, str | None, str | None]] = []
    for file in reading.files:
        if reading.whole_export and file.kind == "liked_posts":
            continue
        entries.extend((p.url, p.author, p.collection) for p in file.posts)
    return entries


def collection_names(reading: ExportReading) -> list[str]:
    names: list[str] = []
    for file in reading.files:
        for name in file.collections:
            if name not in names:
                names.append(name)
        for post in file.posts:
            if post.collection and post.collection not in names:
                names.append(post.collection)
    return names


def _resolve_names(chosen: Sequence[str], known: list[str]) -> list[str]:
    resolved, missing = [], []
    by_folded = {name.casefold(): name for name in known}
    for name in chosen:
        exact = name if name in known else by_folded.get(name.strip().casefold())
        if exact is None:
            missing.append(name)
        elif exact not in resolved:
            resolved.append(exact)
    if missing:
        raise UnknownCollection(missing, known)
    return resolved


def plan_import(reading: ExportReading, chosen: Sequence[str] | None = None) -> ImportPlan:
    """What importing ``reading`` queues; only the posts of the ``chosen`` collections when
    given (raises ``UnknownCollection`` for a name the export does not have)."""
    known = collection_names(reading)
    wanted = set(_resolve_names(chosen, known)) if chosen else None
    links: dict[str, PostLink] = {}
    rejected: dict[str, RejectedLink] = {}
    members: dict[str, set[str]] = {name: set() for name in known}
    authors: dict[str, Counter[str]] = {name: Counter() for name in known}
    for url, author, collection in _posts(reading):
        try:
            link: PostLink | None = parse_post_link(url)
        except LinkRejected as exc:
            link = None
            reason = exc.reason
        key = post_key(link) if link is not None else f"bad:{url}"
        if collection is not None:
            if key not in members[collection] and author:
                authors[collection][author] += 1
            members[collection].add(key)
        if wanted is not None and collection not in wanted:
            continue
        if link is None:
            rejected.setdefault(url, RejectedLink(url=url, reason=reason))
        else:
            links.setdefault(key, link)
    liked: dict[str, PostLink] = {}
    if reading.whole_export and wanted is None:
        for file in reading.files:
            if file.kind != "liked_posts":
                continue
            for post in file.posts:
                try:
                    like = parse_post_link(post.url)
                except LinkRejected:
                    continue
                if post_key(like) not in links:
                    liked.setdefault(post_key(like), like)
    summaries = [
        CollectionSummary(
            name=name,
            count=len(members[name]),
            authors=[a for a, _n in authors[name].most_common(AUTHORS_SHOWN)],
        )
        for name in known
    ]
    return ImportPlan(
        links=list(links.values()),
        rejected=list(rejected.values()),
        collections=summaries,
        problems=list(reading.problems),
        files=[file.name for file in reading.files],
        members=members,
        liked=list(liked.values()),
    )
