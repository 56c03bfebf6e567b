#!/usr/bin/env bash
# Builds the Linux release of InstaRecipe Desktop from this checkout:
#   1. the PyInstaller one-folder bundle (packaging/instarecipe-desktop.spec),
#   2. a tarball of it: instarecipe-desktop-<version>-linux-<arch>.tar.gz,
#   3. a Debian package: instarecipe-desktop_<version>_<arch>.deb (bundle in /opt, command in
#      /usr/bin, desktop entry, AppStream metainfo and hicolor icons under /usr/share).
#
# Usage: bash packaging/build-linux.sh [OUT_DIR]        (default OUT_DIR: dist/)
#   DEB_XZ_LEVEL=0..9 (default 6): xz level of the .deb; the tests use 1 to save minutes
# Needs: the package installed with its `package` extra in $PYTHON (default: python3), e.g.
#   python3 -m pip install -e '.[package]'
# and dpkg-deb (Debian's dpkg). Works offline. See docs/packaging.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3}
OUT=$(mkdir -p "${1:-$ROOT/dist}" && cd "${1:-$ROOT/dist}" && pwd)
WORK="$OUT/.build"
NAME=instarecipe-desktop

die() { echo "build-linux.sh: $*" >&2; exit 1; }
command -v dpkg-deb >/dev/null || die "dpkg-deb not found (install Debian's dpkg)"
"$PYTHON" -c "import PyInstaller" 2>/dev/null \
  || die "PyInstaller is missing: $PYTHON -m pip install -e '.[package]'"

# one source of truth for the version: pyproject.toml, as installed into the package metadata
read -r APP_ID VERSION < <("$PYTHON" - "$ROOT" <<'PY'
import sys, tomllib
from importlib.metadata import version
root = sys.argv[1]
sys.path.insert(0, root)
from instarecipe_desktop import APP_ID
declared = tomllib.load(open(f"{root}/pyproject.toml", "rb"))["project"]["version"]
installed = version("instarecipe-desktop")
if installed != declared:
    sys.exit(f"installed metadata says {installed}, pyproject.toml says {declared}: "
             "reinstall the package (pip install -e '.[package]')")
print(APP_ID, declared)
PY
)
ARCH=$(dpkg --print-architecture 2>/dev/null || uname -m)
# Debian orders 1.0~rc1 before 1.0; PEP 440 writes 1.0rc1 / 1.0.dev1
DEB_VERSION=$(echo "$VERSION" | sed -E 's/\.?(dev|a|b|rc)([0-9]*)$/~\1\2/')

echo "== PyInstaller bundle ($VERSION)"
rm -rf "$WORK"
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$WORK/dist" --workpath "$WORK/pyinstaller" "$ROOT/packaging/$NAME.spec"
BUNDLE="$WORK/dist/$NAME"
got=$("$BUNDLE/$NAME" --version)
[ "$got" = "$NAME $VERSION" ] || die "the bundle says '$got', expected '$NAME $VERSION'"
rm -rf "${OUT:?}/$NAME"
mv "$BUNDLE" "$OUT/$NAME"
BUNDLE="$OUT/$NAME"
ICONS="$WORK/pyinstaller/$NAME/hicolor"  # rendered from resources/icons/app.svg by the spec

echo "== tarball (bundle built in ${SECONDS}s)"
TARBALL="$OUT/$NAME-$VERSION-linux-$(uname -m).tar.gz"
tar -C "$OUT" --owner=0 --group=0 --numeric-owner \
  --transform "s,^$NAME,$NAME-$VERSION," -czf "$TARBALL" "$NAME"

echo "== Debian package (at ${SECONDS}s)"
ROOTFS="$WORK/deb"
mkdir -p "$ROOTFS/DEBIAN" "$ROOTFS/opt" "$ROOTFS/usr/bin" "$ROOTFS/usr/share/applications" \
  "$ROOTFS/usr/share/metainfo" "$ROOTFS/usr/share/icons" "$ROOTFS/usr/share/doc/$NAME"
cp -a "$BUNDLE" "$ROOTFS/opt/$NAME"
ln -s "/opt/$NAME/$NAME" "$ROOTFS/usr/bin/$NAME"
install -m 644 "$ROOT/resources/linux/$APP_ID.desktop" "$ROOTFS/usr/share/applications/"
install -m 644 "$ROOT/resources/linux/$APP_ID.metainfo.xml" "$ROOTFS/usr/share/metainfo/"
cp -r "$ICONS" "$ROOTFS/usr/share/icons/hicolor"
install -m 644 "$ROOT/CHANGELOG.md" "$ROOTFS/usr/share/doc/$NAME/changelog"
gzip -9n "$ROOTFS/usr/share/doc/$NAME/changelog"
cat > "$ROOTFS/usr/share/doc/$NAME/copyright" <<TXT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: InstaRecipe Desktop
Files: *
Copyright: InstaRecipe Desktop developers
License: MIT
Comment: The bundle in /opt/$NAME also carries Python, Qt (LGPL-3) and PySide6 (LGPL-3).
TXT
chmod -R u+rwX,go+rX,go-w "$ROOTFS"
# glibc is the one system library the bundle never carries; it must be at least the build's
GLIBC=$(getconf GNU_LIBC_VERSION | awk '{print $2}')
cat > "$ROOTFS/DEBIAN/control" <<TXT
Package: $NAME
Version: $DEB_VERSION
Architecture: $ARCH
Maintainer: InstaRecipe Desktop developers <instarecipe-desktop@users.noreply.github.com>
Installed-Size: $(du -sk --exclude=DEBIAN "$ROOTFS" | cut -f1)
Depends: libc6 (>= $GLIBC), libgl1, libegl1, libxcb1, libfontconfig1
Recommends: libwayland-client0, libwayland-cursor0, libxkbcommon-x11-0, libxcb-cursor0
Section: utils
Priority: optional
Homepage: https://github.com/instarecipe/instarecipe-desktop
Description: Turn Instagram recipe posts into recipes in your Tandoor
 Copy a recipe reel's link on Instagram; InstaRecipe Desktop, sitting in the
 system tray, reads the post and saves it as a structured recipe in a
 self-hosted Tandoor, or in a local library of web pages.
TXT
DEB="$OUT/${NAME}_${DEB_VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zxz "-z${DEB_XZ_LEVEL:-6}" --threads-max="$(nproc)" \
  --build "$ROOTFS" "$DEB" >/dev/null

rm -rf "$WORK"
echo "== done in ${SECONDS}s"
du -sh --apparent-size "$BUNDLE" "$TARBALL" "$DEB"
