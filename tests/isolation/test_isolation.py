"""Write in one site, prove another cannot read or use it: pages, admin, users, sessions, media, cache."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django_tenants.utils import schema_context

from tests.factories import ArticleFactory, DocumentFactory


def test_a_page_of_one_site_is_not_served_by_another(city, county):
    with schema_context(county.schema):
        ArticleFactory(title="锦江区独有的新闻", slug="only-jinjiang")
    assert "锦江区独有的新闻" in county.client().get("/xwdt/only-jinjiang/").content.decode()
    assert city.client().get("/xwdt/only-jinjiang/").status_code == 404
    assert "锦江区独有的新闻" not in city.client().get("/").content.decode()


def test_site_admin_credentials_work_only_on_their_own_site(city, county):
    assert county.client().post("/admin/login/", {"username": "admin", "password": county.password}).status_code == 302
    response = city.client().post("/admin/login/", {"username": "admin", "password": county.password})
    assert response.status_code == 200, "the county's password must not open the city's admin"
    assert "_auth_user_id" not in response.wsgi_request.session


def test_a_session_of_one_site_is_worthless_on_another(city, county):
    client = county.admin_client()
    assert client.get("/admin/").status_code == 200
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    stolen = city.client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = session_cookie
    response = stolen.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_page_id_of_one_site_is_404_in_another_sites_admin(city, county):
    with schema_context(county.schema):
        page_id = ArticleFactory(title="锦江区后台页面", slug="admin-only").pk
    assert county.admin_client().get(f"/admin/pages/{page_id}/edit/").status_code == 200
    with schema_context(city.schema):
        from wagtail.models import Page

        assert not Page.objects.filter(pk=page_id, title="锦江区后台页面").exists()
    response = city.admin_client().get(f"/admin/pages/{page_id}/edit/")
    assert response.status_code in (302, 404)
    assert "锦江区后台页面" not in response.content.decode()


def test_users_exist_only_in_their_site(city, county):
    from django.contrib.auth import get_user_model

    with schema_context(county.schema):
        get_user_model().objects.create_user("zhang.wei", password="x-county-only-123")
    with schema_context(city.schema):
        assert not get_user_model().objects.filter(username="zhang.wei").exists()
    assert not get_user_model().objects.filter(username="zhang.wei").exists(), "nor among platform staff"


def test_media_files_are_stored_and_served_per_site(city, county):
    with schema_context(county.schema):
        name = default_storage.save("images/notice.txt", ContentFile("锦江区的附件".encode()))
        path = default_storage.path(name)
        url = default_storage.url(name)
    assert f"/{county.schema}/" in path, "files are stored under the site's own folder"
    assert url == f"/media/{name}", "URLs carry no schema: they only mean something on the site's own host"
    response = county.client().get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "锦江区的附件"
    assert city.client().get(url).status_code == 404
    assert city.client().get(f"/media/../{county.schema}/{name}").status_code == 404


def test_images_and_documents_are_per_site(city, county):
    from wagtail.documents.models import Document

    with schema_context(county.schema):
        DocumentFactory(title="锦江区文件", filename="jj.pdf", content=b"x")
    with schema_context(city.schema):
        assert not Document.objects.filter(title="锦江区文件").exists()


@pytest.mark.parametrize("alias", list(settings.CACHES))
def test_cache_entries_are_per_site_on_every_alias(alias, city, county):
    cache = caches[alias]
    with schema_context(county.schema):
        cache.set("greeting", "锦江")
    with schema_context(city.schema):
        assert cache.get("greeting") is None
        cache.set("greeting", "成都")
    with schema_context(county.schema):
        assert cache.get("greeting") == "锦江"
    assert cache.get("greeting") is None, "nor in the public schema"
    for schema in (county.schema, city.schema):
        with schema_context(schema):
            cache.delete("greeting")


def test_wagtail_site_root_paths_cache_does_not_leak_links(city, county):
    """Wagtail caches site root paths; without schema-keyed caches one site's links pointed at another."""
    from wagtail.models import Page, Site

    with schema_context(county.schema):
        article_id = ArticleFactory(title="链接测试", slug="link-test").pk
    for fixture in (county, city, county):
        body = fixture.client().get("/").content.decode()
        assert f'<meta name="SiteDomain" content="{fixture.host}">' in body
    for fixture in (city, county, city):  # each fills the cache in turn
        with schema_context(fixture.schema):
            assert [p.root_url for p in Site.get_site_root_paths()] == [f"http://{fixture.host}"]
    with schema_context(county.schema):
        assert Page.objects.get(pk=article_id).full_url == f"http://{county.host}/xwdt/link-test/"
    assert connection.schema_name == "public"


def test_the_console_is_not_reachable_from_a_site_host(county):
    client = county.admin_client()
    assert client.get("/login/").status_code == 404
    assert client.get("/sites/new/").status_code == 404
