"""The queue verbs end to end, each in its own subprocess, over a real database file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

FACTORY = "tests.support.fake_phases:make_phases"


def cli(
    *args: str,
    script: dict[str, Any] | None = None,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    import os

    environ = dict(os.environ)
    environ["INSTARECIPE_PHASE_FACTORY"] = FACTORY
    environ["INSTARECIPE_FAKE_PHASES"] = json.dumps(script or {})
    environ["INSTARECIPE_BACKOFF_BASE_MS"] = "20"
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "instarecipe_desktop", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=environ,
        timeout=60,
    )


def lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_add_prints_json_lines_and_reports_rejected_links() -> None:
    result = cli(
        "add",
        "https://www.instagram.com/p/AAAAA1/",
        "https://example.org/nope",
        "instagram.com/reel/BBBBB2/?igsh=xyz",
    )
    assert result.returncode == 2
    items = lines(result.stdout)
    assert [i["shortcode"] for i in items] == ["AAAAA1", "BBBBB2"]
    assert items[1]["url"] == "https://www.instagram.com/reel/BBBBB2/"
    assert all(i["status"] == "pending" for i in items)
    assert "https://example.org/nope" in result.stderr
    assert "not an Instagram link" in result.stderr
    assert "Traceback" not in result.stderr


def test_adding_the_same_post_twice_returns_the_existing_item() -> None:
    first = lines(cli("add", "https://www.instagram.com/p/AAAAA1/").stdout)[0]
    again = cli("add", "https://instagram.com/p/AAAAA1/?utm_source=ig_web")
    assert again.returncode == 0
    assert lines(again.stdout)[0]["id"] == first["id"]
    assert "already queued" in again.stderr
    listed = json.loads(cli("list").stdout)
    assert listed["total"] == 1


def test_list_filters_and_paginates_newest_first() -> None:
    urls = [f"https://www.instagram.com/p/CODE{n}x/" for n in range(5)]
    cli("add", *urls)
    page = json.loads(cli("list", "--limit", "2", "--offset", "1").stdout)
    assert page["total"] == 5 and page["hasMore"] is True
    assert [i["shortcode"] for i in page["items"]] == ["CODE3x", "CODE2x"]
    last = json.loads(cli("list", "--limit", "2", "--offset", "4").stdout)
    assert last["hasMore"] is False and len(last["items"]) == 1
    assert json.loads(cli("list", "--status", "success").stdout)["total"] == 0
    bad = cli("list", "--status", "done")
    assert bad.returncode == 2 and "unknown status" in bad.stderr


def test_run_until_idle_processes_everything_and_show_prints_the_result() -> None:
    cli("add", "https://www.instagram.com/p/AAAAA1/", "https://www.instagram.com/p/BBBBB2/")
    run = cli(
        "run",
        "--until-idle",
        script={"outcomes": {"uploading": ["recoverable"]}, "latency": {"parsing": 0.05}},
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("saved ") == 2
    assert "retrying" in run.stderr
    assert "Queue: 2 saved, 0 failed" in run.stderr
    shown = cli("show", "AAAAA1")
    item = json.loads(shown.stdout)
    assert item["status"] == "success"
    assert item["results"]["tandoorUrl"].startswith("http://tandoor.invalid/recipe/")
    assert [p["status"] for p in item["phases"]] == ["completed"] * 3
    assert any("Retry 1 of 3" in entry["message"] for entry in item["log"])


def test_retry_resumes_failed_item_and_refuses_a_pending_one(tmp_path: Path) -> None:
    record = tmp_path / "calls.jsonl"
    item = lines(cli("add", "https://www.instagram.com/p/AAAAA1/").stdout)[0]
    refused = cli("retry", item["id"])
    assert refused.returncode == 1
    assert json.loads(refused.stdout) == {
        "success": False,
        "message": "It is already waiting to be processed.",
    }
    cli(
        "run",
        "--until-idle",
        script={"outcomes": {"parsing": ["permanent"]}, "record": str(record)},
    )
    failed = json.loads(cli("show", item["id"]).stdout)
    assert failed["status"] == "error" and failed["errorDetail"]["phase"] == "parsing"
    assert isinstance(failed["error"], str) and failed["error"]  # the web app's error?: string
    retried = cli("retry", item["id"][:8])
    assert retried.returncode == 0
    assert json.loads(retried.stdout)["success"] is True
    cli("run", "--until-idle", script={"record": str(record)})
    assert json.loads(cli("show", item["id"]).stdout)["status"] == "success"
    calls = [(c["phase"], c["event"]) for c in lines(record.read_text())]
    assert calls.count(("extraction", "start")) == 1  # not fetched again on retry
    assert calls.count(("parsing", "start")) == 2


def test_remove_deletes_and_unknown_id_exits_1() -> None:
    item = lines(cli("add", "https://www.instagram.com/p/AAAAA1/").stdout)[0]
    removed = cli("remove", item["id"])
    assert removed.returncode == 0
    assert json.loads(removed.stdout) == {"success": True, "message": "Removed."}
    assert json.loads(cli("list").stdout)["total"] == 0
    missing = cli("show", item["id"])
    assert missing.returncode == 1 and "no queued item" in missing.stderr


def test_add_with_text_file_skips_extraction(tmp_path: Path) -> None:
    record = tmp_path / "calls.jsonl"
    caption = tmp_path / "caption.txt"
    caption.write_text("Pancakes\n200 g flour\nFry them.", encoding="utf-8")
    added = lines(
        cli("add", "--text-file", str(caption), "https://www.instagram.com/p/AAAAA1/").stdout
    )[0]
    assert added["phases"][0]["status"] == "completed"
    assert added["results"]["extractedText"].startswith("Pancakes")
    cli("run", "--until-idle", script={"record": str(record)})
    phases = [c["phase"] for c in lines(record.read_text()) if c["event"] == "start"]
    assert phases == ["parsing", "uploading"]
    from_stdin = cli(
        "add", "--text-file", "-", "https://www.instagram.com/p/CCCCC3/", stdin="Soup\nBoil water."
    )
    assert lines(from_stdin.stdout)[0]["results"]["extractedText"] == "Soup\nBoil water."
    two = cli(
        "add",
        "--text-file",
        str(caption),
        "https://www.instagram.com/p/X1234/",
        "https://www.instagram.com/p/Y1234/",
    )
    assert two.returncode == 2 and "exactly one URL" in two.stderr


def test_data_dir_option_moves_the_queue(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    cli("--data-dir", str(elsewhere), "add", "https://www.instagram.com/p/AAAAA1/")
    assert (elsewhere / "queue.sqlite3").is_file()
    assert json.loads(cli("list").stdout)["total"] == 0
    assert json.loads(cli("--data-dir", str(elsewhere), "list").stdout)["total"] == 1


def test_run_refuses_when_processing_is_disabled() -> None:
    cli("add", "https://www.instagram.com/p/AAAAA1/")
    result = cli("run", "--until-idle", env={"QUEUE_PROCESSING_ENABLED": "false"})
    assert result.returncode == 1
    assert "QUEUE_PROCESSING_ENABLED" in result.stderr
    assert json.loads(cli("list").stdout)["items"][0]["status"] == "pending"


def test_run_without_the_tandoor_token_says_so_and_does_not_fall_back(tmp_path: Path) -> None:
    """A Tandoor address but no token (a restart without a keyring): a warning on stderr, the
    item waits for the token, nothing lands in the local library; `run` still ends."""
    cli("add", "https://www.instagram.com/p/AAAAA1/")
    env = {
        "INSTARECIPE_PHASE_FACTORY": "tests.support.fake_phases:make_phases_real_uploader",
        "TANDOOR_BASE_URL": "http://127.0.0.1:9",
    }
    result = cli("run", "--until-idle", env=env)
    assert result.returncode == 0, result.stderr
    assert "warning: a Tandoor address is set (http://127.0.0.1:9) but no API token" in (
        result.stderr
    )
    assert "NOT saved to the local library" in result.stderr
    assert "waiting   AAAAA1: Waiting for your Tandoor API token." in result.stderr
    assert "1 waiting for the Tandoor token" in result.stderr
    assert "\nsaved " not in result.stderr
    item = json.loads(cli("show", "AAAAA1").stdout)
    assert item["status"] == "unhealthy" and item["errorDetail"]["code"] == "waiting_for_settings"
    assert item["results"].get("tandoorUrl") is None
    assert not list(tmp_path.rglob("recipe.json"))
    assert "Traceback" not in result.stderr


def test_run_reports_an_unusable_phase_factory_without_traceback() -> None:
    result = cli("run", "--until-idle", env={"INSTARECIPE_PHASE_FACTORY": "no.such:thing"})
    assert result.returncode == 1
    assert "INSTARECIPE_PHASE_FACTORY" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("verb", ["add", "list", "show", "retry", "remove", "run"])
def test_every_verb_has_help(verb: str) -> None:
    result = cli(verb, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout


def test_unusable_data_folder_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    result = cli("--data-dir", str(blocker / "sub"), "list")
    assert result.returncode == 1
    assert "cannot use the data folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_corrupt_database_is_reported_and_the_queue_starts_over(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "queue.sqlite3").write_bytes(b"garbage" * 1000)
    result = cli("list")
    assert result.returncode == 0
    assert json.loads(result.stdout)["total"] == 0
    assert "moved to" in result.stderr and "nothing was deleted" in result.stderr
    assert len(list(data_dir.glob("queue.sqlite3.corrupt-*"))) == 1


@pytest.mark.parametrize(
    ("typed", "meant"), [("lsit", "list"), ("shwo", "show"), ("retyr", "retry")]
)
def test_a_mistyped_verb_is_an_unknown_command_with_the_nearest_verb(
    typed: str, meant: str
) -> None:
    result = cli(typed, "some-id")
    assert result.returncode == 2
    assert f"unknown command '{typed}'" in result.stderr
    assert f"Did you mean '{meant}'?" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_issue_s_typo_returns_at_once_with_exit_2() -> None:
    result = cli("resnd", "0b9d")  # once: started an invisible window that never returned
    assert result.returncode == 2 and "unknown command 'resnd'" in result.stderr


def test_a_word_far_from_every_verb_is_unknown_without_a_suggestion() -> None:
    result = cli("zzzzzz")
    assert result.returncode == 2
    assert "unknown command 'zzzzzz'" in result.stderr and "Did you mean" not in result.stderr


def test_links_and_option_values_are_not_taken_for_verbs() -> None:
    from instarecipe_desktop.cli import unknown_command

    assert unknown_command(["https://www.instagram.com/p/ABC/", "--minimized"]) is None
    assert unknown_command(["--data-dir", "mydata", "instagram.com/p/ABC/"]) is None
    assert unknown_command(["-platform", "offscreen"]) is None
    assert unknown_command(["--minimized", "resnd"]) == "resnd"


def test_resend_updates_in_place_or_as_new_and_refuses_an_unsaved_item(tmp_path: Path) -> None:
    record = tmp_path / "calls.jsonl"
    item = lines(cli("add", "https://www.instagram.com/p/AAAAA1/").stdout)[0]
    refused = cli("resend", item["id"])
    assert refused.returncode == 1
    assert json.loads(refused.stdout)["success"] is False
    assert "Only a saved recipe can be sent again: it is waiting" in refused.stderr
    cli("run", "--until-idle", script={"record": str(record)})
    saved = json.loads(cli("show", item["id"]).stdout)
    assert saved["status"] == "success"

    again = cli("resend", item["id"][:8])
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == {
        "success": True,
        "message": "Sending again into the same recipe (it is updated in place).",
        "tandoorUrl": saved["results"]["tandoorUrl"],
    }
    pending = json.loads(cli("show", item["id"]).stdout)
    assert pending["status"] == "pending" and pending["options"] == {"updateInPlace": True}
    cli("run", "--until-idle", script={"record": str(record)})
    assert json.loads(cli("show", item["id"]).stdout)["status"] == "success"

    copy = cli("resend", item["id"], "--as-new")
    assert json.loads(copy.stdout) == {"success": True, "message": "Sending again as a new recipe."}
    cli("run", "--until-idle", script={"record": str(record)})
    shown = json.loads(cli("show", item["id"]).stdout)
    assert shown["status"] == "success"
    assert any("forced a new recipe" in entry["message"] for entry in shown["log"])
    calls = [(c["phase"], c["event"]) for c in lines(record.read_text())]
    assert calls.count(("extraction", "start")) == 1  # only the upload runs again
    assert calls.count(("uploading", "start")) == 3
    unknown = cli("resend", "nope-nope")
    assert unknown.returncode == 1
