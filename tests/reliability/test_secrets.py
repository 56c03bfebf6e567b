"""After full runs of the real CLI (verbose logging), the Tandoor token and the LLM key are
nowhere in the data folder (queue database and its WAL, upload records, logs, media, library),
the settings file, the CLI's output or this test's captured output — also when servers quote
them back in error messages, as OpenAI's 401 and some proxies do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.secrets import LLM_API_KEY, TANDOOR_API_TOKEN
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.fakes.fake_llm import FakeLLM
from tests.fakes.fake_tandoor import V2, FakeTandoor
from tests.reliability.conftest import cli
from tests.reliability.hostile_server import Answer, HostileServer, Request
from tests.reliability.soak import scan_for_secrets

TANDOOR_SECRET = "tda_5ec7e7a1_b0b0_4c4c_8d8d_5ecre7000001"
LLM_SECRET = "sk-proj-S3cr3tK3yForTheSecretsScan0123456789"
SECRETS = [TANDOOR_SECRET, LLM_SECRET]
CAPTION = "Pancakes {n}\n\n200 g flour\n2 eggs\n300 ml milk\n\nWhisk and fry in butter."


def echo_llm(request: Request) -> Answer:
    """An LLM server that quotes the key back in its 401, like OpenAI does (there masked)."""
    if request.path.endswith("/models"):
        return Answer(200, {"object": "list", "data": [{"id": "gpt-4o-mini"}]})
    auth = request.headers.get("authorization", "")
    return Answer(
        401,
        {
            "error": {
                "message": f"Incorrect API key provided: {auth}. See "
                f"your keys; request headers: {request.headers}",
                "type": "invalid_request_error",
                "code": "invalid_api_key",
            }
        },
    )


def echo_tandoor(request: Request) -> Answer:
    """A Tandoor behind a proxy that quotes the request headers in its error pages."""
    auth = request.headers.get("authorization", "")
    if request.path.startswith("/api/server-settings/"):
        return Answer(200, {"version": "2.6.12"})
    if request.path.startswith("/api/recipe-from-source/"):
        return Answer(200, {"duplicates": []})
    if request.method == "GET" and request.path.startswith("/api/recipe/"):
        return Answer(200, {"count": 0, "next": None, "previous": None, "results": []})
    if request.method == "POST":
        return Answer(400, {"name": [f"Rejected for {auth}"], "detail": str(request.headers)})
    return Answer(500, f"<html><body>Proxy error. Your headers: {request.headers}</body></html>")


def queue_and_run(
    data_dir: Path, tmp_path: Path, env: dict[str, str], first: int, count: int, outputs: list[str]
) -> None:
    for n in range(first, first + count):
        caption = tmp_path / f"caption{n}.txt"
        caption.write_text(CAPTION.format(n=n), encoding="utf-8")
        added = cli(
            "-v",
            "add",
            f"https://www.instagram.com/p/SECRET{n:03d}/",
            "--text-file",
            str(caption),
            data_dir=data_dir,
            env=env,
        )
        outputs += [added.stdout, added.stderr]
        assert added.returncode == 0, added.stderr
    run = cli("-v", "run", "--until-idle", data_dir=data_dir, env=env)
    outputs += [run.stdout, run.stderr]
    assert run.returncode == 0, run.stderr


def test_no_secret_anywhere_after_full_runs(
    data_dir: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    store = open_secret_store(environ={})  # the test keyring file, shared with the CLI processes
    store.set(TANDOOR_API_TOKEN, TANDOOR_SECRET)
    store.set(LLM_API_KEY, LLM_SECRET)
    paths = resolve_paths(data_dir).ensure()
    outputs: list[str] = []
    with (
        FakeTandoor(V2, extra_tokens={TANDOOR_SECRET: "read write"}) as tandoor,
        FakeLLM(api_key=LLM_SECRET) as llm,
        HostileServer(echo_llm) as bad_llm,
        HostileServer(echo_tandoor) as bad_tandoor,
    ):
        settings = Settings(paths.settings_file)  # saved the way the settings dialog saves
        settings.set("TANDOOR_BASE_URL", tandoor.base_url)
        settings.set("LLM_API_BASE_URL", llm.base_url)
        settings.set("LLM_MODEL", "gpt-4o-mini")
        settings.save()
        # never: the fake LLM's answer is not the caption's recipe, the review step would hold it
        good = {"QUEUE_RETRY_ATTEMPTS": "0", "REVIEW_BEFORE_SAVING": "never"}
        queue_and_run(data_dir, tmp_path, good, 0, 3, outputs)
        queue_and_run(
            data_dir, tmp_path, {**good, "LLM_API_BASE_URL": bad_llm.url() + "/v1"}, 3, 2, outputs
        )
        queue_and_run(
            data_dir, tmp_path, {**good, "TANDOOR_BASE_URL": bad_tandoor.url()}, 5, 2, outputs
        )
        listing = cli("list", "--limit", "100", data_dir=data_dir)
        outputs += [listing.stdout, listing.stderr]
        for n in range(7):
            shown = cli("show", f"SECRET{n:03d}", data_dir=data_dir)
            outputs += [shown.stdout, shown.stderr]
        # the servers did get the secrets: the scan below has something to find if it leaks
        assert any(LLM_SECRET in str(r.headers) for r in bad_llm.requests)
        assert any(TANDOOR_SECRET in str(r.headers) for r in bad_tandoor.requests)
        assert tandoor.recipes, "the good run saved nothing"

    statuses = [item["status"] for item in json.loads(listing.stdout)["items"]]
    assert statuses.count("success") == 3 and statuses.count("error") == 4
    assert paths.settings_file.is_file() and paths.log_file.is_file()
    captured = capfd.readouterr()
    leaks = scan_for_secrets(data_dir, SECRETS, *outputs, captured.out, captured.err)
    leaks += scan_for_secrets(paths.config_dir, SECRETS)
    assert leaks == []
