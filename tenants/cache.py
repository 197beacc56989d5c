"""A town's entries in the shared Redis cache."""

from django.conf import settings
from django_redis import get_redis_connection

PURGE_BATCH = 500


def town_cache_purge(schema_name: str) -> int:
    """Delete every cache entry of one town, e.g. once it is deleted, so that a new town given
    the same slug never shows the old one's pages or theme. Keys are made by django-tenants'
    make_key as ``<schema>:<KEY_PREFIX>:<version>:<key>``; the prefix keeps other deployments
    sharing the Redis server out of reach. Returns the number of keys deleted."""
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    # Not django-redis's delete_pattern: it would build the pattern with the *current* schema
    # (make_key) and one cache version, where this must reach every version of another schema.
    client = get_redis_connection("default")
    deleted, batch = 0, []
    for key in client.scan_iter(match=f"{schema_name}:{prefix}:*", count=PURGE_BATCH):
        batch.append(key)
        if len(batch) == PURGE_BATCH:
            deleted += client.delete(*batch)
            batch = []
    if batch:
        deleted += client.delete(*batch)
    return deleted
