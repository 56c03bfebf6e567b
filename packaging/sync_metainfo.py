"""Write the AppStream metainfo's ``<releases>`` from CHANGELOG.md (Keep a Changelog format).

    python packaging/sync_metainfo.py           # rewrite the metainfo's <releases> block
    python packaging/sync_metainfo.py --check   # exit 1 when the metainfo is out of date

Only released sections (``## [1.2.3] - YYYY-MM-DD``) become releases; ``[Unreleased]`` does not.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
CHANGELOG = ROOT / "CHANGELOG.md"
LINUX_DIR = ROOT / "resources" / "linux"

_RELEASE = re.compile(r"^## \[(?P<version>[^\]]+)\] - (?P<date>\d{4}-\d{2}-\d{2})\s*$")
_RELEASES_BLOCK = re.compile(r"^(?P<indent>[ \t]*)<releases>.*?</releases>", re.S | re.M)
_MARKUP = re.compile(r"`([^`]*)`|\*\*([^*]*)\*\*|\[([^\]]*)\]\([^)]*\)")


@dataclass
class Release:
    version: str
    date: str
    # (subsection heading such as "Added", its bullet points)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)


def parse_changelog(text: str) -> list[Release]:
    """The released versions, newest first as written, with their bullet points joined."""
    releases: list[Release] = []
    current: Release | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            match = _RELEASE.match(line)
            current = Release(match["version"], match["date"]) if match else None
            if current:
                releases.append(current)
        elif current is None:
            continue
        elif line.startswith("### "):
            current.sections.append((line[4:].strip(), []))
        elif line.startswith("- ") and current.sections:
            current.sections[-1][1].append(line[2:].strip())
        elif line.startswith("  ") and line.strip() and current.sections:
            bullets = current.sections[-1][1]
            if bullets:  # a bullet continued on the next line
                bullets[-1] += " " + line.strip()
    return releases


def _plain(markdown: str) -> str:
    return _MARKUP.sub(lambda m: next(g for g in m.groups() if g is not None), markdown)


def releases_xml(releases: list[Release], indent: str = "  ") -> str:
    """The ``<releases>`` element, indented to sit at ``indent`` in the metainfo."""
    step = "  "
    out = [f"{indent}<releases>"]
    for release in releases:
        out.append(
            f'{indent}{step}<release version="{escape(release.version)}" date="{release.date}">'
        )
        out.append(f"{indent}{step * 2}<description>")
        for heading, bullets in release.sections:
            out.append(f"{indent}{step * 3}<p>{escape(heading)}:</p>")
            out.append(f"{indent}{step * 3}<ul>")
            out += [f"{indent}{step * 4}<li>{escape(_plain(b))}</li>" for b in bullets]
            out.append(f"{indent}{step * 3}</ul>")
        out.append(f"{indent}{step * 2}</description>")
        out.append(f"{indent}{step}</release>")
    out.append(f"{indent}</releases>")
    return "\n".join(out)


def synced_metainfo(metainfo: str, changelog: str) -> str:
    """The metainfo text with its ``<releases>`` block replaced by the changelog's releases."""
    match = _RELEASES_BLOCK.search(metainfo)
    if match is None:
        raise ValueError("the metainfo has no <releases> element to fill")
    block = releases_xml(parse_changelog(changelog), match["indent"])
    return metainfo[: match.start()] + block + metainfo[match.end() :]


def metainfo_path() -> Path:
    (path,) = LINUX_DIR.glob("*.metainfo.xml")
    return path


def main(argv: list[str]) -> int:
    path = metainfo_path()
    current = path.read_text(encoding="utf-8")
    wanted = synced_metainfo(current, CHANGELOG.read_text(encoding="utf-8"))
    if "--check" in argv:
        if current != wanted:
            print(
                f"{path.name} is out of date: run python packaging/sync_metainfo.py",
                file=sys.stderr,
            )
            return 1
        return 0
    if current != wanted:
        path.write_text(wanted, encoding="utf-8")
        print(f"updated {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
