"""Logging scrubs secrets; services.build_phases honours INSTARECIPE_PHASE_FACTORY."""

from __future__ import annotations

import io
import logging
import logging.handlers
from collections.abc import Iterator

import pytest

from instarecipe_desktop.core.logging_setup import (
    configure_logging,
    remember_secret,
    remove_handlers,
)
from instarecipe_desktop.core.paths import AppPaths, resolve_paths
from instarecipe_desktop.core.phases import Phases
from instarecipe_desktop.core.secrets import TANDOOR_API_TOKEN
from instarecipe_desktop.core.settings import Settings
from instarecipe_desktop.wiring.secrets import open_secret_store
from instarecipe_desktop.wiring.services import ServiceError, build_phases
from tests.support.fake_phases import FakePhases


@pytest.fixture
def logged() -> Iterator[tuple[AppPaths, io.StringIO]]:
    paths = resolve_paths().ensure()
    stream = io.StringIO()
    open_secret_store(environ={}).set(TANDOOR_API_TOKEN, "my-very-secret-token-value")
    configure_logging(
        paths,
        secrets=open_secret_store(environ={}).known_values(),
        stderr=stream,
        stderr_level=logging.INFO,
    )
    yield paths, stream
    remove_handlers()


def test_known_secret_values_and_token_shapes_are_scrubbed(logged) -> None:
    paths, stream = logged
    log = logging.getLogger("instarecipe_desktop.test")
    log.info("token is %s", "my-very-secret-token-value")
    log.warning("header Authorization: Bearer abc.def-ghi and key tda_0123456789abcdef")
    log.info("openai key sk-proj-ABCDEFGHIJKL1234 rejected")
    remember_secret("late-added-secret")
    log.info("later: late-added-secret")
    try:
        raise RuntimeError("failed with my-very-secret-token-value")
    except RuntimeError:
        log.exception("upload failed")
    file_text = paths.log_file.read_text()
    for text in (file_text, stream.getvalue()):
        assert "my-very-secret-token-value" not in text
        assert "abc.def-ghi" not in text
        assert "tda_0123456789abcdef" not in text
        assert "sk-proj-ABCDEFGHIJKL1234" not in text
        assert "late-added-secret" not in text
        assert "token is [redacted]" in text
        assert "Bearer [redacted]" in text
    assert "Traceback" in file_text and "RuntimeError: failed with [redacted]" in file_text


def test_log_file_rotates(logged, monkeypatch) -> None:
    paths, _ = logged
    handler = next(
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.handlers.RotatingFileHandler)
    )
    handler.maxBytes = 2000
    log = logging.getLogger("instarecipe_desktop.test")
    for n in range(100):
        log.info("line %d %s", n, "x" * 50)
    assert paths.log_file.with_name(paths.log_file.name + ".1").is_file()
    assert paths.log_file.stat().st_size <= 2000


def test_build_phases_uses_the_factory_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("INSTARECIPE_PHASE_FACTORY", "tests.support.fake_phases:make_phases")
    monkeypatch.setenv("INSTARECIPE_FAKE_PHASES", '{"latency": {"parsing": 0.5}}')
    phases = build_phases(
        Settings(None, environ={}), open_secret_store(environ={}), resolve_paths()
    )
    assert isinstance(phases, Phases)
    assert isinstance(phases.parser, FakePhases)
    assert phases.parser.latency == {"parsing": 0.5}
    assert phases.closers


@pytest.mark.parametrize(
    "spec, message",
    [
        ("no_colon_here", "must look like"),
        ("no.such.module:make", "No module named"),
        ("tests.support.fake_phases:missing", "missing"),
        ("tests.support.fake_phases:ENV_SCRIPT", "not a function"),
    ],
)
def test_bad_factory_is_a_clear_error(monkeypatch, spec: str, message: str) -> None:
    monkeypatch.setenv("INSTARECIPE_PHASE_FACTORY", spec)
    with pytest.raises(ServiceError, match=message):
        build_phases(Settings(None, environ={}), open_secret_store(environ={}), resolve_paths())
