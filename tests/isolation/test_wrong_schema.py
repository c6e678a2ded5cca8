"""A service handed one site while the connection is in another's schema refuses, and writes nothing.

Without the check, rebuilding 锦江区's index from 成都市's schema would replace 锦江区's rows of
the central library with 成都市's pages, under 锦江区's name.
"""

import pytest
from django_tenants.utils import schema_context

from library.models import ResourceItem
from monitoring import indicators
from reports import figures
from search import index
from syndication import sync
from tenants.models import WrongSchema
from tests.factories import ArticleFactory

SERVICES = {
    "search index rebuild": lambda site: index.rebuild(site),
    "indicator computation": lambda site: indicators.compute(site),
    "annual report figures": lambda site: figures.compute(2025, site),
    "syndication catch-up": lambda site: sync.catch_up(site),
}


@pytest.mark.parametrize("service", SERVICES.values(), ids=SERVICES.keys())
def test_a_service_in_the_wrong_schema_refuses(city, county, service):
    with schema_context(county.schema):
        ArticleFactory(title="锦江区召开防汛工作会议", slug="fangxun", body="<p>会议部署防汛工作。</p>")
    before = sorted(ResourceItem.objects.filter(site=county.site).values_list("url", flat=True))
    assert before, "锦江区 has items in the library"

    with schema_context(city.schema), pytest.raises(WrongSchema, match=r"site_510104.*site_510100"):
        service(county.site)

    assert sorted(ResourceItem.objects.filter(site=county.site).values_list("url", flat=True)) == before


@pytest.mark.parametrize("service", SERVICES.values(), ids=SERVICES.keys())
def test_the_same_service_in_the_sites_own_schema_runs(county, service):
    with schema_context(county.schema):
        service(county.site)
