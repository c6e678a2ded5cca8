"""Syndication's state changes, each one explicit: distribute, follow a revision, withdraw, accept, decline.

Source side (in the source site's schema, the site passed explicitly): `distribute_page`
stores the item once in the library (library.Distribution) with one Delivery row per
receiving site; `follow_source` and `withdraw_source` are called by the signal handlers
when the source page is published again or taken down. Receiving side (in the receiving
site's schema): `accept_delivery` and `decline_delivery`, for sites that review what they
receive. Each change bumps what the sites must catch up with and wakes the worker
(syndication.sync) when it commits; editors' actions are written to the page's history
(and from there to the platform's audit trail, tenants.site_audit).
"""

from django.db import transaction
from django.db.models import F
from wagtail.log_actions import log
from wagtail.models import Page

from library.models import Delivery, Distribution
from tenants.models import SiteLevel, SiteStatus, require_schema, sites_below

from . import content, sync
from .models import ReprintPage

LEVEL_ORDER = [SiteLevel.PROVINCE, SiteLevel.CITY, SiteLevel.COUNTY, SiteLevel.TOWNSHIP]
# Sites that receive: running ones, and suspended ones (they catch up when resumed). Archived
# and folded sites change no more.
RECEIVING = [SiteStatus.ACTIVE, SiteStatus.SUSPENDED]


class SyndicationError(Exception):
    """A syndication action was refused; the message says why, in Chinese, for the editor."""


def levels_below(site):
    return LEVEL_ORDER[LEVEL_ORDER.index(site.level) + 1:]


def target_sites(source, *, levels, root):
    """The sites of `levels` in `root`'s subtree (root included when it is below the source)."""
    below = sites_below(source)
    if root.pk != source.pk and root.pk not in {s.pk for s in below}:
        raise SyndicationError(f"“{root.name}”不是本站的下级站点")
    unknown = set(levels) - set(levels_below(source))
    if not levels or unknown:
        raise SyndicationError("请选择本站以下的站点级别")
    scope = below if root.pk == source.pk else [root, *sites_below(root)]
    return [s for s in scope if s.level in levels and s.status in RECEIVING]


def _require_distributable(page, user):
    if not content.is_distributable(page):
        raise SyndicationError("只有文章、政策文件和政策解读可以分发到下级站点")
    if not page.live:
        raise SyndicationError("请先发布本信息，再分发到下级站点")
    if content.is_private(page):
        raise SyndicationError("本信息（或其所在栏目）设有访问限制，只对部分人可见，不能分发到下级站点")
    if not page.permissions_for_user(user).can_publish():
        raise SyndicationError("您没有发布本信息的权限，不能分发")


def distribute_page(page, site, *, levels, root, acting_user):
    """Push `page` (live, in `site`) down to the sites of `levels` under `root`; returns the Distribution.

    Distributing the same page again widens the range: sites already receiving it keep
    their copy (and their decision), new ones get it.
    """
    page = page.specific
    _require_distributable(page, acting_user)
    targets = target_sites(site, levels=levels, root=root)
    if not targets:
        raise SyndicationError("所选范围内没有可接收的下级站点")
    with transaction.atomic():
        fields = {
            **content.snapshot(page, site), "target_levels": list(levels), "target_root": root,
            "distributed_by": acting_user.get_username(), "status": Distribution.Status.ACTIVE,
        }
        distribution = Distribution.objects.select_for_update().filter(source_site=site, source_page_id=page.pk).first()
        if distribution is None:
            distribution = Distribution.objects.create(source_site=site, source_page_id=page.pk, **fields)
        else:
            for name, value in fields.items():
                setattr(distribution, name, value)
            distribution.revision = F("revision") + 1
            distribution.save()
            distribution.refresh_from_db()
        have = set(distribution.deliveries.values_list("site_id", flat=True))
        new = [Delivery(distribution=distribution, site=s) for s in targets if s.pk not in have]
        Delivery.objects.bulk_create(new)
        log(page, "syndication.distribute", user=acting_user, data={
            "sites": len(new), "levels": list(levels), "root": root.name,
        })
        sync.notify()
    return distribution


def distribution_of(site, page_id):
    return Distribution.objects.filter(source_site=site, source_page_id=page_id).first()


