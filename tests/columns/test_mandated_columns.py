"""Site accounts cannot delete, move or unpublish the mandated columns of the standard skeleton."""

from django_tenants.utils import schema_context

from columns.models import ArticlePage, ColumnPage, HomePage


def column_id(site, slug):
    with schema_context(site.schema):
        return ColumnPage.objects.get(slug=slug).pk


def test_site_admin_cannot_delete_move_or_unpublish_a_mandated_column(county):
    client = county.admin_client()
    news = column_id(county, "xwdt")
    notices = column_id(county, "tzgg")
    assert client.post(f"/admin/pages/{news}/delete/").status_code in (302, 403)
    assert client.post(f"/admin/pages/{news}/unpublish/").status_code in (302, 403)
    assert client.post(f"/admin/pages/{news}/move/{notices}/confirm/").status_code in (302, 403)
    with schema_context(county.schema):
        page = ColumnPage.objects.get(pk=news)
        assert page.live and page.get_parent().specific_class is HomePage


def test_the_admin_offers_no_delete_or_unpublish_for_mandated_columns(county):
    news = column_id(county, "xwdt")
    body = county.admin_client().get(f"/admin/pages/{news}/edit/").content.decode()
    assert f"/admin/pages/{news}/delete/" not in body
    assert f"/admin/pages/{news}/unpublish/" not in body


def test_sub_columns_and_articles_stay_fully_editable(county):
    client = county.admin_client()
    with schema_context(county.schema):
        news = ColumnPage.objects.get(slug="xwdt")
        sub = news.add_child(instance=ColumnPage(title="区县动态", slug="qxdt", column_type="news"))
        article = sub.add_child(instance=ArticlePage(title="可删除的文章", slug="deletable"))
    assert client.post(f"/admin/pages/{article.pk}/delete/").status_code == 302
    assert client.post(f"/admin/pages/{sub.pk}/delete/").status_code == 302
    with schema_context(county.schema):
        assert not ColumnPage.objects.filter(pk=sub.pk).exists()
