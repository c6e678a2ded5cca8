"""Factories for a site's content, and for platform staff: test data that reads like the product.

Page, image and document factories work in the schema the connection is in: call them inside
`with schema_context(site.schema):`. Each page goes under the site's standard column for its
type (news 新闻动态 "xwdt" for articles, the policy library "zcwj", 政策解读 "zcjd", 办事服务
"bsfw", 征集调查 "zjdc"); `parent=` puts it elsewhere.

How a page gets into the tree:

- by default it is published the way Wagtail publishes, through a revision
  (`page.save_revision().publish()`), so page_published fires and the search index, the
  central library and the edge follow; the page returned is read back after publishing
  (live_revision, first_published_at, last_published_at as stored);
- `draft=True`: not live, with a draft revision saved without full validation, as the
  admin's "save draft" does (required fields may be blank);
- `revision=False`: only the page row that `add_child` saves (live unless `draft=True`), no
  revision and no page_published: for tests that plant pages as they need them, e.g. backdated
  with `first_published_at=...`;
- a `first_published_at` given to a page that is then published is kept (Wagtail sets it only
  when it is empty): the page counts as first published then.

StaffFactory makes platform staff accounts (public schema) with an optional console role.
"""

from datetime import date, timedelta

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from columns.models import ArticlePage, ColumnPage, ColumnType, HomePage
from interaction.models import ConsultationPage
from policies.models import PolicyDocumentPage, PolicyInterpretationPage, PolicyLibraryPage
from services.models import ServiceGuidePage


def column(slug):
    """The site's column with this slug (a standard column, or one the test made)."""
    return ColumnPage.objects.get(slug=slug)


def _live(page):
    if not isinstance(page.draft, bool):
        # ConsultationPage has a field named `draft` too (the 征求意见稿): it is `draft_text=` here.
        raise TypeError(f"draft= says whether the page stays unpublished (True or False), not {page.draft!r}")
    return not page.draft


def _save_revision(page, create, extracted, **kwargs):
    if not create:
        return
    if page.live:
        page.save_revision().publish()
        page.refresh_from_db()  # publishing saved a copy made from the revision, not this object
    else:
        page.save_revision(clean=False)


class SitePageFactory(wagtail_factories.PageFactory):
    """A page of the site the connection is in, published through a revision unless told otherwise.

    `draft` and `revision` are Params: a subclass may change their defaults in its own `class Params`.
    """

    class Meta:
        abstract = True
        # The publishing step saves what it needs; a save after it would overwrite the published row.
        skip_postgeneration_save = True

    class Params:
        draft = False
        revision = True

    slug = factory.Sequence(lambda n: f"page-{n}")
    live = factory.LazyAttribute(_live)
    publishing = factory.Maybe("revision", yes_declaration=factory.PostGeneration(_save_revision))


class ColumnFactory(SitePageFactory):
    """A 栏目 under the home page: by default a 专题 (topic) column."""

    class Meta:
        model = ColumnPage

    parent = factory.LazyFunction(lambda: HomePage.objects.get())
    title = "优化营商环境专题"
    slug = factory.Sequence(lambda n: f"column-{n}")
    column_type = ColumnType.TOPIC


class ArticleFactory(SitePageFactory):
    """A news article in 新闻动态."""

    class Meta:
        model = ArticlePage

    parent = factory.LazyFunction(lambda: column("xwdt"))
    title = "锦江区召开防汛工作会议"
    slug = factory.Sequence(lambda n: f"article-{n}")
    body = "<p>会议部署防汛工作。</p>"


class PolicyDocumentFactory(SitePageFactory):
    """A 政策文件 in the policy library, with its disclosure metadata."""

    class Meta:
        model = PolicyDocumentPage

    parent = factory.LazyFunction(lambda: PolicyLibraryPage.objects.get(slug="zcwj"))
    title = "锦江区人民政府关于优化营商环境的实施意见"
    slug = factory.Sequence(lambda n: f"policy-{n}")
    index_number = "11510104MB0000000X/2024-00001"
    topic = "economy"
    issuing_organ = "锦江区人民政府"
    document_number = "锦府发〔2024〕3号"
    written_date = date(2024, 3, 1)
    published_date = date(2024, 3, 5)
    body = "<p>为进一步优化营商环境，结合我区实际，提出如下意见。</p>"


