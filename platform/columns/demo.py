"""Demo content: a few published articles per site, different for every site.

Used by `setup_demo`; issue #3 grows it into dozens of articles, policies and guides.
"""

import random
from datetime import timedelta

from django.utils import timezone

from .models import ArticlePage, ColumnPage

NEWS_TEMPLATES = [
    ("{short}召开优化营商环境推进会", "会议通报了{short}一季度营商环境评价结果，部署下一阶段“放管服”改革重点任务。"),
    ("{short}启动“一网通办”便民服务月活动", "活动期间，{short}政务服务中心延长办理时间，推出一批“跨省通办”事项。"),
    ("{short}部署防汛减灾工作", "会议要求各部门压实责任，做好汛期值班值守和隐患排查。"),
    ("{short}举办就业援助专场招聘会", "本次招聘会共有 60 余家企业参会，提供岗位 1200 余个。"),
    ("{short}推进城乡社区治理工作", "围绕老旧小区改造、社区服务提升等重点，{short}出台多项举措。"),
]
NOTICE_TEMPLATES = [
    ("关于{short}2026年公开招聘事业单位工作人员的公告",
     "根据有关规定，{site}决定公开招聘事业单位工作人员。"),
    ("{short}关于开展安全生产大检查的通知",
     "各乡镇（街道）、各部门：为切实做好安全生产工作，现就开展大检查有关事项通知如下。"),
]


def add_demo_articles(site, *, news=3, notices=1, seed=None):
    """Publish a few articles on the current site (the caller switches schema)."""
    # Not security-relevant: a stable per-site choice so each demo site looks different.
    rng = random.Random(seed if seed is not None else site.region_code)  # noqa: S311
    now = timezone.now()
    made = 0
    for slug, templates, count, source in (
        ("xwdt", NEWS_TEMPLATES, news, f"{site.short_name}融媒体中心"),
        ("tzgg", NOTICE_TEMPLATES, notices, f"{site.display_name}办公室"),
    ):
        column = ColumnPage.objects.get(slug=slug)
        for index, (title, lead) in enumerate(rng.sample(templates, min(count, len(templates)))):
            values = {"short": site.short_name, "site": site.display_name}
            article = ArticlePage(
                title=title.format(**values),
                slug=f"{slug}-{index + 1}",
                source=source,
                first_published_at=now - timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 23)),
                body=f"<p>{lead.format(**values)}</p>",
            )
            column.add_child(instance=article)
            article.save_revision().publish()
            made += 1
    return made
