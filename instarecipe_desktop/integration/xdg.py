"""XDG base directories and Desktop Entry ``Exec`` quoting (freedesktop.org specifications)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

# characters that force an Exec argument into double quotes (Desktop Entry spec, "Exec key")
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
_ESCAPED_IN_QUOTES = ("\\", '"', "`", "$")


def data_home() -> Path:
    """``$XDG_DATA_HOME`` or ``~/.local/share``."""
    return _base("XDG_DATA_HOME", Path.home() / ".local" / "share")


def config_home() -> Path:
    """``$XDG_CONFIG_HOME`` or ``~/.config``."""
    return _base("XDG_CONFIG_HOME", Path.home() / ".config")


def _base(variable: str, default: Path) -> Path:
    value = os.environ.get(variable, "")
    # the spec says a relative path in these variables is invalid and must be ignored
    return Path(value) if value and os.path.isabs(value) else default


def exec_line(argv: Sequence[str], field_codes: str = "") -> str:
    """The value of an ``Exec=`` key running ``argv``, then the field codes (e.g. ``%U``)."""
    line = " ".join(_quote(arg) for arg in argv)
    if field_codes:
        line = f"{line} {field_codes}"
    # the Exec value is a desktop-entry string, whose own escape character is the backslash
    return line.replace("\\", "\\\\")


def _quote(arg: str) -> str:
    if arg and not (set(arg) & _RESERVED) and "%" not in arg and "=" not in arg:
        return arg
    for char in _ESCAPED_IN_QUOTES:
        arg = arg.replace(char, "\\" + char)
    return '"' + arg.replace("%", "%%") + '"'
