"""Demo content: the province pushes its newest article down to every site below (once)."""

from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from columns.models import ArticlePage
from library.models import Distribution

from . import actions


def distribute_demo_item(province):
    """Distribute `province`'s newest article to all levels below it; None when there is nothing to do.

    The worker delivers it (`make run` starts one; its first pass catches up whatever is behind).
    """
    with schema_context(province.schema_name):
        article = ArticlePage.objects.live().order_by("-first_published_at", "-pk").first()
        if article is None or Distribution.objects.filter(source_site=province, source_page_id=article.pk).exists():
            return None
        return actions.distribute_page(
            article, province, levels=actions.levels_below(province), root=province,
            acting_user=get_user_model().objects.get(username="admin"),
        )
