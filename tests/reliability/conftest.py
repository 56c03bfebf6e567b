"""Fixtures of the reliability tests: a small real filesystem, CLI helpers, fakes."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.fakes.fake_llm import fake_llm  # noqa: F401  (fixture)
from tests.fakes.fake_tandoor import fake_tandoor  # noqa: F401  (fixture)


@dataclass
class SmallFilesystem:
    """A size-limited tmpfs mounted for one test (CI runs as root)."""

    path: Path

    def fill(self) -> Path:
        """Take all the free space with one file; returns it (delete it to free the space)."""
        filler = self.path / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            for size in (1 << 16, 1 << 12, 1):  # big blocks, then what is left
                try:
                    while os.write(fd, b"\0" * size):
                        pass
                except OSError:
                    continue
        finally:
            os.close(fd)
        return filler

    def remount(self, *, read_only: bool) -> None:
        mode = "ro" if read_only else "rw"
        subprocess.run(["mount", "-o", f"remount,{mode}", str(self.path)], check=True)


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[SmallFilesystem]:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a size-limited tmpfs (CI runs as root)")
    mountpoint = tmp_path / "smallfs"
    mountpoint.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mountpoint)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield SmallFilesystem(mountpoint)
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def cli(
    *args: str,
    data_dir: Path | None = None,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``instarecipe-desktop ARGS`` as a separate process (the real CLI)."""
    full_env = dict(os.environ)
    if data_dir is not None:
        full_env["INSTARECIPE_DATA_DIR"] = str(data_dir)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "instarecipe_desktop", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
    )


async def process_texts(
    data_dir: Path,
    settings_env: dict[str, str],
    texts: dict[str, str],
    secrets: Any = None,
    timeout: float = 90,
) -> list[Any]:
    """Queue each ``shortcode: caption`` with the person's own text and process the queue with
    the real adapters (``services.build_phases``), no automatic retries; returns the items."""
    from instarecipe_desktop.core.manager import QueueManager
    from instarecipe_desktop.core.paths import resolve_paths
    from instarecipe_desktop.core.settings import Settings
    from instarecipe_desktop.wiring.services import build_phases

    paths = resolve_paths(data_dir).ensure()
    settings = Settings(
        paths.settings_file,
        environ={
            "QUEUE_RETRY_ATTEMPTS": "0",
            "QUEUE_TIMEOUT_MS": "10000",
            "QUEUE_PARSE_TIMEOUT_MS": "10000",
            # these runs are about each item ending saved or failed in words; the fake LLM's
            # answer is not the caption's recipe, so the review step would hold every one
            "REVIEW_BEFORE_SAVING": "never",
            **settings_env,
        },
    )
    store = secrets if secrets is not None else open_secret_store(environ={})
    manager = await QueueManager.open(paths, settings, build_phases(settings, store, paths))
    try:
        for shortcode, text in texts.items():
            await manager.enqueue(f"https://www.instagram.com/p/{shortcode}/", text=text)
        await manager.start()
        await asyncio.wait_for(manager.wait_until_idle(), timeout)
        return manager.all_items()
    finally:
        await manager.close()


def assert_clear_failure(item: Any) -> None:
    """A failed item says what happened in words, with a classified code, and no internals."""
    assert item.status.value == "error", (item.status, item.error)
    error = item.error
    assert error is not None
    assert error.code and error.code != "internal", (error.code, error.message)
    assert len(error.message) >= 10, error.message
    assert error.message[0].isupper() or error.message.startswith("http"), error.message
    for marker in ("Traceback", "Exception", "object at 0x", "<html"):
        assert marker not in error.message, error.message
