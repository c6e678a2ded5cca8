"""The test factories make what they say: published as Wagtail publishes, drafts, bare rows, media, staff."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context
from wagtail.models import Collection

from columns.models import ArticlePage, ColumnType
from interaction.models import ConsultationQuestion
from library.models import ResourceItem
from search.models import SearchEntry
from tenants import staff_roles
from tests.factories import (
    STAFF_PASSWORD,
    ArticleFactory,
    ColumnFactory,
    ConsultationFactory,
    DocumentFactory,
    ImageFactory,
    PolicyDocumentFactory,
    PolicyInterpretationFactory,
    ServiceGuideFactory,
    StaffFactory,
)

WHEN = datetime(2025, 3, 5, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_page_is_published_through_a_revision_and_the_index_and_library_follow(county):
    with schema_context(county.schema):
        page = ArticleFactory()
        assert page.live and page.live_revision_id and page.first_published_at and page.last_published_at
        assert page.live_revision_id == page.latest_revision_id and not page.has_unpublished_changes
        assert page.get_parent().slug == "xwdt" and page.title == "锦江区召开防汛工作会议"
        assert SearchEntry.objects.filter(key=f"page:{page.pk}").exists()
    assert ResourceItem.objects.filter(site=county.site, source_key=f"page:{page.pk}").exists()


def test_each_page_type_goes_to_its_standard_column_with_unique_slugs(county):
    with schema_context(county.schema):
        made = {
            "xwdt": ArticleFactory(), "zcwj": PolicyDocumentFactory(), "zcjd": PolicyInterpretationFactory(),
            "bsfw": ServiceGuideFactory(), "zjdc": ConsultationFactory(),
        }
        for slug, page in made.items():
            assert page.live and page.get_parent().slug == slug, slug
        assert made["zcjd"].policy.live, "an interpretation gets a published policy of its own"
        assert ColumnFactory().get_parent().specific_class.__name__ == "HomePage"
        first, second = ArticleFactory(), ArticleFactory()
        assert first.slug != second.slug


def test_a_draft_is_not_live_and_keeps_a_revision_saved_without_validation(county):
    with schema_context(county.schema):
        page = ServiceGuideFactory(draft=True, phone="", fees="")
        assert not page.live and page.first_published_at is None
        assert page.latest_revision is not None and page.live_revision is None
        with pytest.raises(ValidationError):
            page.save_revision(clean=False).publish()
    assert not ResourceItem.objects.filter(site=county.site, source_key=f"page:{page.pk}").exists()


def test_without_a_revision_a_page_is_only_its_row(county):
    with schema_context(county.schema):
        page = ArticleFactory(revision=False, first_published_at=WHEN)
        stored = ArticlePage.objects.get(pk=page.pk)
        assert stored.live and stored.first_published_at == WHEN
        assert not stored.revisions.exists() and stored.live_revision is None
        assert not SearchEntry.objects.filter(key=f"page:{page.pk}").exists()
        draft = ColumnFactory(revision=False, draft=True, column_type=ColumnType.NEWS)
        assert not draft.live and not draft.revisions.exists()


class PlantedArticleFactory(ArticleFactory):
    class Params:
        revision = False


def test_a_subclass_may_plant_rows_by_default(county):
    with schema_context(county.schema):
        page = PlantedArticleFactory()
        assert page.live and not page.revisions.exists()
        assert PlantedArticleFactory(revision=True).live_revision_id


def test_a_published_page_keeps_the_first_publication_time_it_was_given(county):
    with schema_context(county.schema):
        page = ArticleFactory(first_published_at=WHEN)
        assert page.live_revision_id and page.first_published_at == WHEN


def test_a_consultations_text_is_draft_text_and_draft_must_be_a_flag(county):
    with schema_context(county.schema):
        page = ConsultationFactory(
            draft_text="<p>第一条 征求意见稿。</p>",
            questions=[ConsultationQuestion(text="是否同意？", kind="choice", choices="同意\n不同意")],
        )
        assert page.live and page.draft == "<p>第一条 征求意见稿。</p>" and page.questions.count() == 1
        assert page.opens_at < page.closes_at
        with pytest.raises(TypeError, match="draft="):
            ConsultationFactory(draft="<p>这是征求意见稿，不是“草稿”开关。</p>")


def test_images_and_documents_go_to_the_root_collection(county):
    with schema_context(county.schema):
        root = Collection.get_first_root_node()
        image = ImageFactory()
        document = DocumentFactory(filename="清单.xls", content=b"table")
        assert image.collection == root and document.collection == root
        assert Collection.objects.count() == 1
        assert document.file.name.endswith(".xls") and document.file.read() == b"table"


def test_staff_with_and_without_a_role(db):
    operator = StaffFactory(username="yunwei-f", role=staff_roles.OPERATOR)
    assert operator.is_staff and operator.check_password(STAFF_PASSWORD)
    assert staff_roles.role_of(operator) == staff_roles.OPERATOR
    assert not StaffFactory().groups.exists()
