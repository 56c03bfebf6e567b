"""``instagram status``: each reader's state as the extraction left it in the data folder (ok,
resting until HH:MM, failing: reason, not installed), its last success, whether a session is
present (never the session), in words and as JSON."""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError
from pathlib import Path

import pytest

from instarecipe_desktop.cli import main as cli_main
from instarecipe_desktop.core.errors import PhaseError
from instarecipe_desktop.core.items import QueueItem
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.secrets import SecretStore
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.extraction.extractor import InstagramExtractor
from instarecipe_desktop.pipeline.extraction.pacing import RequestPacer
from instarecipe_desktop.pipeline.extraction.readers import status as status_module
from instarecipe_desktop.pipeline.extraction.readers.health import READERS_FILE, ReaderHealth
from instarecipe_desktop.pipeline.extraction.readers.status import local_hh_mm, reader_statuses
from instarecipe_desktop.pipeline.extraction.session import InstagramSession, SessionVault
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.extraction.conftest import JPEG, FakeContext, FakeInstagram, Response

PHOTO = "https://www.instagram.com/p/C7photo0001/"
SESSION = InstagramSession(
    username="chef.anna",
    source="firefox",
    verified=True,
    cookies={"sessionid": "1001%3Asecret-session-value", "csrftoken": "c", "ds_user_id": "1001"},
)


async def _read(readers: tuple[str, ...], data_dir: Path) -> FakeContext:
    ext = InstagramExtractor(
        Settings(None, environ={}),
        SecretStore(),
        resolve_paths(),
        pacer=RequestPacer(0.0),
        readers=readers,  # the record is the data folder's readers.json, as in the app
    )
    context = FakeContext(QueueItem(url=PHOTO), data_dir)
    try:
        await ext.extract(context)
    except PhaseError:
        pass  # a failing read is what the record should show
    finally:
        await ext.aclose()
    return context


@pytest.fixture
async def record(fake_instagram: FakeInstagram, data_dir: Path) -> Path:
    """instaloader broken three times (rested), yt-dlp reading the post, the embed page
    answering something unknown once (failing, not yet rested)."""
    fake_instagram.server.route(
        "GET", "/img/C7photo0001.jpg", Response(200, JPEG, {"Content-Type": "image/jpeg"})
    )
    fake_instagram.instaloader_broken = Response(200, "<html>surprise</html>")
    for _ in range(3):
        await _read(("instaloader", "yt-dlp"), data_dir)
    fake_instagram.embed_faults.append(Response(200, "<html>nothing we know</html>"))
    await _read(("embed",), data_dir)
    return data_dir / READERS_FILE