def follow_source(page, site):
    """The source page was published again: its copies show the new version (and a repeal, if any)."""
    with transaction.atomic():
        distribution = Distribution.objects.select_for_update().filter(
            source_site=site, source_page_id=page.pk).first()
        if distribution is None:
            return None
        for name, value in content.snapshot(page, site).items():
            setattr(distribution, name, value)
        distribution.status = Distribution.Status.ACTIVE
        distribution.revision = F("revision") + 1
        distribution.save()
        sync.notify()
    return distribution


def withdraw_source(site, page_ids):
    """Source pages were unpublished or deleted: every copy is withdrawn (410 when next rendered, then unpublished)."""
    updated = Distribution.objects.filter(
        source_site=site, source_page_id__in=page_ids, status=Distribution.Status.ACTIVE
    ).update(status=Distribution.Status.WITHDRAWN, revision=F("revision") + 1)
    if updated:
        sync.notify()
    return updated


def _own_delivery(delivery_id, site):
    delivery = (Delivery.objects.select_for_update().select_related("distribution")
                .filter(pk=delivery_id, site=site).first())
    if delivery is None:
        raise SyndicationError("没有这条上级信息")
    return delivery


def accept_delivery(delivery_id, site, *, acting_user):
    """A reviewing site takes an item: it is published in the 上级信息 column now."""
    with transaction.atomic():
        delivery = _own_delivery(delivery_id, site)
        if delivery.distribution.is_withdrawn:
            raise SyndicationError("该信息已被发布单位撤回，不能接收")
        if delivery.state == Delivery.State.ACCEPTED:
            return delivery
        delivery.state = Delivery.State.ACCEPTED
        delivery.decided_by = acting_user.get_username()
        delivery.applied_revision = 0  # nothing of it is on the site yet
        delivery.save()
        sync.apply(delivery, site)
        _log_decision(delivery, "syndication.accept", acting_user)
    return delivery


def decline_delivery(delivery_id, site, *, acting_user):
    """A site does not show an item (and none of its later revisions); a copy it showed is unpublished."""
    with transaction.atomic():
        delivery = _own_delivery(delivery_id, site)
        delivery.state = Delivery.State.DECLINED
        delivery.decided_by = acting_user.get_username()
        delivery.save()
        sync.take_down(delivery)
        _log_decision(delivery, "syndication.decline", acting_user)
    return delivery


def _log_decision(delivery, action, user):
    """In the copy's history (and so the audit trail) when there is a copy; the row keeps who decided anyway."""
    page = ReprintPage.objects.filter(distribution_id=delivery.distribution_id).first()
    if page is not None:
        log(page, action, user=user, data={"source": delivery.distribution.source_name})


def relink_after_restore(site):
    """In `site`'s schema, just restored from a backup: the library's rows about it follow what the schema holds.

    Receiving side: each delivery points at the copy the restored schema has (or none) and is
    applied again from the start, so the worker brings the copies to the library's current
    revision (the library, not the backup, says what was distributed since); a declined item
    stays declined, and a copy of it the backup brought back is taken down. Source side: a
    distributed page that is live again is followed (a new revision for every copy); one the
    backup does not have live is withdrawn and let go of its page id, which the restored
    schema's sequence will give to a new, unrelated page.
    """
    require_schema(site)
    copies = {page.distribution_id: page for page in ReprintPage.objects.all()}
    for delivery in Delivery.objects.filter(site=site).select_related("distribution", "site"):
        copy = copies.get(delivery.distribution_id)
        if delivery.state == Delivery.State.DECLINED:
            if copy is not None and copy.live:
                sync.take_down(delivery)
            Delivery.objects.filter(pk=delivery.pk).update(page_id=None)
        else:
            Delivery.objects.filter(pk=delivery.pk).update(page_id=copy.pk if copy else None, applied_revision=0)
    live = {page.pk: page for page in Page.objects.live().filter(
        pk__in=Distribution.objects.filter(source_site=site).values_list("source_page_id", flat=True)).specific()}
    for distribution in Distribution.objects.filter(source_site=site):
        page = live.get(distribution.source_page_id)
        if page is not None and content.is_distributable(page):
            follow_source(page, site)
        else:
            Distribution.objects.filter(pk=distribution.pk).update(
                status=Distribution.Status.WITHDRAWN, revision=F("revision") + 1, source_page_id=-distribution.pk)
    sync.notify()
