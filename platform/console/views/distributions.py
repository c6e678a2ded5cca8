"""上级信息分发: what every site distributed, and how far each item has reached.

Read-only: distributing is an editor's act in the source site's admin; delivering is the
worker's. Administrators see here which sites are behind (suspended, or failing with an error).
"""

from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from library.models import Delivery, Distribution

from ..access import staff_required

PAGE_SIZE = 50
_BEHIND = Q(deliveries__applied_revision__lt=F("revision")) & ~Q(deliveries__state=Delivery.State.DECLINED)


@require_safe
@staff_required
def distributions(request):
    rows = (Distribution.objects.select_related("source_site").order_by("-created_at")
            .annotate(sites=Count("deliveries"),
                      shown=Count("deliveries", filter=Q(deliveries__state=Delivery.State.ACCEPTED)),
                      pending=Count("deliveries", filter=Q(deliveries__state=Delivery.State.PENDING)),
                      declined=Count("deliveries", filter=Q(deliveries__state=Delivery.State.DECLINED)),
                      behind=Count("deliveries", filter=_BEHIND),
                      failing=Count("deliveries", filter=~Q(deliveries__last_error=""))))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "console/distributions.html", {"page_obj": page})


@require_safe
@staff_required
def distribution(request, pk):
    item = get_object_or_404(Distribution.objects.select_related("source_site"), pk=pk)
    deliveries = item.deliveries.select_related("site").order_by("site__region_code")
    return render(request, "console/distribution.html", {"item": item, "deliveries": deliveries})