async def test_status_names_each_readers_state_last_success_and_session(
    record: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    SessionVault(open_secret_store()).save(SESSION)
    assert cli_main(["instagram", "status"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "Instagram: logged in as chef.anna" in out
    rested_until = ReaderHealth(record).record("instaloader").rested_until
    instaloader = next(i for i, line in enumerate(lines) if line.startswith("  instaloader ("))
    assert lines[instaloader].endswith(f": resting until {local_hh_mm(rested_until)}")
    assert "last success never" in lines[instaloader + 1]
    assert "session present" in lines[instaloader + 1]
    ytdlp = next(i for i, line in enumerate(lines) if line.startswith("  yt-dlp ("))
    assert lines[ytdlp].endswith(": ok")
    assert "last success never" not in lines[ytdlp + 1]
    embed = next(i for i, line in enumerate(lines) if line.startswith("  the public embed page"))
    assert ": failing: " in lines[embed]
    assert "session not used" in lines[embed + 1]
    assert lines.index(lines[instaloader]) < ytdlp < embed  # the order they are tried in
    assert "secret-session-value" not in out and "sessionid" not in out


async def test_status_json_has_the_same_facts_and_no_secret(
    record: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    SessionVault(open_secret_store()).save(SESSION)
    assert cli_main(["instagram", "status", "--json"]) == 0
    raw = capsys.readouterr().out
    shown = json.loads(raw)
    assert shown["session"]["present"] is True and shown["session"]["username"] == "chef.anna"
    readers = {r["name"]: r for r in shown["readers"]}
    assert [r["name"] for r in shown["readers"]] == ["instaloader", "yt-dlp", "embed"]
    assert readers["instaloader"]["state"] == "resting"
    assert readers["instaloader"]["restedUntil"].endswith("Z")
    assert readers["instaloader"]["failuresInRow"] == 3
    assert readers["instaloader"]["reason"].startswith("Instagram sent an answer")
    assert readers["yt-dlp"]["state"] == "ok" and readers["yt-dlp"]["lastSuccess"]
    assert readers["yt-dlp"]["sessionPresent"] is True
    assert readers["embed"]["state"] == "failing" and readers["embed"]["reason"]
    assert readers["embed"]["usesSession"] is False
    assert "secret-session-value" not in raw and "cookies" not in raw


def test_status_without_a_record_or_session(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["instagram", "status", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["session"]["present"] is False
    assert {r["state"] for r in shown["readers"]} == {"ok"}
    assert all(r["lastSuccess"] is None for r in shown["readers"])
    assert all(r["sessionPresent"] in (False, None) for r in shown["readers"])


def test_a_reader_whose_library_is_missing_is_not_installed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_version = status_module.version

    def version(package: str) -> str:
        if package == "yt-dlp":
            raise PackageNotFoundError(package)
        return real_version(package)

    monkeypatch.setattr(status_module, "version", version)
    assert cli_main(["instagram", "status"]) == 0
    out = capsys.readouterr().out
    assert "  yt-dlp (not installed): not installed" in out
    assert "  instaloader (not installed)" not in out


def test_a_rest_that_is_over_reads_as_failing(tmp_path: Path) -> None:
    now = [1_000_000.0]
    health = ReaderHealth(tmp_path / READERS_FILE, clock=lambda: now[0], rest_after=1, rest_s=60)
    health.failed("yt-dlp", "Instagram sent an answer this app does not understand.", counts=True)
    states = {
        s.name: s for s in reader_statuses(tmp_path, session_present=False, clock=lambda: now[0])
    }
    assert states["yt-dlp"].state == "resting"
    now[0] += 61
    later = {
        s.name: s for s in reader_statuses(tmp_path, session_present=False, clock=lambda: now[0])
    }
    assert later["yt-dlp"].state_text.startswith("failing: Instagram sent")


async def test_without_ytdlp_installed_the_other_readers_still_read(
    fake_instagram: FakeInstagram, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "yt_dlp", None)  # "from yt_dlp import ..." fails
    fake_instagram.server.route(
        "GET", "/img/C7photo0001.jpg", Response(200, JPEG, {"Content-Type": "image/jpeg"})
    )
    fake_instagram.instaloader_broken = Response(200, "<html>surprise</html>")
    context = await _read(("instaloader", "yt-dlp", "embed"), data_dir)
    messages = [m for _level, m in context.logs]
    assert "Yt-dlp failed: yt-dlp is not installed in this copy of the app." in messages
    assert "Read the post with the public embed page." in messages
    assert fake_instagram.server.hits("/p/C7photo0001") == []  # yt-dlp's address: not asked
    assert "Traceback" not in " ".join(messages)


async def test_a_session_imported_while_the_app_runs_wakes_the_rested_readers(
    fake_instagram: FakeInstagram, data_dir: Path
) -> None:
    fake_instagram.server.route(
        "GET", "/img/C7photo0001.jpg", Response(200, JPEG, {"Content-Type": "image/jpeg"})
    )
    secrets = SecretStore()
    health = ReaderHealth(None)
    health.failed(
        "instaloader",
        "Instagram sent an answer this app does not understand.",
        counts=True,
        rest_s=1800,
    )
    ext = InstagramExtractor(
        Settings(None, environ={}),
        secrets,
        resolve_paths(),
        pacer=RequestPacer(0.0),
        readers=("instaloader", "embed"),
        health=health,
    )
    try:
        first = FakeContext(QueueItem(url=PHOTO), data_dir)
        assert (await ext.extract(first)).post["reader"] == "embed"
        assert fake_instagram.post_queries() == []  # instaloader rests
        SessionVault(secrets).save(SESSION)  # imported in the settings meanwhile
        second = FakeContext(QueueItem(url=PHOTO), data_dir)
        assert (await ext.extract(second)).post["reader"] == "instaloader"
    finally:
        await ext.aclose()
    assert "A new Instagram session is in use: every reader is asked again." in [
        m for _level, m in second.logs
    ]
    assert health.rest_remaining("instaloader") == 0


def test_importing_a_session_from_the_command_line_wakes_the_rested_readers(
    tmp_path: Path,
    data_dir: Path,
    fake_instagram: FakeInstagram,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.extraction.test_session import INSTAGRAM_COOKIES, make_firefox_profile

    record = data_dir / READERS_FILE
    ReaderHealth(record, rest_after=1).failed("yt-dlp", "broken today", counts=True)
    assert ReaderHealth(record).rest_remaining("yt-dlp") > 0
    profile = make_firefox_profile(tmp_path / "p", INSTAGRAM_COOKIES)
    args = ["instagram", "import-session", "--browser", "firefox", "--profile", str(profile)]
    assert cli_main(args) == 0
    capsys.readouterr()
    assert ReaderHealth(record).rest_remaining("yt-dlp") == 0
    assert cli_main(["instagram", "status", "--json"]) == 0
    readers = {r["name"]: r for r in json.loads(capsys.readouterr().out)["readers"]}
    assert readers["yt-dlp"]["state"] == "ok"
