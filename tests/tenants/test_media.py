"""A site's files: documents only through Wagtail's document view (privacy, attachment, nosniff, a sandboxing
CSP), images' originals raw only when their collection is open to everyone, Chinese file names end to end."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

Document = get_document_model()
Image = get_image_model()


@pytest.fixture
def files(county):
    """Documents and images made in 锦江区 by a test; their files are removed afterwards."""
    made = []
    yield made
    with schema_context(county.schema):
        for item in made:
            item.file.delete(save=False)


def private_collection(kind=CollectionViewRestriction.LOGIN, password=""):
    collection = Collection.get_first_root_node().add_child(name="内部资料")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type=kind, password=password)
    return collection


def document(files, name="关于做好防汛工作的通知.pdf", collection=None, content=b"%PDF-1.4 notice"):
    doc = Document.objects.create(title=name, file=ContentFile(content, name=name),
                                  collection=collection or Collection.get_first_root_node())
    files.append(doc)
    return doc


def png():
    buffer = BytesIO()
    PILImage.new("RGB", (8, 8), (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_document_is_never_served_as_media(county, files):
    with schema_context(county.schema):
        doc = document(files)
    response = county.client().get("/media/" + doc.file.name)
    assert response.status_code == 404


def test_a_document_comes_as_an_attachment_that_cannot_run_anything(county, files):
    with schema_context(county.schema):
        doc = document(files)
        url = doc.url
    response = county.client().get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 notice"
    assert response["Content-Disposition"].startswith("attachment")
    assert "filename*=UTF-8''%E5%85%B3%E4%BA%8E" in response["Content-Disposition"], "the Chinese name survives"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_a_document_in_a_login_restricted_collection_needs_a_login(county, files):
    with schema_context(county.schema):
        doc = document(files, name="内部通知.pdf", collection=private_collection())
        url, media_url = doc.url, "/media/" + doc.file.name
    anonymous = county.client()
    response = anonymous.get(url)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert anonymous.get(media_url).status_code == 404, "the raw file is no way around the restriction"
    signed_in = county.admin_client()
    assert signed_in.get(url).status_code == 200


def test_a_password_restricted_document_asks_for_the_password(county, files):
    with schema_context(county.schema):
        doc = document(files, name="密码文件.pdf", collection=private_collection(
            CollectionViewRestriction.PASSWORD, password="mima-2026"))
        url = doc.url
    response = county.client().get(url)
    assert response.status_code == 200 and b"%PDF" not in response.content
    assert "password" in response.content.decode()


def test_an_image_original_is_served_raw_only_from_an_open_collection(county, files):
    with schema_context(county.schema):
        public = Image.objects.create(title="公开", file=ContentFile(png(), name="open.png"))
        hidden = Image.objects.create(title="内部", file=ContentFile(png(), name="hidden.png"),
                                      collection=private_collection())
        files.extend([public, hidden])
    client = county.client()
    assert client.get("/media/" + public.file.name).status_code == 200
    assert client.get("/media/" + hidden.file.name).status_code == 404


@pytest.mark.parametrize("path", ["/media/documents/", "/media/..%2fdocuments/x.pdf", "/media/a%00b.png",
                                  "/media/./documents/x.pdf", "/media/images/../documents/x.pdf"])
def test_odd_media_paths_are_not_found_never_an_error(county, path):
    assert county.client().get(path).status_code == 404
