"""The built-in offline recipe parser: rules a cook would recognise, no network, no model.

``parse_caption(text)`` returns a ``Recipe`` or raises ``PermanentError(code="no_recipe")``;
``OfflineRecipeParser`` is the same as a parsing-phase adapter. See docs/offline-parser.md.
"""

from instarecipe_desktop.pipeline.parsing.offline.adapter import OfflineRecipeParser
from instarecipe_desktop.pipeline.parsing.offline.parser import (
    NO_RECIPE_MESSAGE,
    parse_caption,
)

__all__ = ["NO_RECIPE_MESSAGE", "OfflineRecipeParser", "parse_caption"]
