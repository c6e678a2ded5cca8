"""The national inspection's countable single-item vetoes, computed from a site's own data.

政府网站与政务新媒体检查指标 (2019) fails a site outright on any of these; each indicator
here carries its value, its threshold, whether it fires now, how many days are left before
it would, and the exact items behind it (the drill-down), so an editor can act before the
line. Thresholds are the setting MONITORING_THRESHOLDS, the national values by default.

`compute(site)` runs in the site's schema (the caller switches, at the edge); it reads
pages and messages with a handful of queries per site and changes nothing.
Availability and broken links are read from what the probes (monitoring.probes) and the crawler
(monitoring.crawler) stored in the public schema. Applications for disclosure past their legal
deadline are not an inspection veto but a breach of the 条例: a warning, with the applications.
"""

from dataclasses import asdict, dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.utils import timezone
from wagtail.models import Page

from columns.models import HOME_BLOCK_TYPES, ColumnPage, ColumnType, HomePage, path_on_site
from disclosure.models import Application
from interaction.models import Message
from library.models import PublishedReport, ReportKind, report_due
from policies import backdating
from tenants.models import require_schema
from wording.models import Finding
from wording.models import Kind as WordingKind

from .models import BrokenLink, CrawlRun, ProbeDay, TamperIncident

DEFAULT_THRESHOLDS = {
    "homepage_stale_days": 14,  # no new item on the home page for 2 weeks
    # Columns that must keep being updated, by column type: days allowed without a new item.
    "column_update_days": {"news": 14, "notice": 183, "policy": 183, "interpretation": 183},
    # Veto A: news-type columns silent 2 weeks plus notice/policy columns silent 6 months, this many.
    "stale_key_column_types": ["news", "notice", "policy"],
    "stale_key_columns_veto": 5,
    # Veto B: this many columns that should be updated and are not (every type above).
    "stale_columns_veto": 10,
    "empty_columns_veto": 5,
    "unanswered_message_days": 90,  # a valid message unanswered for more than 3 months
    # Availability: over the last 7 days, this share of probes failing (no page within 15 s) or more.
    "availability_days": 7,
    "availability_failure_percent": 5,
    "availability_min_probes": 20,  # fewer probes than this: not enough to judge yet
    # Broken links (internal and external) found by the latest crawl: flagged from this many.
    "broken_links_flag": 1,
    # Warn (e-mail, banner) when a veto is this many days away or fewer.
    "warning_days": 7,
}


def thresholds():
    return {**DEFAULT_THRESHOLDS, **getattr(settings, "MONITORING_THRESHOLDS", {})}


@dataclass
class Indicator:
    key: str
    label: str
    value: int | None  # None: nothing to measure (no item ever published)
    unit: str
    threshold: int
    vetoed: bool
    days_left: int | None  # days before it fires; 0 when it has; None when it cannot fire soon
    warning: bool = False
    detail: list = field(default_factory=list)  # [{"title", "url", "admin_url", "note"}]
    note: str = ""


def compute(site, now=None):
    """The site's indicators (list of dicts, JSON-ready), in the current (the site's) schema."""
    require_schema(site)
    now = now or timezone.now()
    limits = thresholds()
    home = HomePage.objects.first()
    base = site.base_url() or ""
    indicators = [
        _homepage(home, now, limits, base),
        *_columns(home, now, limits, base),
        _empty_columns(home, limits, base),
        _unanswered_messages(now, limits, base),
    ]
    margin = limits["warning_days"]
    for indicator in indicators:
        indicator.warning = (not indicator.vetoed and indicator.days_left is not None
                             and indicator.days_left <= margin)
    indicators.append(_availability(site, now, limits))
    indicators.append(_broken_links(site, limits))
    indicators.append(_overdue_applications(base, timezone.localdate(now)))
    indicators.append(_disclosure_report(site, timezone.localdate(now)))
    indicators.append(_serious_errors(site, base))
    indicators.append(_tamper(site))
    return [asdict(i) for i in indicators]


def _days(since, now):
    return (now - since).days


