"""Celery beat on several nodes, one sending: the schedule ticks only in the beat that holds a
lock in Redis (the broker's server).

Each beat tries to take the lock (``SET key token NX PX``) at every tick; the holder renews it
(only while the key still holds its own token, one Lua script). When the holder stops or loses
Redis, the lock expires after BEAT_LOCK_SECONDS and another beat takes over at its next tick:
periodic tasks are late by at most that, never sent twice by two beats. Standby beats keep
their schedule file up to date but send nothing.
"""

from __future__ import annotations

import contextlib
import logging
import uuid

import redis
from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)

# Renew only our own lock: another beat's token is left alone.
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""


class SingleBeatScheduler(PersistentScheduler):
    def __init__(self, *args, **kwargs):
        self.lock_token = uuid.uuid4().hex
        self.holds_lock = False
        self._redis = None
        super().__init__(*args, **kwargs)

    @property
    def redis(self) -> redis.Redis:
        if self._redis is None:
            self._redis = redis.Redis.from_url(
                self.app.conf.broker_url, socket_connect_timeout=1, socket_timeout=2
            )
        return self._redis

    def lock_held(self) -> bool:
        """Take or renew the lock; whether this beat holds it now."""
        key, ttl_ms = settings.BEAT_LOCK_KEY, settings.BEAT_LOCK_SECONDS * 1000
        try:
            held = bool(
                self.redis.set(key, self.lock_token, nx=True, px=ttl_ms)
                or self.redis.eval(_RENEW, 1, key, self.lock_token, ttl_ms)
            )
        except redis.RedisError as exc:
            logger.warning("Beat : verrou Redis injoignable (%s), rien n'est envoyé.", exc)
            held = False
        if held != self.holds_lock:
            logger.info("Beat : %s", "verrou pris, envoi du calendrier" if held else "en attente")
            self.holds_lock = held
        return held

    def tick(self, *args, **kwargs):
        if not self.lock_held():
            return min(self.max_interval, settings.BEAT_LOCK_SECONDS / 3)
        return min(super().tick(*args, **kwargs), settings.BEAT_LOCK_SECONDS / 3)

    def close(self):
        if self.holds_lock:  # another beat takes over at once instead of after the expiry
            with contextlib.suppress(redis.RedisError):
                self.redis.eval(_RENEW, 1, settings.BEAT_LOCK_KEY, self.lock_token, 1)
        super().close()
