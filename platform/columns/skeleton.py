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
    description: str = ""


SITE_NAME_PLACEHOLDER = "{site}"
SHORT_NAME_PLACEHOLDER = "{short}"

STANDARD_COLUMNS = (
    Column(
        "信息公开", "xxgk", ColumnType.DISCLOSURE,
        (
            Column("政府信息公开指南", "gkzn", ColumnType.GUIDE, page_type="disclosure.GuidePage"),
            Column("政府信息公开制度", "gkzd", ColumnType.RULES, page_type="disclosure.RulesPage"),
            # The items 政府信息公开条例 Art. 20 makes public, as the national guidelines group them
            # (政策文件 has its own column below, with its library).
            Column("法定主动公开内容", "fdzdgknr", ColumnType.DISCLOSURE, (
                Column("机构职能", "jgzn", ColumnType.ORGANISATION,
                       description="第二十条第（二）项：机构设置、职能、办事程序"),
                Column("规划计划", "ghjh", ColumnType.DISCLOSURE,
                       description="第二十条第（三）（四）项：国民经济和社会发展规划、专项规划、区域规划及统计信息"),
                Column("财政信息", "czxx", ColumnType.DISCLOSURE,
                       description="第二十条第（七）（八）（九）项：财政预算、决算，行政事业性收费，政府集中采购"),
                Column("行政执法", "xzzf", ColumnType.DISCLOSURE,
                       description="第二十条第（五）（六）项：行政许可、行政处罚、行政强制的依据、条件、程序和决定"),
                Column("人事信息", "rsxx", ColumnType.DISCLOSURE,
                       description="第二十条第（十五）项：公务员招考的职位、名额、报考条件和录用结果"),
                Column("重点领域信息", "zdly", ColumnType.DISCLOSURE,
                       description="第二十条第（十一）至（十四）项：扶贫、教育、医疗、社会保障、促进就业，"
                                   "突发公共事件应急预案，环境保护、公共卫生、安全生产、食品药品、产品质量监督检查"),
            )),
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
                        description=column.description,
                        is_mandated=True,
                        show_in_menus=True,
                    )
                )
                added.append(column.title)
            add(page, column.children)

    add(home, STANDARD_COLUMNS)
    return added
