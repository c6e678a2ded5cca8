"""Syndication respects privacy: nothing restricted goes down the hierarchy, and what is restricted later comes back.

A page under a view restriction (its own or a section's above it) is for some readers only;
its copies on the sites below would be public to everyone, found by their search too.
"""

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context
from wagtail.models import PageViewRestriction

from columns.models import ArticlePage, ColumnPage
from library.models import Distribution
from search.models import SearchEntry
from syndication import actions, sync
from syndication.models import ReprintPage

TITLE = "全省防汛工作部署会议召开"


def publish(site, slug="fx", column="xwdt", body="<p>会议部署了防汛工作。</p>"):
    with schema_context(site.schema):
        page = ArticlePage(title=TITLE, slug=slug, body=body)
        ColumnPage.objects.get(slug=column).add_child(instance=page)
        page.save_revision().publish()
        return page


def distribute(site, page):
    with schema_context(site.schema):
        return actions.distribute_page(
            page, site.site, levels=["city", "county", "township"], root=site.site,
            acting_user=get_user_model().objects.get(username="admin"),
        )


def restrict(site, page_id):
    with schema_context(site.schema):
        PageViewRestriction.objects.create(page_id=page_id, restriction_type=PageViewRestriction.LOGIN)


@pytest.mark.parametrize("where", ["the page", "its column"])
def test_a_restricted_page_cannot_be_distributed(province, city, where):
    page = publish(province)
    restrict(province, page.pk if where == "the page" else page.get_parent().pk)
    with pytest.raises(actions.SyndicationError, match="访问限制"):
        distribute(province, page)
    assert not Distribution.objects.filter(source_site=province.site).exists()


def test_the_admin_says_why_a_restricted_page_is_not_distributed(province, city):
    page = publish(province)
    restrict(province, page.get_parent().pk)
    client = province.admin_client()
    response = client.post(f"/admin/syndication/distribute/{page.pk}/", {
        "levels": ["city"], "root": province.site.pk,
    })
    assert response.status_code == 200
    assert "设有访问限制" in response.text
    assert not Distribution.objects.filter(source_site=province.site).exists()


@pytest.mark.parametrize("where", ["the page", "the section above it"])
def test_restricting_a_distributed_page_withdraws_every_copy(province, city, county, where):
    page = publish(province)
    distribution = distribute(province, page)
    sync.catch_up_all()
    with schema_context(county.schema):
        copy = ReprintPage.objects.get(distribution_id=distribution.pk)
        assert SearchEntry.objects.filter(title=TITLE).exists()

    restrict(province, page.pk if where == "the page" else page.get_parent().pk)

    distribution.refresh_from_db()
    assert distribution.is_withdrawn
    sync.catch_up_all()
    for site in (city, county):
        with schema_context(site.schema):
            assert not ReprintPage.objects.get(distribution_id=distribution.pk).live
            assert not SearchEntry.objects.filter(title=TITLE).exists(), f"{site.site.name}'s search still finds it"
    assert county.client().get(copy.url_path.removeprefix("/home")).status_code in (404, 410)


def test_publishing_a_restricted_page_again_does_not_bring_its_copies_back(province, county):
    page = publish(province)
    distribution = distribute(province, page)
    restrict(province, page.pk)
    with schema_context(province.schema):
        ArticlePage.objects.get(pk=page.pk).save_revision().publish()
    distribution.refresh_from_db()
    assert distribution.is_withdrawn


def test_the_stored_body_carries_no_script(province, county):
    body = ('<p onclick="steal()">会议部署了防汛工作。<script>steal()</script>'
            '<a href="javascript:steal()">详情</a><img src="/media/a.png" onerror="steal()" alt="会场"></p>')
    page = publish(province, body=body)
    distribution = distribute(province, page)
    stored = Distribution.objects.get(pk=distribution.pk).body
    assert "会议部署了防汛工作。" in stored and 'alt="会场"' in stored
    for bad in ("script", "onclick", "onerror", "javascript:"):
        assert bad not in stored
    sync.catch_up_all()
    html = county.client().get(f"/sjxx/d{distribution.pk}/").text
    assert "steal()" not in html
