"""Demo content: dozens of published articles per site, different for every site.

Titles and texts are built from templates with the site's own names, in a mix and
order chosen per site (seeded by its region code), with publication times spread
over the last months, so lists, pagination and search have something real to show.
Used by `setup_demo` (policies and service guides come from their own apps' demo modules).
"""

import random
from datetime import timedelta

from django.utils import timezone

from .models import ArticlePage, ColumnPage, SiteSettings

NEWS_TEMPLATES = [
    ("{short}召开优化营商环境推进会", "会议通报了{short}营商环境评价结果，部署下一阶段“放管服”改革重点任务。"),
    ("{short}启动“一网通办”便民服务月活动", "活动期间，{short}政务服务中心延长办理时间，推出一批“跨省通办”事项。"),
    ("{short}部署防汛减灾工作", "会议要求各部门压实责任，做好汛期值班值守和隐患排查。"),
    ("{short}举办就业援助专场招聘会", "本次招聘会共有 60 余家企业参会，提供岗位 1200 余个。"),
    ("{short}推进城乡社区治理工作", "围绕老旧小区改造、社区服务提升等重点，{short}出台多项举措。"),
    ("{short}召开常务会议研究部署重点工作", "会议研究了民生实事项目推进、安全生产、生态环境保护等工作。"),
    ("{short}开展安全生产隐患大排查大整治", "各部门分行业领域开展排查，建立问题清单、整改清单和责任清单。"),
    ("{short}加快推进重点项目建设", "一季度{short}重点项目完成投资同比增长，一批项目开工建设。"),
    ("{short}举行乡村振兴工作推进会", "会议强调要巩固拓展脱贫攻坚成果，全面推进乡村振兴。"),
    ("{short}开展“政务服务进社区”活动", "工作人员走进社区，为群众现场办理社保、医保、户籍等事项。"),
    ("{short}召开生态环境保护工作会议", "会议部署大气、水、土壤污染防治重点任务。"),
    ("{short}推进老旧小区改造惠民生", "今年计划改造老旧小区 30 余个，惠及居民数千户。"),
    ("{short}举办文化惠民演出活动", "系列演出走进基层，丰富群众精神文化生活。"),
    ("{short}召开教育工作会议", "会议总结了上一年度教育工作，部署推进教育高质量发展。"),
    ("{short}开展食品安全专项检查", "检查覆盖校园周边、农贸市场和餐饮单位。"),
    ("{short}推进数字政府建设", "依托全省一体化政务服务平台，{short}更多事项实现“掌上办”。"),
    ("{short}召开消防安全工作部署会", "会议要求做好重点场所消防安全隐患排查整治。"),
    ("{short}举行重大项目集中签约仪式", "此次集中签约项目涵盖先进制造、现代服务等领域。"),
]
NOTICE_TEMPLATES = [
    ("关于{short}公开招聘事业单位工作人员的公告", "根据有关规定，{site}决定公开招聘事业单位工作人员。"),
    ("{short}关于开展安全生产大检查的通知",
     "各乡镇（街道）、各部门：为切实做好安全生产工作，现就开展大检查有关事项通知如下。"),
    ("关于{short}节假日期间政务服务安排的公告",
     "节假日期间，{short}政务服务中心窗口实行轮休值班，急需事项可预约办理。"),
    ("{short}关于征集民生实事项目建议的公告", "为广泛听取群众意见，现面向社会公开征集民生实事项目建议。"),
    ("关于{short}城区部分路段临时交通管制的通告", "因道路施工需要，{short}城区部分路段将实行临时交通管制。"),
    ("{short}关于做好冬季供暖保障工作的通知", "各有关单位要做好冬季供暖设施检修和应急保障工作。"),
    ("关于公布{short}政务服务事项清单的通知", "现将{short}政务服务事项清单予以公布，请遵照执行。"),
    ("{short}关于开展爱国卫生运动的通知", "为进一步改善城乡环境卫生面貌，现就开展爱国卫生运动有关事项通知如下。"),
    ("关于{short}停水停电检修的公告", "因设备检修，部分区域将于近期临时停水停电，请提前做好准备。"),
    ("{short}关于规范涉企收费行为的通知", "各部门要严格执行收费目录清单，切实减轻企业负担。"),
]


