"""gunicorn settings for every environment (`make run`, systemd, the container).

Values come from the environment so one file serves all; see deploy/README.md.
"""

import multiprocessing
import os

# One or more addresses separated by spaces, e.g. "127.0.0.1:8000 [::1]:8000".
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split()
# Sync workers: page renders are CPU-bound and short; the edge cache absorbs spikes.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Recycle workers now and then so a slow leak stays bounded; rarely, because a new worker
# has a new PostgreSQL connection whose catalog caches are empty, and its first request to
# each site is slower than the next (bench/README.md, "3,000 sites"). Recycled every few
# thousand requests, a worker serving the whole province never got warm.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = 10000
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Python path: the repository root (tenants, themes) and platform/ (config and the content apps).
pythonpath = os.environ.get("GUNICORN_PYTHONPATH", ".,platform")
# gunicorn 25+ opens a control socket in the home folder by default; a service account
# may have no writable home, and nothing here uses gunicornc.
control_socket_disable = True
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
# Trust X-Forwarded-* only from the local edge (nginx/Varnish on the same host).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Load the Chinese segmentation dictionary before the worker takes requests.

    Otherwise the first search or publish a worker serves waits ~0.7 s for it (again after
    every max_requests recycle); the worker is not in the accept loop until this returns.
    """
    from search import segment

    segment.tokenizer()
