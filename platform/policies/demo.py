"""Demo content: a site's policy documents and their interpretations.

Eight documents in the 政策文件 library (one repealed and replaced by its revised
successor, one amended) and five interpretations of them, text, graphic and
video. Titles, organs and 发文字号 come from the site's own names, so every
demo site reads as itself. Called per site by the caller, inside its schema.
"""

import io
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from columns.models import ColumnPage

from .choices import InterpretationKind, Topic, Validity
from .models import PolicyDocumentPage, PolicyInterpretationPage, PolicyLibraryPage

# A province is known by a one-character abbreviation that is not its first character.
PROVINCE_ABBREVIATIONS = {"四川": "川"}


@dataclass(frozen=True)
class PolicySpec:
    title: str
    topic: str
    organ: str  # "gov", "office" or a department name such as 财政局
    years_ago: int
    body: str


POLICIES = [
    PolicySpec("{org}关于优化营商环境的实施意见", Topic.ECONOMY, "gov", 0,
               "为深入贯彻国务院《优化营商环境条例》，持续打造市场化、法治化、国际化营商环境，结合{short}实际，提出如下实施意见。"),
    PolicySpec("{org}关于印发《{name}数字政府建设三年行动方案》的通知", Topic.GENERAL, "office", 1,
               "各乡镇（街道）、各部门：《{name}数字政府建设三年行动方案》已经政府同意，现印发给你们，请认真贯彻执行。"),
    PolicySpec("{org}关于进一步做好稳就业工作的通知", Topic.LABOUR, "office", 0,
               "为深入实施就业优先政策，稳定和扩大就业岗位，切实保障重点群体就业，现就有关事项通知如下。"),
    PolicySpec("{org}关于印发《{name}财政专项资金管理办法》的通知", Topic.FINANCE, "财政局", 2,
               "为规范财政专项资金管理，提高资金使用效益，根据《中华人民共和国预算法》等规定，制定本办法。"),
    PolicySpec("{org}关于加强生活垃圾分类管理的实施意见", Topic.CONSTRUCTION_ENVIRONMENT, "gov", 1,
               "为推进生活垃圾减量化、资源化、无害化处理，改善城乡人居环境，提出如下实施意见。"),
    PolicySpec("{org}关于规范校外培训机构办学行为的通知", Topic.SCIENCE_EDUCATION, "教育局", 0,
               "为切实减轻义务教育阶段学生过重作业负担和校外培训负担，现就规范校外培训机构办学行为通知如下。"),
    PolicySpec("{org}关于印发《{name}城镇老旧小区改造实施方案》的通知", Topic.CONSTRUCTION_ENVIRONMENT, "gov", 4,
               "为改善城镇居民居住条件，推动城市更新，制定本实施方案。"),
    PolicySpec("{org}关于印发《{name}城镇老旧小区改造实施方案（修订）》的通知",
               Topic.CONSTRUCTION_ENVIRONMENT, "gov", 0,
               "根据国家和省有关最新要求，对《{name}城镇老旧小区改造实施方案》进行了修订，现将修订后的方案印发给你们。"),
]
AMENDED, REPEALED, SUCCESSOR = 3, 6, 7  # indexes into POLICIES

INTERPRETATIONS = [
    # (title, kind, index of the policy explained, body)
    ("《{site}关于优化营商环境的实施意见》政策解读", InterpretationKind.TEXT, 0,
     "一、出台背景。二、主要内容：实施意见从提升政务服务效能、降低市场主体成本等方面提出了具体举措。三、创新亮点。"),
    ("一图读懂：{name}数字政府建设三年行动方案", InterpretationKind.GRAPHIC, 1,
     "用一张图看懂行动方案的总体目标、重点任务和保障措施。"),
    ("视频解读：{short}稳就业政策“十问十答”", InterpretationKind.VIDEO, 2,
     "人力资源和社会保障部门负责人就稳就业政策的适用对象、申领流程等热点问题作出解答。"),
    ("{name}生活垃圾分类管理政策问答", InterpretationKind.TEXT, 4,
     "问：生活垃圾分为哪几类？答：分为可回收物、有害垃圾、厨余垃圾和其他垃圾四类。"),
    ("图解{name}城镇老旧小区改造实施方案（修订）", InterpretationKind.GRAPHIC, 7,
     "修订后的方案进一步明确了改造内容清单、资金分担机制和居民参与方式。"),
]


