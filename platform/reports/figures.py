"""The figures of the 政府网站工作年度报表, and those of them the platform can count itself.

The form's sections follow the national template (信息发布, 专栏专题, 解读回应, 办事服务, 互动交流,
安全防护, 移动新媒体, 创新发展, with the site's visits first). Each figure is either counted
from the site's data by `compute` (`computed=True`, its `source` says how) or left empty for
the editor to fill in (`computed=False`): unique visitors (the platform counts views without
identifying anyone), 办件量, online interviews, security assessments and the site's
social-media accounts are things the platform does not know, and it never guesses them.

`compute(year, site)` runs in the site's schema (the caller switched to it) and counts the
calendar year in the platform's time zone (settings.TIME_ZONE, Asia/Shanghai): an item
published at 2025-12-31 23:30 Beijing time belongs to 2025. It counts what is live when it
runs: a page published in the year and withdrawn since is not counted.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Page

from analytics.counting import fold
from analytics.models import SiteViewDay
from columns.models import ArticlePage, ColumnPage, ColumnType
from interaction.models import ConsultationPage, Feedback, Message
from interaction.models.messages import ANSWERED_STATUSES, OPEN_STATUSES
from monitoring.models import ProbeDay
from policies.choices import InterpretationKind
from policies.models import PolicyDocumentPage, PolicyInterpretationPage
from services.models import ServiceGuidePage
from tenants.models import SiteBackup, require_schema

# The national form exists since the 2017 guidelines (国办发〔2017〕47号).
FIRST_YEAR = 2017

COUNT, DECIMAL, FLAG, TEXT = "count", "decimal", "flag", "text"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    kind: str = COUNT
    unit: str = ""
    computed: bool = False
    source: str = ""  # how the platform counts it (computed figures), shown to editors and in the docs

    @property
    def required(self):
        """Numbers and yes/no answers must be filled before publishing; names of accounts may be left empty."""
        return self.kind != TEXT


def entered(key, label, kind=COUNT, unit=""):
    """A figure the platform cannot know: the editor fills it in."""
    return Figure(key, label, kind, unit)


def counted(key, label, kind, unit, source):
    """A figure `compute` counts from the platform's data."""
    return Figure(key, label, kind, unit, computed=True, source=source)


