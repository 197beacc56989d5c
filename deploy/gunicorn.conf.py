"""Gunicorn for production: `gunicorn -c deploy/gunicorn.conf.py config.wsgi:application`.

Web nodes are stateless (sessions in each town's schema, cache in Redis, media on shared
storage): run as many as needed behind the load balancer.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then
max_requests_jitter = 200
forwarded_allow_ips = "127.0.0.1"  # nginx on the same host sets X-Forwarded-Proto
accesslog = "-"
errorlog = "-"
