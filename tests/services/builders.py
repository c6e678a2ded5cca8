"""Builders for service guides, used inside a fixture site's schema (`schema_context`)."""

from columns.models import ColumnPage
from services.models import ServiceGuidePage

COMPLETE = {
    "item_name": "个体工商户设立登记",
    "department": "锦江区市场监督管理局",
    "legal_basis": "<p>《促进个体工商户发展条例》</p>",
    "conditions": "<p>有经营能力的自然人</p>",
    "materials": "<ol><li>登记申请书 1 份</li></ol>",
    "process": "<ol><li>申请</li><li>受理</li><li>发照</li></ol>",
    "time_limit": "承诺时限当场办结",
    "fees": "不收费",
    "place_and_hours": "锦江区政务服务中心 1 楼\n周一至周五 9:00—17:30",
    "phone": "028-12345678",
}


def service_column():
    return ColumnPage.objects.get(slug="bsfw")


def guide(*, publish=True, **fields):
    page = ServiceGuidePage(**{"title": "个体工商户设立登记办事指南", "slug": "gtgsh", **COMPLETE, **fields})
    page.live = publish
    service_column().add_child(instance=page)
    if publish:
        page.save_revision().publish()
    else:
        page.save_revision(clean=False)
    return page
