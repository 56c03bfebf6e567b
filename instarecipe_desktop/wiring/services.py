"""Wiring of the three phase adapters, shared by the GUI and the CLI.

``INSTARECIPE_PHASE_FACTORY=module:function`` replaces the real adapters with a function
``(settings, secrets, paths) -> Phases`` (tests, the fault-injection soak, demos): the one
module loaded by name, and never one of the app's own.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import Any

from instarecipe_desktop.core.paths import AppPaths
from instarecipe_desktop.core.phases import Phases
from instarecipe_desktop.core.secrets import SecretStore
from instarecipe_desktop.core.settings import Settings

PHASE_FACTORY_ENV = "INSTARECIPE_PHASE_FACTORY"

PhaseFactory = Callable[[Settings, SecretStore, AppPaths], Phases]


class ServiceError(RuntimeError):
    """A phase adapter cannot be built; the message says which and why."""


def load_callable(spec: str) -> Callable[..., Any]:
    """``"package.module:function"`` -> the function."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise ServiceError(
            f"{PHASE_FACTORY_ENV} must look like 'package.module:function', got {spec!r}."
        )
    try:
        module = importlib.import_module(module_name)
        func = getattr(module, attr)
    except (ImportError, AttributeError) as exc:
        raise ServiceError(f"{PHASE_FACTORY_ENV}={spec}: {exc}") from exc
    if not callable(func):
        raise ServiceError(f"{PHASE_FACTORY_ENV}={spec} is not a function.")
    return func


def build_phases(settings: Settings, secrets: SecretStore, paths: AppPaths) -> Phases:
    """The three adapters. Imported here, not at the top: the pipeline pulls in instaloader and
    openai, and the CLI's other verbs stay light without them."""
    override = os.environ.get(PHASE_FACTORY_ENV, "").strip()
    if override:
        phases = load_callable(override)(settings, secrets, paths)
        if not isinstance(phases, Phases):
            raise ServiceError(f"{override} returned {type(phases).__name__}, not Phases.")
        return phases
    from instarecipe_desktop.pipeline.extraction import create_extractor
    from instarecipe_desktop.pipeline.parsing import create_parser
    from instarecipe_desktop.pipeline.uploading import create_uploader

    extractor = create_extractor(settings, secrets, paths)
    parser = create_parser(settings, secrets, paths)
    uploader = create_uploader(settings, secrets, paths)
    closers = [
        aclose
        for adapter in (extractor, parser, uploader)
        if callable(aclose := getattr(adapter, "aclose", None))
    ]
    return Phases(extractor=extractor, parser=parser, uploader=uploader, closers=closers)
