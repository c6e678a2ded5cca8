"""Folding a township's site into its county's (乡镇网站并入县级门户).

The national guidelines say townships should normally not run portals of their own.
`fold_township` moves a township's whole site into a new 专栏 column of its county's
site, in one transaction. The registry's part is here: the checks, the locks, the old
addresses (FoldedPath: the township's hosts answer 301 to where each went, anything
unknown to the 专栏 column), the township's status (folded; its schema is kept as the
record of what was folded) and the audit. The content is moved by the apps that own it,
answering tenants.signals.site_folding (columns: pages, images, documents and their view
restrictions; interaction, through columns: messages and feedback with their tracking
codes), then site_folded (search indexes the new column, the library forgets the
township). Each records what it did in the `Fold` they all share.

The township's accounts stay in its schema: the county's editors now run the column.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from .. import audit
from ..models import AuditAction, FoldedPath, GovSite, SiteLevel, SiteStatus
from ..signals import site_folded, site_folding
from .base import SiteActionError, lock_site, no_progress, require_public_schema, routing_changed, site_operation


@dataclass
class Fold:
    """What a fold did, filled in by the apps that move the township's content (tenants.signals)."""

    township: GovSite
    county: GovSite
    column_url: str = ""  # the county's new 专栏 column, absolute
    column_page_id: int | None = None  # its page id in the county's schema
    page_ids: dict = field(default_factory=dict)  # old page id (township) -> new page id (county)
    # Rows copied with their pages, by model label: {"interaction.consultationquestion": {old id: new id}}.
    row_ids: dict = field(default_factory=dict)
    paths: dict = field(default_factory=dict)  # old path on the township's host -> new path on the county's
    counts: dict = field(default_factory=dict)  # {"pages": n, "images": n, "documents": n, "messages": n}
    written_files: list = field(default_factory=list)  # absolute paths, removed if the fold fails
    missing_files: list = field(default_factory=list)  # files the township's rows name but its folder lacks

    @property
    def redirects(self):
        return len(self.paths)

    def count(self, what):
        return self.counts.get(what, 0)


def check_foldable(township):
    """The county a township would fold into; SiteActionError if it cannot be folded now."""
    if township.level != SiteLevel.TOWNSHIP:
        raise SiteActionError(
            f"只有乡镇（街道）站点可以并入县级站点；“{township.name}”是{township.get_level_display()}站点"
        )
    if township.status not in (SiteStatus.ACTIVE, SiteStatus.SUSPENDED):
        raise SiteActionError(f"站点“{township.name}”当前{township.get_status_display()}，不能并入")
    county = township.parent
    if county is None or county.level != SiteLevel.COUNTY:
        raise SiteActionError(f"站点“{township.name}”没有上级县级站点，无处并入")
    if county.status != SiteStatus.ACTIVE:
        raise SiteActionError(
            f"上级站点“{county.name}”当前{county.get_status_display()}，不能接收并入的内容：请先恢复它的运行"
        )
    return county


def fold_township(township, *, acting_user, source="", progress=no_progress):
    """Fold `township` into its county (see the module docstring). Returns the Fold."""
    require_public_schema()
    county = check_foldable(township)
    fold = Fold(township=township, county=county)
    progress(f"把栏目、文章、图片、附件和留言移入“{county.name}”（在一个事务中完成，之前两站保持原样）")
    try:
        with site_operation(township, "并入"), site_operation(county, "接收并入"), transaction.atomic():
            township, county = lock_site(township), lock_site(county)
            check_foldable(township)
            fold.township, fold.county = township, county
            site_folding.send(sender=GovSite, township=township, county=county, fold=fold)
            if fold.column_page_id is None:
                raise RuntimeError("no app answered site_folding with the county's new column (is columns installed?)")
            site_folded.send(sender=GovSite, township=township, county=county, fold=fold)
            FoldedPath.objects.bulk_create(
                FoldedPath(site=township, old_path=old, new_path=new) for old, new in fold.paths.items()
            )
            township.status = SiteStatus.FOLDED
            township.successor = county
            township.status_changed_at = timezone.now()
            township.save(update_fields=["status", "successor", "status_changed_at", "updated_at"])
            audit.record(
                AuditAction.FOLD_TOWNSHIP, acting_user=acting_user, site=township, source=source,
                county=county.region_code, column_url=fold.column_url, **fold.counts, redirects=fold.redirects,
                missing_files=fold.missing_files[:50],
            )
            audit.record(AuditAction.RECEIVE_TOWNSHIP, acting_user=acting_user, site=county, source=source,
                         township=township.region_code, column_url=fold.column_url, pages=fold.count("pages"))
            routing_changed(township)
            routing_changed(county)
    except BaseException:
        for path in fold.written_files:
            Path(path).unlink(missing_ok=True)
        raise
    finally:
        connection.set_schema_to_public()
    return fold
