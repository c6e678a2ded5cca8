"""The demo service guides are complete, published and render on every kind of site."""

from django_tenants.utils import schema_context

from services.demo import GUIDES, add_demo_services
from services.models import ServiceGuidePage


def test_demo_guides_are_complete_and_render(county, province):
    for site, department in ((county, "锦江区民政局"), (province, "四川省民政厅")):
        with schema_context(site.schema):
            assert add_demo_services(site.site) == len(GUIDES) == 6
            guides = list(ServiceGuidePage.objects.live().order_by("path"))
            assert len(guides) == 6
            for page in guides:
                page.full_clean()
            assert department in {page.department for page in guides}
            urls = [page.url for page in guides]
        for url in urls:
            assert site.client().get(url).status_code == 200