SECTIONS = (
    ("网站访问", (
        entered("visitors", "独立用户访问总量", COUNT, "个"),
        counted(
            "visits", "网站总访问量", COUNT, "次",
            "平台服务器端计数的页面访问次数（不使用 Cookie，不计拒绝跟踪的浏览器和不执行脚本的访问，"
            "计数开始前的访问未计入）",
        ),
    )),
    ("信息发布", (
        counted(
            "info_total", "信息发布总数", COUNT, "条",
            "本年度首次发布、目前仍在线的文章、政策文件、政策解读、办事指南和征集调查",
        ),
        counted("info_about", "概况类信息更新量", COUNT, "条", "概况信息、机构职能栏目中本年度发布的信息"),
        counted("info_news", "政务动态信息更新量", COUNT, "条", "新闻动态类栏目中本年度发布的文章"),
        counted("info_notice", "通知公告更新量", COUNT, "条", "通知公告类栏目中本年度发布的文章"),
        counted(
            "info_disclosure", "信息公开目录信息更新量", COUNT, "条",
            "政府信息公开栏目（含其下各栏目）中本年度发布的信息",
        ),
        counted("info_policy", "政策文件发布量", COUNT, "件", "本年度发布的政策文件"),
        counted("info_service_guides", "办事指南发布量", COUNT, "项", "本年度发布的办事指南"),
    )),
    ("专栏专题", (
        counted("columns_total", "栏目总数", COUNT, "个", "年底在线的栏目（含领导信箱、政策文件库）"),
        counted("topics_maintained", "专栏专题维护数量", COUNT, "个", "年底在线的专题专栏类栏目"),
        counted("topics_new", "专栏专题新开设数量", COUNT, "个", "本年度新开设的专题专栏类栏目"),
    )),
    ("解读回应", (
        counted("interpretations_total", "解读信息发布总数", COUNT, "条", "本年度发布的政策解读"),
        counted("interpretations_text", "其中：文字解读", COUNT, "条", "解读形式为文字解读"),
        counted("interpretations_graphic", "其中：图文解读", COUNT, "条", "解读形式为图文解读"),
        counted("interpretations_video", "其中：视频解读", COUNT, "条", "解读形式为视频解读"),
        entered("responses", "回应公众关注热点或重大舆情数量", COUNT, "次"),
    )),
    ("办事服务", (
        entered("service_catalogue", "是否发布服务事项目录", FLAG),
        entered("registered_users", "注册用户数", DECIMAL, "万"),
        counted("service_items", "政务服务事项数量", COUNT, "项", "年底在线的办事指南"),
        counted("service_items_online", "其中：提供网上办理入口的事项", COUNT, "项", "填写了网上办理地址的办事指南"),
        entered("cases_total", "办件量", DECIMAL, "万件"),
    )),
    ("互动交流", (
        counted("messages_received", "收到留言数量", COUNT, "条", "本年度收到的有效留言（不含无效留言和网民纠错）"),
        counted("messages_answered", "办结留言数量", COUNT, "条", "本年度收到且已答复或办结的有效留言"),
        counted(
            "reply_days_average", "留言平均办理时间", DECIMAL, "个工作日",
            "以上已答复留言从收到到答复的工作日数的平均值",
        ),
        counted("messages_public", "公开答复数量", COUNT, "条", "以上留言中公开答复的数量"),
        # The wording of the national 监管年度报表's 网民留言办理 rows, for the site's own 纠错 entry.
        counted(
            "error_reports_received", "网民找错：收到留言数量", COUNT, "条",
            "本年度通过各页面“纠错”收到的有效纠错信息（不含无效）",
        ),
        counted(
            "error_reports_on_time", "其中：按期办结数量", COUNT, "条",
            "以上纠错信息在处理期限（工作日）内答复的",
        ),
        counted(
            "error_reports_late", "其中：未按期办结数量", COUNT, "条",
            "以上纠错信息超过处理期限才答复的，以及统计时已超期仍未答复的",
        ),
        counted("consultations", "征集调查期数", COUNT, "期", "本年度开始征集的征集调查"),
        counted("consultation_feedback", "收到意见数量", COUNT, "条", "以上征集调查收到的意见"),
        counted("consultations_results", "公布调查结果期数", COUNT, "期", "以上征集调查中已发布意见采纳情况的"),
        entered("interviews", "在线访谈期数", COUNT, "期"),
        entered("interview_questions", "在线访谈网民留言数量", COUNT, "条"),
        entered("interview_answers", "在线访谈答复网民提问数量", COUNT, "条"),
        entered("smart_qa", "是否提供智能问答功能", FLAG),
    )),
    ("安全防护", (
        entered("security_assessments", "安全检测评估次数", COUNT, "次"),
        entered("security_problems", "发现问题数量", COUNT, "个"),
        entered("security_fixed", "问题整改数量", COUNT, "个"),
        counted("probes", "可用性监测次数", COUNT, "次", "平台网站监测本年度对本站的可访问性探测"),
        counted("probe_failures", "其中：未能正常访问", COUNT, "次", "探测超时、网络错误或返回错误状态"),
        counted("backups_verified", "网站备份次数（已校验）", COUNT, "次", "本年度完成并校验的站点备份"),
        entered("monitoring_mechanism", "是否建立安全监测预警机制", FLAG),
        entered("emergency_drill", "是否开展应急演练", FLAG),
        entered("security_owner", "是否明确网站安全责任人", FLAG),
    )),
    ("移动新媒体", (
        entered("has_new_media", "是否有移动新媒体", FLAG),
        entered("weibo_name", "微博名称", TEXT),
        entered("weibo_posts", "微博信息发布量", COUNT, "条"),
        entered("weibo_followers", "微博关注量", COUNT, "个"),
        entered("wechat_name", "微信名称", TEXT),
        entered("wechat_posts", "微信信息发布量", COUNT, "条"),
        entered("wechat_subscribers", "微信订阅数", COUNT, "个"),
        entered("new_media_other", "其他移动新媒体", TEXT),
    )),
    ("创新发展", (
        counted("search_service", "搜索即服务", FLAG, "", "平台为每个网站提供站内、本级及下级、全省搜索"),
        entered("multilingual", "多语言版本", FLAG),
        counted("accessibility", "无障碍浏览", FLAG, "", "平台统一主题符合 WCAG 2.1 AA，提供长者模式"),
        entered("personalised", "千人千网", FLAG),
        entered("innovation_other", "其他创新", TEXT),
    )),
)

