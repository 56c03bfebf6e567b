"""InstaRecipe Desktop: Instagram recipe posts into your Tandoor, from the system tray."""

from importlib import metadata

try:
    __version__ = metadata.version("instarecipe-desktop")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

APP_ID = "io.github.instarecipe.InstaRecipeDesktop"
APP_NAME = "InstaRecipe Desktop"
