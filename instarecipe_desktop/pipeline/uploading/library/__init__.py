"""Local recipe library: schema.org Recipe JSON-LD plus a readable HTML page per post."""

from instarecipe_desktop.pipeline.uploading.library.jsonld import iso_duration, recipe_to_jsonld
from instarecipe_desktop.pipeline.uploading.library.page import render_page
from instarecipe_desktop.pipeline.uploading.library.uploader import LibraryUploader

__all__ = ["LibraryUploader", "iso_duration", "recipe_to_jsonld", "render_page"]