class PolicyInterpretationFactory(SitePageFactory):
    """A 政策解读 in 政策解读 "zcjd", of a policy made for it unless `policy=` names one (or None)."""

    class Meta:
        model = PolicyInterpretationPage

    parent = factory.LazyFunction(lambda: column("zcjd"))
    title = "《关于优化营商环境的实施意见》政策解读"
    slug = factory.Sequence(lambda n: f"interpretation-{n}")
    policy = factory.SubFactory(PolicyDocumentFactory)
    body = "<p>一、制定背景。二、主要内容。三、适用范围。</p>"


# Every element a service guide needs to be published (services.models.ServiceGuidePage.REQUIRED_ELEMENTS).
COMPLETE = {
    "item_name": "个体工商户设立登记",
    "department": "锦江区市场监督管理局",
    "legal_basis": "<p>《促进个体工商户发展条例》</p>",
    "conditions": "<p>有经营能力的自然人</p>",
    "materials": "<ol><li>登记申请书 1 份</li></ol>",
    "process": "<ol><li>申请</li><li>受理</li><li>发照</li></ol>",
    "time_limit": "承诺时限当场办结",
    "fees": "不收费",
    "place_and_hours": "锦江区政务服务中心 1 楼\n周一至周五 9:00—17:30",
    "phone": "028-12345678",
}


class ServiceGuideFactory(SitePageFactory):
    """A complete 办事指南 in 办事服务 (every element of COMPLETE)."""

    class Meta:
        model = ServiceGuidePage

    parent = factory.LazyFunction(lambda: column("bsfw"))
    title = "个体工商户设立登记办事指南"
    slug = factory.Sequence(lambda n: f"guide-{n}")
    item_name = COMPLETE["item_name"]
    department = COMPLETE["department"]
    legal_basis = COMPLETE["legal_basis"]
    conditions = COMPLETE["conditions"]
    materials = COMPLETE["materials"]
    process = COMPLETE["process"]
    time_limit = COMPLETE["time_limit"]
    fees = COMPLETE["fees"]
    place_and_hours = COMPLETE["place_and_hours"]
    phone = COMPLETE["phone"]


class ConsultationFactory(SitePageFactory):
    """A 征集调查 in "zjdc", open since yesterday for a month.

    The page's 征求意见稿 (its field `draft`) is `draft_text=`: `draft=` is whether the page stays
    unpublished, as for every page factory. Questions: `questions=[ConsultationQuestion(...), ...]`.
    """

    class Meta:
        model = ConsultationPage
        rename = {"draft_text": "draft"}

    parent = factory.LazyFunction(lambda: column("zjdc"))
    title = "公园管理办法征求意见"
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    intro = "<p>欢迎提出意见。</p>"
    draft_text = "<p>第一条 公园每日6:00开放。</p>"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyAttribute(lambda page: page.opens_at + timedelta(days=30))


class ImageFactory(wagtail_factories.ImageFactory):
    """An image in the site's root collection (as an upload without a collection chosen)."""

    class Meta:
        model = get_image_model()

    title = "锦江区政务服务中心"
    collection = factory.LazyFunction(Collection.get_first_root_node)


class DocumentFactory(wagtail_factories.DocumentFactory):
    """A document in the site's root collection: a file named `filename` holding `content` (bytes)."""

    class Meta:
        model = get_document_model()

    class Params:
        filename = "zwgk.pdf"
        content = b"%PDF-1.4 test"

    title = "锦江区政务公开指南"
    collection = factory.LazyFunction(Collection.get_first_root_node)
    file = factory.LazyAttribute(lambda document: ContentFile(document.content, name=document.filename))


STAFF_PASSWORD = "staff-pass-1234"


class StaffFactory(factory.django.DjangoModelFactory):
    """A platform staff account (public schema) with `role=`, a console role of tenants.staff_roles, or none."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff-{n}")
    password = STAFF_PASSWORD
    is_staff = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return cls._get_manager(model_class).create_user(*args, **kwargs)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(Group.objects.get(name=extracted))
