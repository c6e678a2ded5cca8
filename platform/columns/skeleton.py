"""The standard column skeleton every new site starts with (国办发〔2017〕47号).

Built once in the template schema; new sites get it by cloning. `{short}` is
replaced with the region's short name when a site is provisioned (走进锦江).
"""

from dataclasses import dataclass, field

from django.apps import apps

from .models import ColumnType, HomePage


@dataclass(frozen=True)
class Column:
    title: str
    slug: str
    column_type: str
    children: tuple = field(default=())
    # "app_label.Model" of a ColumnPage subclass: resolved at build time, so the skeleton
    # can use page types of apps that import this module's models.
    page_type: str = "columns.ColumnPage"


SITE_NAME_PLACEHOLDER = "{site}"
SHORT_NAME_PLACEHOLDER = "{short}"

STANDARD_COLUMNS = (
    Column(
        "信息公开", "xxgk", ColumnType.DISCLOSURE,
        (
            Column("政策文件", "zcwj", ColumnType.POLICY, page_type="policies.PolicyLibraryPage"),
            Column("依申请公开", "ysqgk", ColumnType.APPLICATION, page_type="disclosure.ApplicationPage"),
            # Its pages are the yearly reports (reports.DisclosureReportPage), made by generating one.
            Column("政府信息公开年报", "gknb", ColumnType.DISCLOSURE_REPORT),
        ),
    ),
    Column("新闻动态", "xwdt", ColumnType.NEWS),
    Column("通知公告", "tzgg", ColumnType.NOTICE),
    Column("政策解读", "zcjd", ColumnType.INTERPRETATION),
    Column("办事服务", "bsfw", ColumnType.SERVICE),
    Column(
        "互动交流", "hdjl", ColumnType.INTERACTION,
        (
            Column("领导信箱", "ldxx", ColumnType.MAILBOX, page_type="interaction.MailboxPage"),
            Column("征集调查", "zjdc", ColumnType.CONSULTATION),
        ),
    ),
    Column("走进" + SHORT_NAME_PLACEHOLDER, "zjxx", ColumnType.ABOUT),
)


def build_skeleton(root):
    """Create the home page and the standard columns under Wagtail's root page.

    Returns the home page. Runs in the template schema (and in the migrate path
    used by the provisioning benchmark).
    """
    home = root.add_child(instance=HomePage(title=SITE_NAME_PLACEHOLDER, slug="home"))
    ensure_standard_columns(home)
    return home


def ensure_standard_columns(home):
    """Add every standard column `home` lacks (matched by slug under its parent); return the titles added.

    Existing columns are left as the site has them. When the standard gains a column,
    the template gets it at its next refresh and existing sites through
    `for_each_site update_site_standard`.
    """
    added = []

    def add(parent, columns):
        existing = {page.slug: page for page in parent.get_children()}
        for column in columns:
            page = existing.get(column.slug)
            if page is None:
                page_class = apps.get_model(column.page_type)
                page = parent.add_child(
                    instance=page_class(
                        title=column.title,
                        slug=column.slug,
                        column_type=column.column_type,
                        is_mandated=True,
                        show_in_menus=True,
                    )
                )
                added.append(column.title)
            add(page, column.children)

    add(home, STANDARD_COLUMNS)
    return added
