"""Entry script of the PyInstaller bundle: the same ``main`` as the installed commands."""

import sys

from instarecipe_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
