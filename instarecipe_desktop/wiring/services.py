"""Wiring of the three phase adapters, shared by the GUI and the CLI.

``INSTARECIPE_PHASE_FACTORY=module:function`` replaces the real adapters with a function
``(settings, secrets, paths) -> Phases`` (tests, the fault-injection soak, demos).
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

_ADAPTERS = (
    ("extractor", "instarecipe_desktop.pipeline.extraction", "create_extractor"),
    ("parser", "instarecipe_desktop.pipeline.parsing", "create_phase_parser"),
    ("uploader", "instarecipe_desktop.pipeline.uploading", "create_uploader"),
)


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
    """The three adapters (imported lazily, so the CLI's other verbs stay light)."""
    override = os.environ.get(PHASE_FACTORY_ENV, "").strip()
    if override:
        phases = load_callable(override)(settings, secrets, paths)
        if not isinstance(phases, Phases):
            raise ServiceError(f"{override} returned {type(phases).__name__}, not Phases.")
        return phases
    built: dict[str, Any] = {}
    closers = []
    for role, module_name, factory_name in _ADAPTERS:
        try:
            factory = getattr(importlib.import_module(module_name), factory_name)
        except (ImportError, AttributeError) as exc:
            raise ServiceError(
                f"The {role} is not available ({module_name}.{factory_name}: {exc})."
            ) from exc
        adapter = factory(settings, secrets, paths)
        built[role] = adapter
        aclose = getattr(adapter, "aclose", None)
        if callable(aclose):
            closers.append(aclose)
    return Phases(
        extractor=built["extractor"],
        parser=built["parser"],
        uploader=built["uploader"],
        closers=closers,
    )
