"""A full disk and a read-only data folder: a clear message, nothing claimed that was not saved,
no corruption, and everything saved before is still there afterwards."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest

from instarecipe_desktop.core.backoff import Backoff
from instarecipe_desktop.core.items import ItemStatus
from instarecipe_desktop.core.manager import QueueManager
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.phases import Phases
from instarecipe_desktop.core.processor import EngineTuning
from instarecipe_desktop.core.settings import Settings
from tests.reliability.conftest import SmallFilesystem, cli
from tests.support.fake_phases import FakePhases

FAKE_PHASES = {"INSTARECIPE_PHASE_FACTORY": "tests.support.fake_phases:make_phases"}


def integrity(database: Path) -> str:
    conn = sqlite3.connect(database)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def queued(data: Path) -> list[dict]:
    listing = cli("list", "--limit", "1000", data_dir=data)
    assert listing.returncode == 0, listing.stderr
    return json.loads(listing.stdout)["items"]


def add(data: Path, shortcode: str, tmp_path: Path) -> object:
    caption = tmp_path / f"{shortcode}.txt"
    caption.write_text(f"Pancakes {shortcode}: 2 eggs, 100 g flour. Mix and fry.", encoding="utf-8")
    return cli(
        "add",
        f"https://www.instagram.com/p/{shortcode}/",
        "--text-file",
        str(caption),
        data_dir=data,
    )


def test_add_on_a_full_disk_says_so_and_keeps_the_queue(
    small_fs: SmallFilesystem, tmp_path: Path
) -> None:
    data = small_fs.path / "data"
    assert add(data, "DISKA001", tmp_path).returncode == 0
    filler = small_fs.fill()

    refused = add(data, "DISKA002", tmp_path)
    assert refused.returncode == 1
    assert "full" in refused.stderr and "Free some space" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert refused.stdout == ""  # no item JSON printed for what was not saved

    filler.unlink()
    assert integrity(data / "queue.sqlite3") == "ok"
    assert [i["shortcode"] for i in queued(data)] == ["DISKA001"]
    assert add(data, "DISKA002", tmp_path).returncode == 0
    assert {i["shortcode"] for i in queued(data)} == {"DISKA001", "DISKA002"}


def test_run_refuses_to_start_on_a_full_disk(small_fs: SmallFilesystem, tmp_path: Path) -> None:
    data = small_fs.path / "data"
    assert add(data, "DISKB001", tmp_path).returncode == 0
    filler = small_fs.fill()
    run = cli("run", "--until-idle", data_dir=data, env=FAKE_PHASES)
    assert run.returncode == 1
    assert "full" in run.stderr and "Traceback" not in run.stderr
    filler.unlink()
    assert [i["status"] for i in queued(data)] == ["pending"]  # nothing was done half-way
    run = cli("run", "--until-idle", data_dir=data, env=FAKE_PHASES)
    assert run.returncode == 0, run.stderr
    assert [i["status"] for i in queued(data)] == ["success"]


def test_read_only_data_folder(small_fs: SmallFilesystem, tmp_path: Path) -> None:
    data = small_fs.path / "data"
    assert add(data, "READ0001", tmp_path).returncode == 0
    before = (data / "queue.sqlite3").read_bytes()
    small_fs.remount(read_only=True)
    try:
        refused = add(data, "READ0002", tmp_path)
        assert refused.returncode == 1
        assert "read-only" in refused.stderr and "Traceback" not in refused.stderr
        assert refused.stdout == ""
        run = cli("run", "--until-idle", data_dir=data, env=FAKE_PHASES)
        assert run.returncode == 1
        assert "read-only" in run.stderr and "Traceback" not in run.stderr
        # a cleanly closed WAL database cannot even be opened read-only: said in words
        listing = cli("list", data_dir=data)
        assert listing.returncode == 1
        assert "read-only" in listing.stderr and "Traceback" not in listing.stderr
    finally:
        small_fs.remount(read_only=False)
    assert (data / "queue.sqlite3").read_bytes() == before
    assert integrity(data / "queue.sqlite3") == "ok"


async def test_disk_fills_up_while_processing(small_fs: SmallFilesystem) -> None:
    """The engine keeps running; failures say the disk is full (not "a bug"); once there is
    space again everything is saved and nothing is lost or damaged."""
    paths = resolve_paths(small_fs.path / "data").ensure()
    fake = FakePhases(latency={"parsing": 0.01})
    settings = Settings(None, environ={"QUEUE_RETRY_ATTEMPTS": "1"})
    manager = await QueueManager.open(
        paths, settings, Phases(fake, fake, fake), tuning=EngineTuning(backoff=Backoff(base=0.05))
    )
    for n in range(20):
        await manager.enqueue(f"https://www.instagram.com/p/DISKC{n:03d}/")
    await manager.flush()
    manager.pause()
    await manager.start()
    filler = small_fs.fill()
    manager.resume()
    await asyncio.wait_for(manager.wait_until_idle(), 60)
    items = manager.all_items()
    failed = [i for i in items if i.status is ItemStatus.ERROR]
    assert failed, "the full disk went unnoticed"
    for item in failed:
        assert item.error is not None
        assert item.error.code != "internal", item.error.message
        assert "full" in item.error.message
    filler.unlink()
    await manager.close()  # what could not be written before is written now

    again = await QueueManager.open(paths, settings, None)
    try:
        assert again.problems == []
        assert {i.shortcode for i in again.all_items()} == {f"DISKC{n:03d}" for n in range(20)}
    finally:
        await again.close()
    assert integrity(paths.database) == "ok"


@pytest.fixture(autouse=True)
def _no_network_phases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INSTARECIPE_PHASE_FACTORY", raising=False)


async def test_upload_records_on_a_full_disk(small_fs: SmallFilesystem, data_dir: Path) -> None:
    """The uploader's records (what makes one post one recipe) cannot be written: a clear,
    retried error, and no recipe is created without its record."""
    from instarecipe_desktop.core.errors import RecoverableError
    from instarecipe_desktop.pipeline.uploading.tandoor import (
        TandoorClient,
        TandoorUploader,
        UploadRecords,
    )
    from tests.fakes.fake_tandoor import TOKEN, V2, FakeTandoor
    from tests.uploading.conftest import make_context, make_extraction, sample_recipe

    with FakeTandoor(V2) as tandoor:
        records = UploadRecords(small_fs.path / "tandoor_uploads.sqlite3")
        uploader = TandoorUploader(TandoorClient(tandoor.base_url, TOKEN, timeout=5.0), records)
        try:
            assert records.count() == 0  # created while there was space
            filler = small_fs.fill()
            with pytest.raises(RecoverableError) as caught:
                await uploader.upload(
                    make_context(data_dir), sample_recipe(), make_extraction(data_dir)
                )
            assert caught.value.code == "storage" and "full" in caught.value.message
            assert tandoor.recipes == {}
            filler.unlink()
            outcome = await uploader.upload(
                make_context(data_dir), sample_recipe(), make_extraction(data_dir)
            )
            assert list(tandoor.recipes) == [outcome.recipe_id]
        finally:
            await uploader.aclose()
            records.close()


def test_the_desktop_app_on_a_full_disk_says_so_instead_of_failing_later(
    small_fs: SmallFilesystem, tmp_path: Path
) -> None:
    from tests.ui.processes import app_env, start_app, wait_until

    data = small_fs.path / "data"
    assert add(data, "DISKD001", tmp_path).returncode == 0
    filler = small_fs.fill()
    log = tmp_path / "app.log"
    app = start_app(app_env(data), log=log)
    try:  # the app shows a message box and waits for the person: read what it said
        wait_until(
            lambda: "could not start" in log.read_text() or app.poll() is not None,
            30,
            "the start-up message",
        )
    finally:
        app.kill()
        app.wait(timeout=30)
        filler.unlink()
    text = log.read_text()
    assert "full" in text and "Free some space" in text
    assert "Traceback" not in text
    assert integrity(data / "queue.sqlite3") == "ok"
