import sys

from instarecipe_desktop.cli import main

sys.exit(main())