def _page_link(page, base):
    return {"title": page.title, "url": base + path_on_site(page.url_path),
            "admin_url": f"{base}/admin/pages/{page.pk}/"}


def _homepage(home, now, limits, base):
    limit = limits["homepage_stale_days"]
    shown = list(ColumnPage.objects.live().descendant_of(home).filter(
        column_type__in=HOME_BLOCK_TYPES, depth__lte=home.depth + 2))
    newest = None
    if shown:
        under = Q()
        for column in shown:
            under |= Q(path__startswith=column.path)
        newest = (Page.objects.live().not_type(ColumnPage).filter(under, first_published_at__isnull=False)
                  .order_by("-first_published_at").first())
    if newest is None:
        return Indicator("homepage", "首页更新", None, "天", limit, True, 0,
                         note="首页栏目从未发布过信息（没有发布时间的信息视为未更新）")
    days = _days(newest.first_published_at, now)
    latest = f"最近一条：{timezone.localtime(newest.first_published_at):%Y-%m-%d %H:%M}"
    return Indicator(
        "homepage", "首页更新", days, "天未更新", limit, days >= limit, max(0, limit - days),
        detail=[{**_page_link(newest, base), "note": latest}],
    )


def _column_status(home, now, limits, base):
    """[(column, days since its newest item or None, allowed days)] of every column that must be updated."""
    periods = limits["column_update_days"]
    # One query for every column: the newest dated live item below each (a subquery per row).
    newest = (Page.objects.live().not_type(ColumnPage)
              .filter(path__startswith=OuterRef("path"), depth__gt=OuterRef("depth"), first_published_at__isnull=False)
              .order_by("-first_published_at").values("first_published_at")[:1])
    columns = (ColumnPage.objects.live().descendant_of(home).filter(column_type__in=list(periods))
               .annotate(newest=Subquery(newest)).order_by("path"))
    return [(column, None if column.newest is None else _days(column.newest, now), periods[column.column_type])
            for column in columns]


def _columns(home, now, limits, base):
    status = _column_status(home, now, limits, base)
    key_types = set(limits["stale_key_column_types"])
    key = [row for row in status if row[0].column_type in key_types]
    return [
        _stale("stale_key_columns", "重点栏目不更新（动态两周、通知公告和政策文件半年）", key,
               limits["stale_key_columns_veto"], base),
        _stale("stale_columns", "应更新栏目不更新", status, limits["stale_columns_veto"], base),
    ]


def _stale(key, label, status, veto_at, base):
    stale, soon = [], []
    for column, days, allowed in status:
        if days is None or days >= allowed:
            note = "从未发布信息" if days is None else f"{days} 天未更新（应 {allowed} 天内更新）"
            stale.append({**_page_link(column, base), "note": note})
        else:
            soon.append(allowed - days)
    soon.sort()
    missing = veto_at - len(stale)
    days_left = 0 if missing <= 0 else (soon[missing - 1] if len(soon) >= missing else None)
    return Indicator(key, label, len(stale), "个栏目", veto_at, missing <= 0, days_left, detail=stale)


def _empty_columns(home, limits, base):
    """Columns with nothing in them: no live item and no live sub-column.

    Not counted: a mailbox (its content is its messages), 依申请公开 (its applications), the 指南 and
    制度 pages (their content is their own text), 政府信息公开年报
    (empty until the first January of a new site; a missing report is flagged on its own) and the
    上级信息 column, whose items the sites above send and withdraw (syndication), not the site.
    """
    veto_at = limits["empty_columns_veto"]
    live_child = Page.objects.live().filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
    not_counted = [ColumnType.MAILBOX, ColumnType.APPLICATION, ColumnType.GUIDE, ColumnType.RULES,
                   ColumnType.DISCLOSURE_REPORT, ColumnType.REPRINT]
    columns = (ColumnPage.objects.live().descendant_of(home).exclude(column_type__in=not_counted)
               .annotate(has_child=Exists(live_child)).filter(has_child=False).order_by("path"))
    empty = [{**_page_link(column, base), "note": "栏目中没有任何信息"} for column in columns]
    return Indicator("empty_columns", "空白栏目", len(empty), "个栏目", veto_at, len(empty) >= veto_at,
                     0 if len(empty) >= veto_at else None, detail=empty)


