"""The site registry (public schema): sites, their domains and levels, counts, folded addresses, the template."""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connection, models
from django.db.models import Q
from django_tenants.models import DomainMixin, TenantMixin

from .. import regions
from ..naming import strip_region_suffix


class SiteStatus(models.TextChoices):
    ACTIVE = "active", "运行中"
    SUSPENDED = "suspended", "已暂停"
    ARCHIVED = "archived", "已归档"
    # A township folded into its county (tenants.actions.folding): its hosts answer 301s, its schema is kept.
    FOLDED = "folded", "已并入"


class SiteLevel(models.TextChoices):
    PROVINCE = regions.PROVINCE, "省级"
    CITY = regions.CITY, "市级"
    COUNTY = regions.COUNTY, "县级"
    TOWNSHIP = regions.TOWNSHIP, "乡镇级"


class GovSite(TenantMixin):
    """One government website: a PostgreSQL schema plus its registry entry.

    Created only by `tenants.actions.provision_site`, which clones the template
    schema; django-tenants' own create-by-migrating path is switched off.
    """

    name = models.CharField("名称", max_length=100, help_text="行政区划名称，例如 锦江区")
    level = models.CharField("级别", max_length=10, choices=SiteLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级站点", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region_code = models.CharField("区划代码", max_length=9, unique=True)
    site_code = models.CharField(
        "网站标识码",
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Z]{10}$", "网站标识码应为 10 位数字或大写字母")],
    )
    status = models.CharField("状态", max_length=10, choices=SiteStatus.choices, default=SiteStatus.ACTIVE)
    # When the status last changed: a backup taken after it holds everything (nothing changes
    # on a suspended or archived site), which is what deleting a site asks for.
    status_changed_at = models.DateTimeField("状态变更时间", null=True, blank=True)
    successor = models.ForeignKey(
        "self", verbose_name="接续站点", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors",
        help_text="归档站点的内容由哪个站点接续；归档页面的提示条链接到它",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    # Schemas are made by cloning the template (tenants.provisioning), never by
    # django-tenants running every migration on save.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = "站点"
        verbose_name_plural = "站点"
        ordering = ["region_code"]

    def __str__(self):
        return f"{self.name}（{self.region_code}）"

    @property
    def display_name(self):
        """The organisation's name as shown on its site: 锦江区人民政府."""
        return f"{self.name}人民政府"

    @property
    def short_name(self):
        """The region name without its administrative suffix, for 走进XX."""
        return strip_region_suffix(self.name)

    @property
    def is_active(self):
        return self.status == SiteStatus.ACTIVE

    @property
    def is_archived(self):
        return self.status == SiteStatus.ARCHIVED

    def primary_domain(self):
        return next((d for d in self.domains.all() if d.is_primary), None)

    def base_url(self):
        domain = self.primary_domain()
        return domain.base_url() if domain else None

    def clean(self):
        try:
            regions.validate_region_code(self.region_code, self.level)
            parent = self.parent
            regions.validate_parent(
                self.level, self.region_code, parent.level if parent else None, parent.region_code if parent else None
            )
            regions.validate_site_code(self.site_code, self.region_code)
        except ValidationError as exc:
            raise ValidationError({"region_code": exc.messages}) from exc


hostname_validator = RegexValidator(
    # RFC 1123 labels, lowercase, at least one dot or the plain word "localhost"-style dev names.
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$",
    "域名格式不正确：只能包含小写字母、数字、连字符和点，例如 jinjiang.chengdu.gov.cn",
)


class Domain(DomainMixin):
    """A host name of a site. The primary one is canonical; aliases answer 301 to it."""

    class Meta:
        verbose_name = "域名"
        verbose_name_plural = "域名"
        constraints = [
            models.UniqueConstraint(fields=["tenant"], condition=Q(is_primary=True), name="one_primary_domain_per_site")
        ]

    def __str__(self):
        return self.domain

    def base_url(self):
        port = settings.PLATFORM_SITE_PORT
        scheme = settings.PLATFORM_SITE_SCHEME
        default_port = {"http": 80, "https": 443}[scheme]
        suffix = "" if port == default_port else f":{port}"
        return f"{scheme}://{self.domain}{suffix}"



class SiteStats(models.Model):
    """A site's size and accounts as last counted (tenants.site_stats), for the console's overview."""

    site = models.OneToOneField(GovSite, on_delete=models.CASCADE, related_name="stats")
    # None when the site's schema could not be read at the last count.
    active_accounts = models.PositiveIntegerField("在用账号", null=True)
    accounts = models.PositiveIntegerField("账号总数", null=True)
    database_bytes = models.BigIntegerField("数据库大小（字节）", default=0)
    media_bytes = models.BigIntegerField("文件大小（字节）", default=0)
    computed_at = models.DateTimeField("统计时间")

    class Meta:
        verbose_name = "站点统计"
        verbose_name_plural = "站点统计"

    def __str__(self):
        return f"{self.site_id} {self.computed_at:%Y-%m-%d %H:%M}"

    @property
    def total_bytes(self):
        return self.database_bytes + self.media_bytes


class FoldedPath(models.Model):
    """Where an address of a folded township's site went: a path on the county's (successor's) site.

    The township's hosts answer 301 with the county's current primary host and this path;
    an address below a recorded one keeps its remainder (a message's reply page under its
    mailbox), and "/" catches whatever else was asked for.
    """

    site = models.ForeignKey(GovSite, on_delete=models.CASCADE, related_name="folded_paths")
    old_path = models.CharField(max_length=600)
    new_path = models.CharField(max_length=600)

    class Meta:
        verbose_name = "并入跳转"
        verbose_name_plural = "并入跳转"
        constraints = [models.UniqueConstraint(fields=["site", "old_path"], name="one_target_per_folded_path")]

    def __str__(self):
        return f"{self.site_id} {self.old_path} → {self.new_path}"


class TemplateSnapshot(models.Model):
    """The DDL and seed data of the template schema, captured once per migration state.

    Provisioning replays it into a new schema in one transaction, which keeps the
    cost of a new site flat however many sites exist (no catalog walk per clone).
    """

    fingerprint = models.CharField(max_length=64, unique=True)
    # Statements run before the template's rows are copied (sequences, tables) and after (constraints, indexes).
    create_statements = models.JSONField(default=list)
    post_data_statements = models.JSONField(default=list)
    # [[table, [columns]], ...]: tables whose rows are copied from the template schema.
    data_tables = models.JSONField(default=list)
    # Sequence names whose position is copied from the template.
    sequences = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        get_latest_by = "created_at"

    def __str__(self):
        return f"template {self.fingerprint[:12]} ({self.created_at:%Y-%m-%d %H:%M})"


class SpareSchema(models.Model):
    """A clone of the template made ahead of time, waiting to become a site (provisioning/spares.py)."""

    schema_name = models.CharField(max_length=63, unique=True)
    # The TemplateSnapshot fingerprint it was cloned from: spares of another one are never used.
    fingerprint = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "备用模式"
        verbose_name_plural = "备用模式"

    def __str__(self):
        return f"{self.schema_name} ({self.fingerprint[:12]})"


def sites_below(site, *, statuses=None):
    """Every site under `site` (not itself), a level at a time, each level in region-code order.

    `statuses`: follow only sites in these statuses (a suspended county then hides its
    townships too); None follows every site. At most three levels (province → township).
    """
    found, frontier = [], [site.pk]
    while frontier:
        children = GovSite.objects.filter(parent_id__in=frontier).order_by("region_code")
        if statuses is not None:
            children = children.filter(status__in=statuses)
        children = list(children)
        found.extend(children)
        frontier = [child.pk for child in children]
    return found


def current_site():
    """The GovSite whose schema the connection is in; None in public, the template or a spare schema.

    For code that reacts to a change inside a site (signal handlers): the edge chose the
    schema, this finds its registry row. Looked up each time, not cached: changes are rare
    next to reads, and a cached site would outlive a renamed domain or a rolled-back provisioning.
    """
    return GovSite.objects.prefetch_related("domains").filter(schema_name=connection.schema_name).first()


class WrongSchema(RuntimeError):
    """A service was handed one site while the connection is in another site's schema."""


def require_schema(site):
    """For a service handed `site` that also reads the connection's schema: the two must be the same site.

    A caller in the wrong schema would otherwise write schema B's content under site A's name
    (its library rows, indicators, report figures, deliveries). Switch at the edge
    (`schema_context(site.schema_name)` in a command or job), then call.
    """
    if connection.schema_name != site.schema_name:
        raise WrongSchema(
            f"{site} lives in schema {site.schema_name!r}, but the connection is in {connection.schema_name!r}: "
            "switch to the site's schema at the edge before calling"
        )
