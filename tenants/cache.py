"""The shared Redis cache, which degrades to no cache when Redis cannot be reached.

Everything the platform keeps in Redis can be recomputed (Wagtail's site root paths and
rendition look-ups, navigation, rate-limit counters, captcha stores are in each site's
database), so a Redis outage must cost speed, never pages: every operation that fails
answers as a miss (a get returns its default, an add or a set stores nothing, an increment
returns None, which django-ratelimit treats by RATELIMIT_FAIL_OPEN). After a failure the node
stops asking Redis for RETRY_SECONDS, so a request pays the connect timeout at most once
in that time, not once per cache call.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
RETRY_SECONDS = 5.0


class _Outage:
    """Shared by the node's clients: whether Redis failed lately, and when to try it again."""

    def __init__(self):
        self.until = 0.0
        self.lock = threading.Lock()

    def active(self):
        return time.monotonic() < self.until

    def began(self, exc):
        with self.lock:
            if not self.active():
                logger.warning("cache unavailable (%s: %s); serving without it for %.0f s",
                               type(exc).__name__, exc, RETRY_SECONDS)
            self.until = time.monotonic() + RETRY_SECONDS


outage = _Outage()


def _degrading(name, fallback):
    method = getattr(RedisCacheClient, name)

    def call(self, *args, **kwargs):
        if outage.active():
            return fallback(*args)
        try:
            return method(self, *args, **kwargs)
        except RedisError as exc:
            outage.began(exc)
            return fallback(*args)

    call.__name__ = name
    return call


class DegradingRedisCacheClient(RedisCacheClient):
    add = _degrading("add", lambda *args: False)
    get = _degrading("get", lambda key, default: default)
    set = _degrading("set", lambda *args: None)
    touch = _degrading("touch", lambda *args: False)
    delete = _degrading("delete", lambda *args: False)
    get_many = _degrading("get_many", lambda *args: {})
    has_key = _degrading("has_key", lambda *args: False)
    incr = _degrading("incr", lambda *args: None)
    set_many = _degrading("set_many", lambda *args: [])
    delete_many = _degrading("delete_many", lambda *args: None)
    clear = _degrading("clear", lambda *args: False)

    def ping(self):
        """True when Redis answers now (the health check asks even during an outage)."""
        try:
            return bool(self.get_client().ping())
        except RedisError:
            return False


class DegradingRedisCache(RedisCache):
    """Django's RedisCache with DegradingRedisCacheClient: a Redis outage is a cache miss."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = DegradingRedisCacheClient

    def ping(self):
        return self._cache.ping()
