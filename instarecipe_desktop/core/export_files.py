"""Finding and reading the files of an Instagram data export: the zip, its unpacked folder, one
of its files, or any text/HTML file with post links.

Everything read is capped, and a refusal says so in words (``ExportRefused``): a zip with more
entries than any export has, a member or a file larger than a saved-posts file can be, too much
text in all, a zip whose members unpack to far more than they take (a zip bomb). Only the few
files that list posts are unpacked; photos and videos in the export are never read.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from instarecipe_desktop.core.saved_export import (
    ExportFile,
    kind_of,
    read_export_html,
    read_export_json,
    read_links_text,
)

MAX_FILE_BYTES = 64 * 1024 * 1024  # one saved-posts file; 5,000 posts are about 1 MB
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all files read from one export
MAX_ENTRIES = 200_000  # zip members or folder files looked at (an export with media: ~50,000)
MAX_RATIO = 1000  # unpacked / packed size of one member above which it is a zip bomb
_CHUNK = 1024 * 1024

EXPORT_FILE_NAMES = (
    "saved_posts.json",
    "saved_collections.json",
    "liked_posts.json",
    "saved_posts.html",
    "saved_collections.html",
    "liked_posts.html",
)
_EXPORT_NAME = re.compile(
    r"^(saved_posts|saved_collections|liked_posts)(_\d+)?\.(json|html?)$", re.IGNORECASE
)


class ExportRefused(Exception):
    """The path cannot be read as an export or a links file; the message says why."""


@dataclass
class ExportReading:
    """What was read from a path."""

    path: str
    files: list[ExportFile] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # files skipped, and why
    whole_export: bool = False  # a zip or folder (liked posts are then left out)

    @property
    def looked_for(self) -> str:
        return ", ".join(EXPORT_FILE_NAMES)


def describe_size(size: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} bytes"


def _is_export_name(name: str) -> bool:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return bool(_EXPORT_NAME.match(base)) and "__MACOSX" not in name


def read_export(path: Path) -> ExportReading:
    """Read ``path``; raises ``ExportRefused`` when it cannot be read at all."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ExportRefused(f"{path} does not exist.") from None
    except OSError as exc:
        raise ExportRefused(f"{path} cannot be opened: {exc.strerror or exc}.") from None
    if stat.S_ISDIR(info.st_mode):
        return _read_folder(path)
    if zipfile.is_zipfile(path):
        return _read_zip(path)
    if path.suffix.lower() == ".zip":
        raise ExportRefused(
            f"{path.name} is not a zip file (it may be damaged or only partly downloaded); "
            "download the export again."
        )
    reading = ExportReading(path=str(path))
    reading.files.append(_parse(path.name, _read_file(path, info.st_size), reading))
    return reading


def _read_file(path: Path, size: int) -> bytes:
    if size > MAX_FILE_BYTES:
        raise ExportRefused(
            f"{path.name} is {describe_size(size)}, more than a file of post links can be "
            f"({describe_size(MAX_FILE_BYTES)}); give the export's saved_posts or "
            "saved_collections file instead."
        )
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ExportRefused(f"{path} cannot be read: {exc.strerror or exc}.") from None
    if len(data) > MAX_FILE_BYTES:  # it grew, or stat lied (a device, a pipe)
        raise ExportRefused(
            f"{path.name} is larger than a file of post links can be "
            f"({describe_size(MAX_FILE_BYTES)})."
        )
    return data


def _decode(name: str, data: bytes, reading: ExportReading) -> str | None:
    if b"\x00" in data[:8192]:
        reading.problems.append(f"{name} is not a text file; it was skipped.")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        reading.problems.append(
            f"{name} is not UTF-8 text; characters that could not be read were replaced."
        )
        return data.decode("utf-8", errors="replace")


def _parse(name: str, data: bytes, reading: ExportReading) -> ExportFile:
    text = _decode(name, data, reading)
    if text is None:
        return ExportFile(name=name, kind=kind_of(name))
    lowered = name.lower()
    head = text.lstrip()[:1]
    if lowered.endswith(".json") or (kind_of(name) != "links" and head in "[{" and head):
        found = read_export_json(name, text)
    elif lowered.endswith((".html", ".htm")) or text.lstrip()[:1] == "<":
        found = read_export_html(name, text)
    else:
        found = read_links_text(name, text)
    reading.problems.extend(found.problems)
    return found


def _read_folder(path: Path) -> ExportReading:
    reading = ExportReading(path=str(path), whole_export=True)
    total = 0
    for count, file in enumerate(_walk(path), start=1):
        if count > MAX_ENTRIES:
            raise ExportRefused(
                f"{path} holds more than {MAX_ENTRIES:,} files, more than an export has; "
                "give the export's folder or its zip."
            )
        if not _is_export_name(file.name):
            continue
        try:
            size = file.stat().st_size
        except OSError:
            continue
        total += size
        _check_total(total)
        data = _read_file(file, size)
        reading.files.append(_parse(str(file.relative_to(path)), data, reading))
    return reading


def _walk(path: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__MACOSX")
        for name in sorted(files):
            yield Path(root) / name


def _check_total(total: int) -> None:
    if total > MAX_TOTAL_BYTES:
        raise ExportRefused(
            f"The export's post lists add up to more than {describe_size(MAX_TOTAL_BYTES)}, "
            "more than any export holds; nothing was queued."
        )


def _read_zip(path: Path) -> ExportReading:
    reading = ExportReading(path=str(path), whole_export=True)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExportRefused(f"{path.name} cannot be opened as a zip file ({exc}).") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ENTRIES:
            raise ExportRefused(
                f"{path.name} holds {len(members):,} entries, more than an Instagram export "
                f"has (at most {MAX_ENTRIES:,} are read); nothing was queued."
            )
        total = 0
        for member in members:
            if member.is_dir() or not _is_export_name(member.filename):
                continue
            _check_member(path, member)
            total += member.file_size
            _check_total(total)
            data = _read_member(path, archive, member, reading)
            if data is not None:
                reading.files.append(_parse(member.filename, data, reading))
    return reading


def _check_member(path: Path, member: zipfile.ZipInfo) -> None:
    if member.file_size > MAX_FILE_BYTES:
        raise ExportRefused(
            f"{member.filename} in {path.name} unpacks to {describe_size(member.file_size)}, "
            f"more than a saved-posts file can be ({describe_size(MAX_FILE_BYTES)}); the zip "
            "is not an Instagram export, and nothing was queued."
        )
    if member.file_size > _CHUNK and member.file_size > MAX_RATIO * max(1, member.compress_size):
        raise ExportRefused(
            f"{member.filename} in {path.name} unpacks to {describe_size(member.file_size)} from "
            f"{describe_size(member.compress_size)}: this is a zip bomb, not an export; "
            "nothing was queued."
        )


def _read_member(
    path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo, reading: ExportReading
) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(member) as handle:
            while chunk := handle.read(_CHUNK):
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise ExportRefused(
                        f"{member.filename} in {path.name} unpacks to more than "
                        f"{describe_size(MAX_FILE_BYTES)} (more than it says): the zip is not "
                        "an Instagram export; nothing was queued."
                    )
                chunks.append(chunk)
    except (RuntimeError, NotImplementedError) as exc:  # encrypted, or an unknown method
        reading.problems.append(f"{member.filename} cannot be unpacked ({exc}); it was skipped.")
        return None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        reading.problems.append(f"{member.filename} is damaged in the zip ({exc}); it was skipped.")
        return None
    return b"".join(chunks)
