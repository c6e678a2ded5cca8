"""A Wagtail front-end cache backend that bans whole hosts at the edge (Varnish, deploy/varnish/default.vcl).

A published item shows on its own page, its column's lists, the home page, feeds,
the sitemap and the search page: every page of its site may show it. Banning the
host clears all of them in one request per edge; a site is re-rendered page by
page as visitors ask (one render per page). Publishing is a few times a
day per site, so the edge stays warm.

Configured the Wagtail way (WAGTAILFRONTENDCACHE, see config/settings/base.py):

    {"edge": {"BACKEND": "edge.backends.HostBanBackend", "LOCATIONS": ["http://127.0.0.1:6081"]}}
"""

import http.client
from urllib.parse import urlsplit

from wagtail.contrib.frontend_cache.backends.base import BaseBackend


class PurgeFailed(Exception):
    """Some hosts could not be banned at some edge: {host: reason}."""

    def __init__(self, failures):
        super().__init__("; ".join(f"{host}: {why}" for host, why in sorted(failures.items())))
        self.failures = failures


class HostBanBackend(BaseBackend):
    def __init__(self, params):
        super().__init__(params)
        self.locations = list(params.get("LOCATIONS") or [params["LOCATION"]])
        self.timeout = float(params.get("TIMEOUT", 2))

    def purge(self, url):
        self.purge_batch([url])

    def purge_batch(self, urls):
        """One BAN per host and edge, over one connection per edge; raises PurgeFailed naming what failed."""
        hosts = sorted({urlsplit(url).hostname for url in urls} - {None})
        failures = {}
        for location in self.locations:
            target = urlsplit(location)
            conn = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=self.timeout)
            try:
                for host in hosts:
                    try:
                        conn.request("BAN", "/", headers={"Host": host})
                        response = conn.getresponse()
                        response.read()
                        if response.status != 200:
                            failures[host] = f"{location} answered {response.status}"
                    except (OSError, http.client.HTTPException) as exc:
                        failures[host] = f"{location}: {exc.__class__.__name__}: {exc}"
                        conn.close()  # the next host gets a new connection
            finally:
                conn.close()
        if failures:
            raise PurgeFailed(failures)
