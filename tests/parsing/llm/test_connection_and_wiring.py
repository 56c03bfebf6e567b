"""The settings dialog's connection check, the parser factory, and the fake as its own process."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import httpx2
import openai
import pytest

from instarecipe_desktop.core.errors import PermanentError
from instarecipe_desktop.core.paths import resolve_paths
from instarecipe_desktop.core.phases import Extraction
from instarecipe_desktop.core.secrets import LLM_API_KEY
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.pipeline.parsing import create_parser
from instarecipe_desktop.pipeline.parsing.llm import LLMConfig, LLMRecipeParser, make_client
from instarecipe_desktop.pipeline.parsing.llm.errors import retry_after_seconds
from instarecipe_desktop.wiring.secrets import open_secret_store
from tests.fakes.fake_llm import DEFAULT_TRANSCRIPT, FakeLLM
from tests.parsing.llm.conftest import REPO_ROOT, MakeParser, RecordingContext

# --- test_connection ------------------------------------------------------------------------------


async def test_connection_ok_names_the_model(fake_llm: FakeLLM, make_parser: MakeParser) -> None:
    check = await make_parser().test_connection()
    assert check.ok
    assert "gpt-4o-mini" in check.message
    assert check.models == ["gpt-4o-mini"]
    assert fake_llm.chat_requests == []  # listing the models was enough


async def test_connection_accepts_ollama_latest_tag(
    fake_llm: FakeLLM, make_parser: MakeParser
) -> None:
    fake_llm.configure(models=["llama3.1:latest", "qwen2.5:7b"])
    assert (await make_parser(model="llama3.1").test_connection()).ok


async def test_connection_says_which_models_exist(
    fake_llm: FakeLLM, make_parser: MakeParser
) -> None:
    fake_llm.configure(models=["llama3.1:8b", "qwen2.5:7b"])
    check = await make_parser(model="gpt-4o").test_connection()
    assert not check.ok
    assert "no model 'gpt-4o'" in check.message and "qwen2.5:7b" in check.message


async def test_connection_reports_a_rejected_key(
    fake_llm: FakeLLM, make_parser: MakeParser
) -> None:
    fake_llm.configure(api_key="sk-right")
    check = await make_parser(api_key="sk-wrong").test_connection()
    assert not check.ok
    assert check.message.startswith("The LLM server rejected the API key.")
    assert "sk-wrong" not in check.message


async def test_connection_reports_an_unreachable_server(
    make_parser: MakeParser, unused_tcp_port: int
) -> None:
    check = await make_parser(base_url=f"http://127.0.0.1:{unused_tcp_port}/v1").test_connection()
    assert not check.ok
    assert "Could not reach" in check.message


async def test_server_without_a_model_list_gets_a_tiny_call(
    fake_llm: FakeLLM, make_parser: MakeParser
) -> None:
    fake_llm.script({"endpoint": "models", "fault": "model_not_found"})
    check = await make_parser().test_connection()
    assert check.ok
    [request] = fake_llm.chat_requests
    assert request["json"]["max_tokens"] == 5


# --- factory and client --------------------------------------------------------------------------


def _settings(tmp_path: Path, **values: str) -> Settings:
    return Settings(tmp_path / "settings.json", environ=values)


async def test_create_parser_picks_the_llm_when_a_server_is_set(tmp_path: Path) -> None:
    secrets = open_secret_store(environ={})
    secrets.set(LLM_API_KEY, "sk-from-keyring")
    settings = _settings(
        tmp_path,
        LLM_API_BASE_URL="http://127.0.0.1:9/v1",
        LLM_MODEL="llama3.1",
        RECIPE_LANGUAGE="de",
        QUEUE_PARSE_TIMEOUT_MS="60000",
    )
    parser = create_parser(settings, secrets, resolve_paths())
    try:
        chosen = await parser.current()
    finally:
        await parser.aclose()
    assert isinstance(chosen, LLMRecipeParser)
    config = chosen.config
    assert (config.base_url, config.model, config.language) == (
        "http://127.0.0.1:9/v1",
        "llama3.1",
        "de",
    )
    assert config.api_key == "sk-from-keyring"
    assert "sk-from-keyring" not in repr(config)
    assert config.timeout_s == 54.0  # under the phase limit, so the SDK's timeout speaks first


async def test_create_parser_falls_back_to_the_offline_parser(tmp_path: Path) -> None:
    from instarecipe_desktop.pipeline.parsing.offline import OfflineRecipeParser

    parser = create_parser(_settings(tmp_path), open_secret_store(environ={}), resolve_paths())
    assert isinstance(await parser.current(), OfflineRecipeParser)


async def test_client_never_retries_by_itself() -> None:
    client = make_client(LLMConfig(base_url="http://127.0.0.1:9/v1"))
    try:
        assert client.max_retries == 0
        assert client.api_key == "not-needed"
    finally:
        await client.close()


def test_retry_after_reads_seconds_milliseconds_and_dates() -> None:
    assert retry_after_seconds(httpx2.Headers({"retry-after": "12"})) == 12.0
    assert retry_after_seconds(httpx2.Headers({"retry-after-ms": "1500"})) == 1.5
    date = retry_after_seconds(httpx2.Headers({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}))
    assert date == 0.0  # in the past
    assert retry_after_seconds(httpx2.Headers({"retry-after": "soon"})) is None
    assert retry_after_seconds(httpx2.Headers({})) is None


# --- the fake server on its own ------------------------------------------------------------------


async def test_fake_transcribes_an_mp4_through_the_sdk(fake_llm: FakeLLM) -> None:
    client = openai.AsyncOpenAI(base_url=fake_llm.base_url, api_key="k", max_retries=0)
    try:
        result = await client.audio.transcriptions.create(
            model="whisper-1", file=("clip.mp4", b"\x00\x00\x00\x18ftypmp42", "video/mp4")
        )
    finally:
        await client.close()
    assert result.text == DEFAULT_TRANSCRIPT
    assert fake_llm.requests[-1]["path"] == "/v1/audio/transcriptions"


def test_fake_rejects_unknown_faults_and_options() -> None:
    with FakeLLM() as fake:
        with pytest.raises(ValueError, match="unknown fault"):
            fake.script({"fault": "explode"})
        with pytest.raises(ValueError, match="unknown option"):
            fake.configure(colour="blue")


def test_fake_runs_as_a_process_with_an_http_control_api() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fakes.fake_llm",
            "--port",
            "0",
            "--no-json-schema",
            "--api-key",
            "sk-soak",
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        base = f"http://127.0.0.1:{port}"
        auth = {"Authorization": "Bearer sk-soak"}
        assert httpx2.post(
            f"{base}/_fake/script", json=[{"fault": "server_error", "status": 503}]
        ).json() == {"ok": True}
        chat = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
        assert (
            httpx2.post(f"{base}/v1/chat/completions", json=chat, headers=auth).status_code == 503
        )
        refused = httpx2.post(
            f"{base}/v1/chat/completions",
            headers=auth,
            json={**chat, "response_format": {"type": "json_schema", "json_schema": {}}},
        )
        assert refused.status_code == 400 and "response_format" in refused.text
        assert httpx2.post(f"{base}/v1/chat/completions", json=chat).status_code == 401
        marked = httpx2.post(
            f"{base}/v1/chat/completions",
            headers=auth,
            json={**chat, "messages": [{"role": "user", "content": "story [fake-llm:no_recipe]"}]},
        )
        content = json.loads(marked.json()["choices"][0]["message"]["content"])
        assert content["hasRecipe"] is False
        requests = httpx2.get(f"{base}/_fake/requests").json()
        assert [r["path"] for r in requests].count("/v1/chat/completions") == 4
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


@pytest.mark.parametrize("address", ["localhost:11434/v1", "htp://x/v1", "http://", "api"])
async def test_an_address_that_is_no_web_address_is_permanent(
    make_parser: MakeParser, address: str
) -> None:
    parser = make_parser(base_url=address)
    with pytest.raises(PermanentError) as raised:
        await parser.parse(RecordingContext(), Extraction(text="2 eggs"))
    assert raised.value.code == "llm_bad_address"
    check = await parser.test_connection()
    assert not check.ok and "is not a web address" in check.message


async def test_fake_transcription_faults_are_scripted_per_endpoint(fake_llm: FakeLLM) -> None:
    fake_llm.script({"endpoint": "transcriptions", "fault": "rate_limit", "retry_after": 3})
    client = openai.AsyncOpenAI(base_url=fake_llm.base_url, api_key="k", max_retries=0)
    try:
        with pytest.raises(openai.RateLimitError) as raised:
            await client.audio.transcriptions.create(
                model="whisper-1", file=("clip.mp4", b"\x00", "video/mp4")
            )
        # a chat call is not affected by the transcription's script
        await client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}]
        )
    finally:
        await client.close()
    assert raised.value.response.headers["retry-after"] == "3"
