"""The syndication screens of a site's Wagtail admin: thin views over syndication.actions.

- 分发到下级站点 (on a live article, policy or interpretation of a site with sites below):
  choose the levels and the subtree; the page shows each receiving site's state.
- 上级信息 (every site that receives): what the sites above sent, with 接收 / 不接收 for a
  site that reviews, and the receiving settings.
Both run in the request's schema; the site is the request's (tenants.middleware).
"""

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from wagtail.models import Page

from columns.models import ColumnPage, ColumnType, HomePage
from library.models import Delivery, Distribution
from tenants.models import GovSite, SiteLevel, sites_below

from . import actions, content
from .models import AcceptMode, ReprintSettings

INBOX_PAGE_SIZE = 30


class DistributeForm(forms.Form):
    levels = forms.MultipleChoiceField(label="接收站点级别", widget=forms.CheckboxSelectMultiple)
    root = forms.ChoiceField(label="接收范围")

    def __init__(self, site, below, *args, **kwargs):
        """`below`: the sites under `site` (the view has them already)."""
        super().__init__(*args, **kwargs)
        self.site = site
        levels = actions.levels_below(site)
        self.fields["levels"].choices = [(level, SiteLevel(level).label) for level in levels]
        self.fields["levels"].initial = levels[:1]
        # A subtree: the whole of this site's, or that of one site below that has sites below it.
        parents = {s.parent_id for s in below}
        self.fields["root"].choices = [(str(site.pk), f"本站所有下级站点（{len(below)} 个）")] + [
            (str(s.pk), f"{s.name}及其下级") for s in below if s.pk in parents
        ]

    def clean_root(self):
        return GovSite.objects.get(pk=int(self.cleaned_data["root"]))


def _distributable_page(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not content.is_distributable(page) or not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return page


def distribute(request, page_id):
    site = request.site_tenant
    page = _distributable_page(request, page_id)
    distribution = actions.distribution_of(site, page.pk)
    below = sites_below(site)
    if not below:
        return render(request, "syndication/admin/distribute.html", {"page": page, "no_sites_below": True})
    form = DistributeForm(site, below, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            distribution = actions.distribute_page(
                page, site, levels=form.cleaned_data["levels"], root=form.cleaned_data["root"],
                acting_user=request.user,
            )
        except actions.SyndicationError as exc:
            form.add_error(None, str(exc))
        else:
            count = distribution.deliveries.count()
            flash.success(request, f"“{page.title}”已分发，{count} 个下级站点将收到。")
            return redirect("syndication_admin:distribute", page.pk)
    deliveries = (distribution.deliveries.select_related("site").order_by("site__region_code")
                  if distribution else Delivery.objects.none())
    states = dict(deliveries.values_list("state").annotate(n=Count("pk")).order_by()) if distribution else {}
    behind = deliveries.filter(applied_revision__lt=distribution.revision).exclude(
        state=Delivery.State.DECLINED).count() if distribution else 0
    return render(request, "syndication/admin/distribute.html", {
        "page": page, "form": form, "distribution": distribution, "deliveries": deliveries,
        "states": [(Delivery.State(k).label, v) for k, v in states.items()], "behind": behind,
    })


FILTERS = {
    "pending": ("待接收", Q(state=Delivery.State.PENDING, distribution__status=Distribution.Status.ACTIVE)),
    "accepted": ("已接收", Q(state=Delivery.State.ACCEPTED)),
    "declined": ("不接收", Q(state=Delivery.State.DECLINED)),
    "all": ("全部", Q()),
}


def inbox(request):
    site = request.site_tenant
    current = request.GET.get("filter") if request.GET.get("filter") in FILTERS else "pending"
    rows = (Delivery.objects.filter(site=site).filter(FILTERS[current][1])
            .select_related("distribution", "distribution__source_site").order_by("-distribution__created_at"))
    page_obj = Paginator(rows, INBOX_PAGE_SIZE).get_page(request.GET.get("p"))
    pending = Delivery.objects.filter(site=site).filter(FILTERS["pending"][1]).count()
    return render(request, "syndication/admin/inbox.html", {
        "page_obj": page_obj, "filters": [(k, v[0]) for k, v in FILTERS.items()], "current": current,
        "pending": pending, "settings": ReprintSettings.load(request_or_site=request),
        "can_decide": _can_decide(request.user), "review": AcceptMode.REVIEW,
    })


def _can_decide(user):
    """Who may publish in the 上级信息 column (or, before it exists, under the home page) decides."""
    where = ColumnPage.objects.filter(column_type=ColumnType.REPRINT).first() or HomePage.objects.first()
    return where is not None and where.permissions_for_user(user).can_publish_subpage()


@require_POST
def decide(request, delivery_id, decision):
    site = request.site_tenant
    if not _can_decide(request.user):
        raise PermissionDenied
    action = {"accept": actions.accept_delivery, "decline": actions.decline_delivery}.get(decision)
    if action is None:
        raise Http404
    try:
        delivery = action(delivery_id, site, acting_user=request.user)
    except actions.SyndicationError as exc:
        flash.error(request, str(exc))
    else:
        verb = "已接收并发布" if decision == "accept" else "已设为不接收"
        flash.success(request, f"“{delivery.distribution.title}”{verb}。")
    back = request.POST.get("filter") if request.POST.get("filter") in FILTERS else "pending"
    return redirect(f"{reverse('syndication_admin:inbox')}?filter={back}")
