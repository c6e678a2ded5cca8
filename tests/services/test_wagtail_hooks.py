"""Bulk publishing refuses incomplete pages with the reason, instead of failing halfway with a server error."""

from django.contrib.messages import get_messages
from django_tenants.utils import schema_context

from policies.models import PolicyInterpretationPage
from services.models import ServiceGuidePage
from tests.factories import PolicyInterpretationFactory, ServiceGuideFactory, column


def bulk_publish(site, *pages, include_descendants=False):
    with schema_context(site.schema):
        parent = column("bsfw").pk
    ids = "&".join(f"id={page.pk}" for page in pages)
    url = f"/admin/bulk/wagtailcore/page/publish/?{ids}&next=/admin/pages/{parent}/"
    data = {"include_descendants": "on"} if include_descendants else {}
    return site.admin_client().post(url, data)


def live(site, page):
    with schema_context(site.schema):
        return ServiceGuidePage.objects.get(pk=page.pk).live


def test_bulk_publishing_an_incomplete_guide_is_refused_with_the_missing_elements(county):
    with schema_context(county.schema):
        complete = ServiceGuideFactory(draft=True)
        incomplete = ServiceGuideFactory(draft=True, slug="bwz", title="不完整的指南", fees="", phone="")
    response = bulk_publish(county, complete, incomplete)
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("未发布任何页面，以下页面内容不完整：“不完整的指南”：")
    assert "缺少办事指南要素“收费标准”，不能发布。" in message and "缺少办事指南要素“咨询电话”，不能发布。" in message
    assert not live(county, complete) and not live(county, incomplete)


def test_bulk_publishing_complete_pages_still_works(county):
    with schema_context(county.schema):
        complete = ServiceGuideFactory(draft=True)
    assert bulk_publish(county, complete).status_code == 302
    assert live(county, complete)


def test_draft_descendants_published_along_are_checked_too(county):
    with schema_context(county.schema):
        services = column("bsfw")
        services.save_revision(clean=False)
        incomplete = ServiceGuideFactory(draft=True, fees="")
    response = bulk_publish(county, services, include_descendants=True)
    assert "缺少办事指南要素“收费标准”" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert not live(county, incomplete)


def test_other_page_types_are_checked_the_same_way(county):
    with schema_context(county.schema):
        unlinked = PolicyInterpretationFactory(policy=None, draft=True)
        parent = column("zcjd").pk
    url = f"/admin/bulk/wagtailcore/page/publish/?id={unlinked.pk}&next=/admin/pages/{parent}/"
    response = county.admin_client().post(url, {})
    assert "请选择所解读的政策文件" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    with schema_context(county.schema):
        assert not PolicyInterpretationPage.objects.get(pk=unlinked.pk).live