FIGURES = {figure.key: figure for _, figures in SECTIONS for figure in figures}
COMPUTED_KEYS = tuple(key for key, figure in FIGURES.items() if figure.computed)
# The figures the province's gathering shows for each site, in this order.
MAIN_KEYS = (
    "info_total", "topics_maintained", "interpretations_total", "service_items",
    "messages_received", "messages_answered", "reply_days_average",
)


class ReportError(Exception):
    """A report cannot be generated; the message says why, for the editor or the operator."""


class ReportYearError(ReportError):
    """A report year the platform cannot produce a report for."""


def check_year(year, today=None, first=FIRST_YEAR):
    """`year` as an int, or ReportYearError saying which years are possible (from `first`, the first
    year of the report's national format).

    The year in progress is allowed (a draft in December, regenerated in January); a future one is not.
    """
    today = today or timezone.localdate()
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ReportYearError(f"年度“{year}”不是有效的年份") from None
    if not first <= year <= today.year:
        raise ReportYearError(f"年度 {year} 超出范围：只能生成 {first} 至 {today.year} 年的年度报告")
    return year


def year_bounds(year):
    """[start, end) of the calendar year in the platform's time zone, as aware datetimes."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def compute(year, site):
    """{key: value} of every computed figure for `year`, counted in the current site schema.

    `site` is the GovSite whose schema the connection is in: the availability probes and
    backups are rows of the public schema, kept per site.
    """
    require_schema(site)
    year = check_year(year)
    start, end = year_bounds(year)
    figures = {}
    figures.update(_information(start, end))
    figures.update(_columns(start, end))
    figures.update(_interpretations(start, end))
    figures.update(_services(end))
    figures.update(_interaction(start, end))
    figures.update(_security(site, start, end))
    figures.update(_visits(site, start, end))
    figures.update({"search_service": True, "accessibility": True})
    return figures


def _information(start, end):
    """Items published in the year by type and by the kind of column they are in (two queries)."""
    items = list(
        Page.objects.live().type(
            ArticlePage, PolicyDocumentPage, PolicyInterpretationPage, ServiceGuidePage, ConsultationPage,
        ).filter(first_published_at__gte=start, first_published_at__lt=end).values_list("path", "content_type__model")
    )
    column_types = dict(ColumnPage.objects.values_list("path", "column_type"))
    disclosure_paths = [path for path, ctype in column_types.items() if ctype == ColumnType.DISCLOSURE]
    steplen = Page.steplen
    figures = dict.fromkeys(
        ("info_about", "info_news", "info_notice", "info_disclosure", "info_policy", "info_service_guides"), 0
    )
    figures["info_total"] = len(items)
    for path, model in items:
        column_type = column_types.get(path[:-steplen])
        if column_type in (ColumnType.ABOUT, ColumnType.ORGANISATION):
            figures["info_about"] += 1
        if model == "articlepage" and column_type == ColumnType.NEWS:
            figures["info_news"] += 1
        if model == "articlepage" and column_type == ColumnType.NOTICE:
            figures["info_notice"] += 1
        if any(path.startswith(column) for column in disclosure_paths):
            figures["info_disclosure"] += 1
        if model == "policydocumentpage":
            figures["info_policy"] += 1
        if model == "serviceguidepage":
            figures["info_service_guides"] += 1
    return figures


def _columns(start, end):
    existing = ColumnPage.objects.live().filter(depth__gt=2, first_published_at__lt=end)
    return existing.aggregate(
        columns_total=Count("pk"),
        topics_maintained=Count("pk", filter=Q(column_type=ColumnType.TOPIC)),
        topics_new=Count("pk", filter=Q(column_type=ColumnType.TOPIC, first_published_at__gte=start)),
    )


def _interpretations(start, end):
    return PolicyInterpretationPage.objects.live().filter(
        first_published_at__gte=start, first_published_at__lt=end
    ).aggregate(
        interpretations_total=Count("pk"),
        interpretations_text=Count("pk", filter=Q(kind=InterpretationKind.TEXT)),
        interpretations_graphic=Count("pk", filter=Q(kind=InterpretationKind.GRAPHIC)),
        interpretations_video=Count("pk", filter=Q(kind=InterpretationKind.VIDEO)),
    )


def _services(end):
    return ServiceGuidePage.objects.live().filter(first_published_at__lt=end).aggregate(
        service_items=Count("pk"), service_items_online=Count("pk", filter=~Q(online_url="")),
    )


def _interaction(start, end):
    received = Message.objects.valid().filter(received_at__gte=start, received_at__lt=end)
    messages = received.letters()
    answered = Q(status__in=ANSWERED_STATUSES, replied_at__isnull=False)
    replied_on = TruncDate("replied_at", tzinfo=ZoneInfo(settings.TIME_ZONE))
    figures = received.error_reports().annotate(replied_on=replied_on).aggregate(
        error_reports_received=Count("pk"),
        error_reports_on_time=Count("pk", filter=answered & Q(replied_on__lte=F("due_date"))),
        error_reports_late=Count("pk", filter=(answered & Q(replied_on__gt=F("due_date"))) | Q(
            status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())),
    )
    figures |= messages.aggregate(
        messages_received=Count("pk"),
        messages_answered=Count("pk", filter=answered),
        reply_days_average=Avg("reply_working_days", filter=answered),
        messages_public=Count("pk", filter=Q(pk__in=Message.objects.public().values("pk"))),
    )
    average = figures["reply_days_average"]
    figures["reply_days_average"] = round(float(average), 1) if average is not None else None
    consultations = list(ConsultationPage.objects.live().filter(opens_at__gte=start, opens_at__lt=end))
    figures["consultations"] = len(consultations)
    figures["consultation_feedback"] = Feedback.objects.filter(consultation__in=consultations).count()
    figures["consultations_results"] = sum(1 for c in consultations if strip_tags(c.feedback_summary).strip())
    return figures


def _security(site, start, end):
    probes = ProbeDay.objects.filter(
        site=site, day__gte=start.date(), day__lt=end.date()
    ).aggregate(probes=Sum("probes"), probe_failures=Sum("failures"))
    return {
        "probes": probes["probes"] or 0,
        "probe_failures": probes["probe_failures"] or 0,
        "backups_verified": SiteBackup.objects.filter(
            site=site, created_at__gte=start, created_at__lt=end, verified_at__isnull=False
        ).count(),
    }


def _visits(site, start, end):
    """Page views the platform counted on the site in the year (analytics: per site and day, in public)."""
    fold([site])  # the views the beacon took and the counters do not hold yet
    views = SiteViewDay.objects.filter(site=site, day__gte=start.date(), day__lt=end.date()).aggregate(n=Sum("views"))
    return {"visits": views["n"] or 0}


def display(figure, value):
    """A figure's value as the report shows it: 是/否 for a flag, empty marked as not filled in."""
    if value is None or value == "":
        return "未填写"
    if figure.kind == FLAG:
        return "是" if value else "否"
    return str(value)