def add_demo_articles(site, *, news=16, notices=8, seed=None):
    """Publish news and notices on the current site (the caller switches schema). Returns the count."""
    # Not security-relevant: a stable per-site choice so each demo site looks different.
    rng = random.Random(seed if seed is not None else site.region_code)  # noqa: S311
    now = timezone.now()
    made = 0
    for slug, templates, count, source in (
        ("xwdt", NEWS_TEMPLATES, news, f"{site.short_name}融媒体中心"),
        ("tzgg", NOTICE_TEMPLATES, notices, f"{site.display_name}办公室"),
    ):
        column = ColumnPage.objects.get(slug=slug)
        chosen = rng.sample(templates, min(count, len(templates)))
        for index, (title, lead) in enumerate(chosen):
            values = {"short": site.short_name, "site": site.display_name}
            article = ArticlePage(
                title=title.format(**values),
                slug=f"{slug}-{index + 1}",
                source=source,
                summary=lead.format(**values),
                is_headline=slug == "xwdt" and index < 3,
                # Publication times spread over the last four months, newest first in lists.
                first_published_at=now - timedelta(days=rng.randint(0, 120), hours=rng.randint(0, 23)),
                body=f"<p>{lead.format(**values)}</p><p>下一步，{values['short']}将持续抓好各项工作落实。</p>",
            )
            column.add_child(instance=article)
            article.save_revision().publish()
            made += 1
    return made


# One or two items for each column of 法定主动公开内容 (skeleton), by the column's slug.
CATALOGUE_TEMPLATES = {
    "jgzn": [("{site}主要职责", "{site}贯彻落实党中央、国务院和省委、省政府决策部署，依法履行经济调节、市场监管、"
                                 "社会管理、公共服务、生态环境保护等职责。")],
    "ghjh": [("{short}国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要",
              "纲要明确了{short}发展的主要目标和重点任务。"),
             ("{short}2025年国民经济和社会发展统计公报", "2025年，{short}经济运行总体平稳、稳中有进。")],
    "czxx": [("{site}2025年部门预算", "现将{site}2025年部门预算公开如下，包括收支总表、“三公”经费预算等。"),
             ("{site}2024年部门决算", "现将{site}2024年部门决算公开如下。")],
    "xzzf": [("{short}2025年行政许可事项清单", "根据有关规定，现将{short}行政许可事项清单予以公布。"),
             ("{short}行政处罚决定公示", "依据《中华人民共和国行政处罚法》，现将近期作出的行政处罚决定予以公示。")],
    "rsxx": [("{short}2025年考试录用公务员公告",
              "根据公务员录用有关规定，{short}2025年考试录用公务员，现将有关事项公告如下。")],
    "zdly": [("{short}2025年义务教育阶段招生入学工作方案", "为做好义务教育阶段招生入学工作，制定本方案。"),
             ("{short}突发事件总体应急预案", "为提高应对突发事件的能力，保障公众生命财产安全，制定本预案。")],
}


def add_demo_disclosure_catalogue(site):
    """The 政府信息公开工作机构 in 站点设置, and items in the 法定主动公开内容 columns, where the site has none."""
    settings = SiteSettings.here()
    if settings is not None and not settings.disclosure_office:
        settings.disclosure_office = f"{site.display_name}办公室"
        settings.disclosure_address = f"{site.short_name}人民政府政务服务中心一楼政府信息公开受理窗口"
        settings.disclosure_hours = "工作日 9:00—12:00，13:30—17:30"
        settings.disclosure_phone = settings.disclosure_phone or "028-12345678"
        settings.save()
    values = {"short": site.short_name, "site": site.display_name}
    now = timezone.now()
    for slug, templates in CATALOGUE_TEMPLATES.items():
        column = ColumnPage.objects.filter(slug=slug).first()
        if column is None or column.get_children().exists():
            continue
        for index, (title, text) in enumerate(templates):
            item = ArticlePage(title=title.format(**values), slug=f"{slug}-{index + 1}", source=values["site"],
                               summary=text.format(**values), body=f"<p>{text.format(**values)}</p>",
                               first_published_at=now - timedelta(days=30 * (index + 1)))
            column.add_child(instance=item)
            item.save_revision().publish()
