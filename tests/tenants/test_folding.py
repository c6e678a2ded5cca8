"""Folding a township into its county: content, media, messages and every old address follow."""

from io import BytesIO, StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from columns.models import ArticleAttachment, ArticlePage, ColumnPage
from interaction.models import MailboxPage, Message
from library.models import ResourceItem
from search import index
from tenants import actions
from tenants.models import AuditEvent, FoldedPath, GovSite, SiteStatus
from tests.factories import ArticleFactory, DocumentFactory, ImageFactory
from tests.helpers import job_page_once_run


def png():
    buffer = BytesIO()
    PILImage.new("RGB", (40, 30), (10, 120, 60)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def township_content(township):
    """春熙路街道 with linked articles, an image, a document and an answered, published message."""
    picture = png()
    with schema_context(township.schema):
        image = ImageFactory(title="街景", file=ContentFile(picture, name="street.png"))
        document = DocumentFactory(title="办事指南", filename="guide.pdf", content=b"%PDF-1.4 guide")
        target = ArticleFactory(
            title="春熙路街道开展垃圾分类宣传", slug="sorting", first_published_at=timezone.now(),
            body="<p>宣传活动。</p>", revision=False,
        )
        body = (
            f'<p>详见<a linktype="page" id="{target.pk}">垃圾分类</a>和'
            f'<a linktype="document" id="{document.pk}">办事指南</a>。</p>'
            f'<embed embedtype="image" format="fullwidth" id="{image.pk}" alt="街景"/>'
        )
        article = ArticleFactory(
            title="春熙路街道召开社区议事会", slug="council", first_published_at=timezone.now(),
            body=body, feature_image=image, is_headline=True, revision=False,
        )
        ArticleAttachment.objects.create(page=article, document=document, title="议事规则")
        mailbox = MailboxPage.objects.first()
        message = Message.new(
            reply_days=15, password="ABCDEFGH", mailbox=mailbox, category="consult", subject="路灯不亮",
            body="某某路路灯不亮。", allow_public=True,
        )
        message.status = "replied"
        message.reply = "已安排维修。"
        message.replied_at = timezone.now()
        message.is_published = True
        message.save()
        index.rebuild(township.site)
        return {"image": image, "document": document, "article": article, "target": target,
                "message": message, "picture": picture}


def follow(client, response):
    """The address a 301 points to, asked of the host it names."""
    from urllib.parse import urlsplit

    from django.test import Client

    assert response.status_code == 301, response.status_code
    parts = urlsplit(response["Location"])
    return Client(HTTP_HOST=parts.hostname).get(parts.path + (f"?{parts.query}" if parts.query else ""))


def test_folding_moves_the_site_and_every_old_address_answers_301(township, county, township_content):
    result = actions.fold_township(township.site, acting_user=None, source="tests")
    site = GovSite.objects.get(pk=township.site.pk)
    assert site.status == SiteStatus.FOLDED and site.successor == county.site
    assert result.count("pages") >= 12 and result.count("images") == 1 and result.count("documents") == 1
    assert result.count("messages") == 1

    old = township.client()
    column = old.get("/")
    assert column.status_code == 301 and column["Location"].startswith(county.site.base_url() + "/xzzl/")
    assert "春熙路街道专栏" in follow(old, column).content.decode()

    moved = old.get("/xwdt/council/?from=share")
    assert moved["Location"].endswith("/xwdt/council/?from=share")
    page = follow(old, moved)
    assert page.status_code == 200 and "春熙路街道召开社区议事会" in page.content.decode()

    # Media still load: the old file address leads to the same bytes on the county's host.
    picture = follow(old, old.get("/media/" + township_content["image"].file.name))
    assert picture.status_code == 200 and b"".join(picture.streaming_content) == township_content["picture"]
    document = follow(old, old.get(f"/documents/{township_content['document'].pk}/guide.pdf"))
    assert document.status_code == 200

    # A sub-address of a moved page keeps its remainder: the citizen's reply is still found by its code.
    code = township_content["message"].tracking_code
    reply = follow(old, old.get(f"/hdjl/ldxx/replies/{code}/"))
    assert reply.status_code == 200 and "已安排维修" in reply.content.decode()

    unknown = old.get("/no/such/page/")
    assert unknown.status_code == 301 and unknown["Location"] == column["Location"]


def test_links_inside_the_moved_content_point_at_the_copies(township, county, township_content):
    actions.fold_township(township.site, acting_user=None)
    with schema_context(county.schema):
        copy = ArticlePage.objects.get(title="春熙路街道召开社区议事会")
        target = ArticlePage.objects.get(title="春熙路街道开展垃圾分类宣传")
        image = Image.objects.get(title="街景")
        document = Document.objects.get(title="办事指南")
        assert f'linktype="page" id="{target.pk}"' in copy.body
        assert f'linktype="document" id="{document.pk}"' in copy.body
        assert f'id="{image.pk}"' in copy.body
        assert copy.feature_image_id == image.pk
        assert [a.document_id for a in copy.attachments.all()] == [document.pk]
        assert not copy.is_headline, "the county's banner stays the county's"
        assert copy.get_parent().get_parent().title == "春熙路街道专栏"
        assert not ColumnPage.objects.filter(title="新闻动态", is_mandated=True).exclude(
            depth=3).exists(), "the township's standard columns are not mandated in the county"
        assert Message.objects.filter(tracking_code=township_content["message"].tracking_code).exists()


def test_a_private_township_page_stays_private_in_the_county(township, county, township_content):
    from wagtail.models import PageViewRestriction

    with schema_context(township.schema):
        PageViewRestriction.objects.create(
            page=township_content["target"], restriction_type=PageViewRestriction.PASSWORD, password="neibu-2026",
        )
    actions.fold_township(township.site, acting_user=None)
    response = follow(township.client(), township.client().get("/xwdt/sorting/"))
    assert response.status_code == 200
    assert "宣传活动" not in response.content.decode(), "the copy asks for the password like the original"
    assert "password" in response.content.decode().lower()
    assert not ResourceItem.objects.filter(site=county.site, title="春熙路街道开展垃圾分类宣传").exists()


def test_search_and_the_central_library_follow_the_move(township, county, township_content):
    assert ResourceItem.objects.filter(site=township.site, title="春熙路街道召开社区议事会").exists()
    actions.fold_township(township.site, acting_user=None)
    assert not ResourceItem.objects.filter(site=township.site).exists()
    item = ResourceItem.objects.get(site=county.site, title="春熙路街道召开社区议事会")
    assert item.url.startswith(county.site.base_url() + "/xzzl/")
    found = county.client().get("/search/", {"q": "社区议事会"}).content.decode()
    assert "/xzzl/chunxilu/xwdt/council/" in found, "the county's search finds the moved article"
    # A later rebuild of every site's index does not bring the township's rows back.
    call_command("rebuild_search_index", stdout=StringIO(), stderr=StringIO())
    assert not ResourceItem.objects.filter(site=township.site).exists()
    assert ResourceItem.objects.filter(site=county.site, title="春熙路街道召开社区议事会").exists()
    events = set(AuditEvent.objects.filter(site__in=[township.site, county.site]).values_list("action", flat=True))
    assert {"fold_township", "receive_township"} <= events


def test_a_township_cannot_fold_into_a_suspended_county_and_nothing_is_half_done(township, county, township_content):
    actions.suspend_site(county.site, acting_user=None)
    with pytest.raises(actions.SiteActionError, match=r"锦江区.*暂停"):
        actions.fold_township(township.site, acting_user=None)
    site = GovSite.objects.get(pk=township.site.pk)
    assert site.status == SiteStatus.ACTIVE and not FoldedPath.objects.filter(site=site).exists()
    with schema_context(county.schema):
        assert not ColumnPage.objects.filter(slug="xzzl").exists()
    assert township.client().get("/xwdt/council/").status_code == 200


def test_only_a_running_township_folds(county, township):
    with pytest.raises(actions.SiteActionError, match="只有乡镇"):
        actions.fold_township(county.site, acting_user=None)
    actions.archive_site(township.site, acting_user=None)
    with pytest.raises(actions.SiteActionError, match="已归档"):
        actions.fold_township(GovSite.objects.get(pk=township.site.pk), acting_user=None)


def test_folding_from_the_console_needs_confirmation(console_client, township, county):
    pk = township.site.pk
    page = console_client.get(f"/sites/{pk}/fold/")
    assert page.status_code == 200 and "锦江区" in page.content.decode() and "301" in page.content.decode()
    assert GovSite.objects.get(pk=pk).status == SiteStatus.ACTIVE
    done = job_page_once_run(console_client, console_client.post(f"/sites/{pk}/fold/", follow=True))
    assert "已并入" in done
    assert GovSite.objects.get(pk=pk).status == SiteStatus.FOLDED
    # A county cannot be folded: the page says why and offers no button.
    page = console_client.get(f"/sites/{county.site.pk}/fold/").content.decode()
    assert "只有乡镇" in page and "确认并入" not in page
    assert console_client.post(f"/sites/{county.site.pk}/fold/").status_code == 400


def test_items_from_above_stay_with_the_hierarchy_when_a_township_folds(province, county, township):
    """The township's 上级信息 copies are not its content: the county shows its own copy, once."""
    from django.contrib.auth import get_user_model

    from syndication import actions as syndication
    from syndication import sync
    from syndication.models import ReprintPage

    with schema_context(province.schema):
        page = ArticleFactory(title="全省统一部署", slug="tybs", body="<p>统一部署。</p>")
        distribution = syndication.distribute_page(
            page, province.site, levels=["county", "township"], root=province.site,
            acting_user=get_user_model().objects.get(username="admin"))
    sync.catch_up_all()
    actions.fold_township(township.site, acting_user=None, source="tests")
    with schema_context(county.schema):
        assert ReprintPage.objects.filter(distribution_id=distribution.pk).count() == 1
        assert not ColumnPage.objects.filter(title="上级信息", depth__gt=3).exists()


def test_folding_keeps_the_privacy_of_restricted_documents_and_images(township, county):
    from wagtail.models import Collection, CollectionViewRestriction

    with schema_context(township.schema):
        internal = Collection.get_first_root_node().add_child(name="内部资料")
        CollectionViewRestriction.objects.create(collection=internal, restriction_type=CollectionViewRestriction.LOGIN)
        secret = Document.objects.create(title="内部通知", file=ContentFile(b"%PDF-1.4 internal", name="neibu.pdf"),
                                         collection=internal)
        photo = Image.objects.create(title="内部照片", file=ContentFile(png(), name="neibu.png"), collection=internal)
        open_doc = Document.objects.create(title="公开文件", file=ContentFile(b"%PDF-1.4 open", name="gongkai.pdf"))
        old_secret_url = f"/documents/{secret.pk}/neibu.pdf"
    try:
        actions.fold_township(township.site, acting_user=None, source="tests")
        with schema_context(county.schema):
            copied = Document.objects.get(title="内部通知")
            assert copied.collection.get_view_restrictions().exists(), "the copy lost its collection's restriction"
            assert not Document.objects.get(title="公开文件").collection.get_view_restrictions().exists()
            copied_photo = Image.objects.get(title="内部照片")
            new_secret_url, photo_url = copied.url, "/media/" + copied_photo.file.name
        anonymous = county.client()
        response = anonymous.get(new_secret_url)
        assert response.status_code == 302 and "/login" in response["Location"]
        assert anonymous.get(photo_url).status_code == 404
        moved = township.client().get(old_secret_url)
        assert moved.status_code == 301 and moved["Location"].endswith(new_secret_url)
        assert county.admin_client().get(new_secret_url).status_code == 200
    finally:
        with schema_context(county.schema):
            copies = [*Document.objects.filter(title__in=["内部通知", "公开文件"]),
                      *Image.objects.filter(title="内部照片")]
            for item in copies:
                item.file.delete(save=False)
        with schema_context(township.schema):
            for item in (secret, photo, open_doc):
                item.file.delete(save=False)
