"""The per-process cache (development, the bench, the test settings' "local" alias) holds a whole province."""

from django.core.cache import caches


def test_the_local_cache_keeps_an_entry_for_each_of_3000_sites(db):
    cache = caches["local"]  # config.settings.base's default, as development and the bench use it
    cache.clear()
    for n in range(3000):
        cache.set(f"wagtail_site_root_paths-site-{n}", n)
    assert cache.get("wagtail_site_root_paths-site-0") == 0, "the first site's entry was culled"
    cache.clear()