def _unanswered_messages(now, limits, base):
    """Valid messages waiting more than the limit, or answered only after it within the past year."""


    limit = limits["unanswered_message_days"]
    waiting = Message.objects.open().order_by("received_at")
    late = list(waiting.filter(received_at__lte=now - timedelta(days=limit))[:200])
    answered_late = list(
        Message.objects.answered().filter(replied_at__gte=now - timedelta(days=365))
        .annotate(took=ExpressionWrapper(F("replied_at") - F("received_at"), output_field=DurationField()))
        .filter(took__gt=timedelta(days=limit)).order_by("received_at")[:200]
    )
    detail = [_message_link(m, base, f"{timezone.localtime(m.received_at):%Y-%m-%d} 收到，已 "
                                      f"{_days(m.received_at, now)} 天未答复") for m in late]
    detail += [_message_link(m, base, f"{timezone.localtime(m.received_at):%Y-%m-%d} 收到，"
                                      f"{(m.replied_at - m.received_at).days} 天后才答复") for m in answered_late]
    oldest = waiting.first()
    if detail:
        days_left = 0
    elif oldest is not None:
        days_left = max(0, limit - _days(oldest.received_at, now))
        detail = [_message_link(oldest, base, f"等待最久：{_days(oldest.received_at, now)} 天")]
    else:
        days_left = None
    count = len(late) + len(answered_late)
    return Indicator("unanswered_messages", "群众留言超过三个月未答复", count, "条", 1, count > 0, days_left,
                     detail=detail)


def _message_link(message, base, note):
    return {"title": message.subject, "url": "", "admin_url": f"{base}/admin/messages/{message.pk}/", "note": note}


def _availability(site, now, limits):
    """Share of failed probes over the last days (monitoring.probes); warns at half the limit."""
    since = timezone.localdate(now) - timedelta(days=limits["availability_days"] - 1)
    days = list(ProbeDay.objects.filter(site=site, day__gte=since).order_by("day"))
    probes = sum(d.probes for d in days)
    failures = sum(d.failures for d in days)
    limit = limits["availability_failure_percent"]
    detail = [{"title": f"{d.day:%Y-%m-%d}", "url": "", "admin_url": "",
               "note": f"{d.failures}/{d.probes} 次失败，最慢 {d.slowest_ms / 1000:.1f} 秒"
                       + (f"；最近一次：{d.last_error}" if d.last_error else "")}
              for d in days if d.failures]
    if probes < limits["availability_min_probes"]:
        return Indicator("availability", "网站无法访问（监测失败率）", None, "%", limit, False, None,
                         note=f"最近 {limits['availability_days']} 天只有 {probes} 次监测，不足以判断", detail=detail)
    percent = round(100 * failures / probes, 1)
    indicator = Indicator("availability", "网站无法访问（监测失败率）", percent, "%", limit, percent >= limit,
                          0 if percent >= limit else None, detail=detail,
                          note=f"最近 {limits['availability_days']} 天 {probes} 次监测，{failures} 次失败")
    indicator.warning = not indicator.vetoed and percent >= limit / 2
    return indicator


def _broken_links(site, limits):
    """Links the latest crawl (monitoring.crawler) found broken, with the page each is on."""
    limit = limits["broken_links_flag"]
    run = CrawlRun.objects.filter(site=site).order_by("-finished_at").first()
    if run is None:
        return Indicator("broken_links", "不可用链接", None, "个", limit, False, None, note="尚未检测链接")
    links = list(BrokenLink.objects.filter(site=site).order_by("found_on", "url")[:200])
    detail = [{"title": link.url, "url": link.found_on, "admin_url": "",
               "note": f"{link.error or link.status}（所在页面：{link.found_on or '首页'}）"} for link in links]
    count = run.broken
    checked = f"{timezone.localtime(run.finished_at):%Y-%m-%d %H:%M} 检测 {run.pages} 个页面、{run.checked} 个链接"
    return Indicator("broken_links", "不可用链接", count, "个", limit, count >= limit, 0 if count >= limit else None,
                     detail=detail, note=checked)


