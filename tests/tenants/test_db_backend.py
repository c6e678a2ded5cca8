"""The backend switches schemas cheaply: no SET when the path is unchanged, no ContentType reload between sites."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from columns.models import HomePage
from tenants.middleware import SiteRoutingMiddleware
from tenants.routing import clear_route_cache


def test_no_set_search_path_when_the_server_already_has_it(county, django_assert_num_queries):
    connection.set_tenant(county.site)
    HomePage.objects.count()  # the SET happens here
    connection.set_schema_to_public()  # intended only: no query runs in public
    connection.set_tenant(county.site)
    with django_assert_num_queries(1) as ctx:
        HomePage.objects.count()
    assert "search_path" not in ctx.captured_queries[0]["sql"]


def test_switching_between_sites_keeps_the_content_type_cache(city, county, django_assert_num_queries):
    connection.set_tenant(city.site)
    city_id = ContentType.objects.get_for_model(HomePage).id
    connection.set_tenant(county.site)
    with django_assert_num_queries(0):
        assert ContentType.objects.get_for_model(HomePage).id == city_id


def test_crossing_to_public_never_serves_a_site_content_type_id(county):
    connection.set_tenant(county.site)
    site_id = ContentType.objects.get_for_model(HomePage).id
    connection.set_schema_to_public()
    public_id = ContentType.objects.get_for_model(HomePage).id
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM django_content_type WHERE app_label = 'columns' AND model = 'homepage'")
        assert cursor.fetchone()[0] == public_id != site_id


def test_a_request_for_the_same_site_again_costs_no_switch(county, settings, django_assert_num_queries):
    """With the host cached, the middleware goes straight to the site: no public query, no SET."""
    settings.TENANT_ROUTE_CACHE_SECONDS = 60
    clear_route_cache()
    middleware = SiteRoutingMiddleware(lambda request: HttpResponse(str(HomePage.objects.count())))
    request = RequestFactory(HTTP_HOST=county.host).get("/")
    try:
        middleware(request)  # looks the host up, selects the site
        assert connection.schema_name == county.schema, "the connection stays on the site"
        with django_assert_num_queries(1):
            assert middleware(RequestFactory(HTTP_HOST=county.host).get("/")).content == b"1"
    finally:
        clear_route_cache()