def abbreviation(site):
    """The one character 发文字号 start with: 锦 for 锦江区, 川 for 四川省."""
    return PROVINCE_ABBREVIATIONS.get(site.short_name, site.short_name[:1])


def organ_and_prefix(site, organ):
    short = abbreviation(site)
    if organ == "gov":
        return site.display_name, f"{short}府发"
    if organ == "office":
        return f"{site.display_name}办公室", f"{short}府办发"
    if site.level == "township":  # a sub-district has no bureaus: its office issues everything
        return f"{site.name}办事处", f"{short}街办发"
    bureau = organ.replace("局", "厅") if site.level == "province" else organ
    return f"{site.name}{bureau}", f"{short}{organ[:1]}发"


def published_at(day, rng):
    """The moment a document dated `day` appeared on the site: that morning, local time."""
    return timezone.make_aware(datetime.combine(day, time(9, rng.randint(0, 59))))


def graphic(title, rng):
    """A bar-chart picture for a 图文解读 (no text in it: the alt text carries the meaning)."""
    picture = PillowImage.new("RGB", (960, 540), "white")
    draw = ImageDraw.Draw(picture)
    for column in range(6):
        height = rng.randint(120, 440)
        draw.rectangle([80 + column * 140, 500 - height, 180 + column * 140, 500], fill=(140, 14, 21))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, description=f"{title}：重点任务示意图", file=ImageFile(buffer, name="tujie.png")
    )


def add_demo_policies(site, *, seed=None):
    """Publish the demo policies and interpretations on the current site; returns how many pages."""
    # Not security-relevant: a stable per-site choice so each demo site looks different.
    rng = random.Random(seed if seed is not None else site.region_code)  # noqa: S311
    library = PolicyLibraryPage.objects.get(slug="zcwj")
    today = timezone.localdate()
    names = {"short": site.short_name, "site": site.display_name, "name": site.name}
    documents = []
    for number, spec in enumerate(POLICIES, start=1):
        organ, prefix = organ_and_prefix(site, spec.organ)
        day = date(today.year - spec.years_ago, 1, 1) + timedelta(days=rng.randint(0, 300))
        day = min(day, today)
        documents.append(PolicyDocumentPage(
            title=spec.title.format(org=organ, **names),
            slug=f"zcwj-{number}",
            index_number=f"11{site.region_code[:6]}MB0000000X/{day.year}-{rng.randint(1, 999):05d}",
            topic=spec.topic,
            issuing_organ=organ,
            document_number=f"{prefix}〔{day.year}〕{rng.randint(1, 40)}号",
            written_date=day - timedelta(days=rng.randint(2, 10)),
            published_date=day,
            first_published_at=published_at(day, rng),
            keywords=site.short_name,
            body=f"<p>{spec.body.format(**names)}</p>",
        ))
    # The successor exists before the document it replaces points at it.
    for index in [SUCCESSOR, *(i for i in range(len(documents)) if i != SUCCESSOR)]:
        document = documents[index]
        if index == REPEALED:
            document.validity = Validity.REPEALED
            document.validity_changed_date = documents[SUCCESSOR].published_date
            document.replaced_by = documents[SUCCESSOR]
        elif index == AMENDED:
            document.validity = Validity.AMENDED
            document.validity_changed_date = min(document.published_date + timedelta(days=rng.randint(30, 300)), today)
        library.add_child(instance=document)
        document.save_revision().publish()

    column = ColumnPage.objects.get(slug="zcjd")
    for number, (title, kind, policy_index, body) in enumerate(INTERPRETATIONS, start=1):
        policy = documents[policy_index]
        title = title.format(**names)
        interpretation = PolicyInterpretationPage(
            title=title,
            slug=f"zcjd-{number}",
            policy=policy,
            kind=kind,
            body=f"<p>{body.format(**names)}</p>",
            image=graphic(title, rng) if kind == InterpretationKind.GRAPHIC else None,
            video_url=f"https://video.example.com/zcjd/{site.region_code}-{number}.mp4"
            if kind == InterpretationKind.VIDEO else "",
            first_published_at=min(policy.first_published_at + timedelta(days=rng.randint(1, 3)), timezone.now()),
        )
        column.add_child(instance=interpretation)
        interpretation.save_revision().publish()
    return len(documents) + len(INTERPRETATIONS)