def _overdue_applications(base, today):
    """Applications for disclosure past their answer deadline (disclosure.clock): a warning while any is."""
    overdue = list(Application.objects.overdue(today).order_by("due_date")[:200])
    open_count = Application.objects.open().count()
    detail = [{"title": a.info_title, "url": "", "admin_url": f"{base}/admin/disclosure/{a.pk}/",
               "note": f"{a.received_on:%Y-%m-%d} 收到，答复期限 {a.due_date:%Y-%m-%d}，已超期 "
                       f"{-a.working_days_left(today)} 个工作日"} for a in overdue]
    indicator = Indicator("overdue_applications", "依申请公开超期未答复", len(overdue), "件", 1, False, None,
                          detail=detail, note=f"办理中的申请 {open_count} 件")
    indicator.warning = bool(overdue)
    return indicator


def _disclosure_report(site, today):
    """Last year's 政府信息公开工作年度报告 not published by its day (library.report_due): a warning, its
    value the days since. A site opened on the platform after that year ended is not asked: its report
    may be on its former website."""
    year = today.year - 1
    due = report_due(ReportKind.DISCLOSURE, site.level, year)
    published = PublishedReport.objects.filter(site=site, kind=ReportKind.DISCLOSURE, year=year).first()
    opened_after = site.created_at is not None and timezone.localtime(site.created_at).year > year
    if published is not None:
        note = f"{year} 年报告已于 {timezone.localtime(published.published_at):%Y-%m-%d} 发布（期限 {due:%Y-%m-%d}）"
    elif opened_after:
        note = f"本站 {timezone.localtime(site.created_at):%Y-%m-%d} 开通，不要求在本平台发布 {year} 年报告"
    else:
        note = f"{year} 年报告尚未发布，发布期限 {due:%Y-%m-%d}"
    late = (today - due).days if published is None and not opened_after and today > due else 0
    indicator = Indicator("disclosure_report", "政府信息公开年报未按期发布", late, "天", 1, False, None, note=note)
    indicator.warning = late > 0
    return indicator


def _serious_errors(site, base):
    """严重错误 in what the site has published: what the latest 错敏词 scan found (wording.Finding), each
    with the words and the correct form, and back-dated policy documents (倒签, policies.backdating).
    A veto from the first one."""
    serious = Finding.objects.filter(site=site, kind=WordingKind.SERIOUS)
    findings = list(serious.order_by("title", "pk")[:200])
    count = serious.count() if len(findings) == 200 else len(findings)
    detail = [{"title": f.title, "url": base + f.url if f.url else "",
               "admin_url": f"{base}/admin/pages/{f.page_id}/edit/" if f.page_id else f"{base}/admin/wording/",
               "note": f"{f.field}：“{f.found}”应为“{f.correct}”"} for f in findings]
    backdated, backdated_detail = backdating.drill_down(base)
    count += backdated
    detail += backdated_detail
    return Indicator("serious_errors", "严重错误", count, "处", 1, count >= 1, 0 if count else None, detail=detail,
                     note="按全省错敏词表检查已发布的内容（发布时及每日复查），以及发布日期早于实际发布的政策文件（倒签）")


def _tamper(site):
    """网页被篡改未处置 (monitoring.tamper): a veto while any incident is open, whether or not the edge copy
    was restored; an administrator closes it in the console with what was done."""
    incidents = list(TamperIncident.objects.filter(site=site, closed_at__isnull=True).order_by("opened_at")[:200])
    detail = [{"title": i.url, "url": i.url, "admin_url": "",
               "note": f"{timezone.localtime(i.opened_at):%Y-%m-%d %H:%M} 发现，{i.times_seen} 次；"
                       + ("清除缓存后已恢复" if i.restored else "清除缓存后仍不一致")} for i in incidents]
    return Indicator("tamper", "网页被篡改未处置", len(incidents), "起", 1, bool(incidents), 0 if incidents else None,
                     detail=detail, note="公众收到的页面与平台发布的内容比对（每 5 分钟）；事件在控制台处置后解除")
