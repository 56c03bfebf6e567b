"""Tandoor adapter: REST client (2.x and 1.5.x), payload builder, exactly-once uploader."""

from instarecipe_desktop.pipeline.uploading.tandoor.check import check_tandoor
from instarecipe_desktop.pipeline.uploading.tandoor.client import (
    ConnectionCheck,
    DuplicateCheck,
    ServerInfo,
    TandoorClient,
    normalize_base_url,
    tls_verify,
)
from instarecipe_desktop.pipeline.uploading.tandoor.payload import (
    RecipePayload,
    build_recipe_payload,
)
from instarecipe_desktop.pipeline.uploading.tandoor.records import UploadRecords
from instarecipe_desktop.pipeline.uploading.tandoor.uploader import TandoorUploader

__all__ = [
    "ConnectionCheck",
    "DuplicateCheck",
    "RecipePayload",
    "ServerInfo",
    "TandoorClient",
    "TandoorUploader",
    "UploadRecords",
    "build_recipe_payload",
    "check_tandoor",
    "normalize_base_url",
    "tls_verify",
]
