"""The progress line of a big import and its time estimate: from the pacing before anything is
read, from the pace seen once a few posts are read (when slower), time paused left out."""

from __future__ import annotations

from instarecipe_desktop.core.import_progress import (
    BatchProgress,
    describe_duration,
    estimate_text,
)
from instarecipe_desktop.core.items import (
    ItemStatus,
    PhaseName,
    PhaseStatus,
    QueueEvent,
    QueueEventType,
    QueueItem,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def item(n: int) -> QueueItem:
    return QueueItem(url=f"https://www.instagram.com/p/CxPR{n:06d}/", id=f"id{n}")


def read(progress: BatchProgress, n: int, status: ItemStatus = ItemStatus.IN_PROGRESS) -> bool:
    it = item(n)
    it.phase(PhaseName.EXTRACTION).status = PhaseStatus.COMPLETED
    it.status = status
    return progress.on_event(QueueEvent.of(QueueEventType.UPDATED, it))


def test_the_estimate_before_a_run_is_the_pacing() -> None:
    assert estimate_text(600, 4) == "about 40 minutes at one post every 4 s"
    assert estimate_text(1200, 6.5) == "about 2 hours 10 minutes at one post every 6.5 s"
    assert estimate_text(10, 0) == "as fast as the phases go (no pacing set)"
    assert describe_duration(59) == "under a minute"
    assert describe_duration(3 * 86400) == "about 3 days"


def test_progress_counts_reads_and_uses_the_slower_pace_seen() -> None:
    clock = Clock()
    progress = BatchProgress([f"id{n}" for n in range(1200)], 4, clock=clock)
    assert progress.text() == "0 of 1,200 read · about 1 h 20 min left at one post every 4 s"
    assert not progress.on_event(QueueEvent.of(QueueEventType.UPDATED, item(5)))  # not read yet
    assert not read(progress, 99_999)  # not one of this import
    for n in range(312):
        clock.now += 6.5  # slower than the pacing: a slow reader, retries
        read(progress, n)
    assert progress.read == 312
    # 888 left at 6.5 s a post = 96 min
    assert progress.text() == "312 of 1,200 read · about 1 h 40 min left at the current pace"
    assert progress.text(paused="paused") == "312 of 1,200 read · paused"


def test_time_paused_is_not_counted_in_the_pace_and_failures_are_said() -> None:
    clock = Clock()
    progress = BatchProgress(["id0", "id1", "id2", "id3", "id4", "id5"], 10, clock=clock)
    for n in range(4):
        clock.now += 10
        read(progress, n, ItemStatus.ERROR if n == 1 else ItemStatus.IN_PROGRESS)
    progress.set_paused(True)
    clock.now += 3600  # an hour paused
    progress.set_paused(False)
    assert progress.seconds_per_post() == 10
    assert progress.text() == "4 of 6 read (1 failed) · under a minute left at the current pace"
    assert progress.on_event(QueueEvent.of(QueueEventType.REMOVED, item(4)))
    read(progress, 5, ItemStatus.SUCCESS)
    assert progress.finished and progress.text() == "5 of 5 read (1 failed)"


def test_without_pacing_the_time_left_waits_for_the_first_reads() -> None:
    progress = BatchProgress(["id0", "id1"], 0, clock=Clock())
    assert progress.text() == "0 of 2 read · the time left is known after the first posts"
