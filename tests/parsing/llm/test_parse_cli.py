"""``instarecipe-desktop parse`` with an LLM configured: a real subprocess against the fake."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.fakes.fake_llm import DEFAULT_MODEL, FakeLLM


def test_parse_verb_uses_the_llm_and_closes_its_connection(fake_llm: FakeLLM) -> None:
    env = dict(
        os.environ,
        LLM_API_BASE_URL=fake_llm.base_url,
        LLM_MODEL=DEFAULT_MODEL,
        PYTHONWARNINGS="always::ResourceWarning",
    )
    done = subprocess.run(
        [sys.executable, "-X", "dev", "-m", "instarecipe_desktop", "parse", "-"],
        input="Lemon pasta\n\nIngredients\n200 g pasta\n\nBoil the pasta.",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    recipe = json.loads(done.stdout)
    assert recipe["name"] and recipe["steps"]
    assert len(fake_llm.chat_requests) == 1  # the LLM answered, not the offline parser
    assert "unclosed" not in done.stderr.lower(), done.stderr
