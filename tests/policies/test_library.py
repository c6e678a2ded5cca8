"""The 政策文件库: in the skeleton, listing the site's policies, filters, 文号 search, pagination, hostile input."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from columns.models import ColumnPage, ColumnType
from policies.library import PAGE_SIZE
from policies.models import PolicyLibraryPage
from tests.factories import ColumnFactory, PolicyDocumentFactory


def get(site, **params):
    with schema_context(site.schema):
        url = PolicyLibraryPage.objects.get(slug="zcwj").url
    response = site.client().get(url, params)
    assert response.status_code == 200
    return response


def titles(response):
    return [document.title for document in response.context["page_obj"]]


@pytest.fixture
def documents(county):
    """Four documents spread over years, topics, organs and validity, and a draft that must not show."""
    with schema_context(county.schema):
        PolicyDocumentFactory(title="营商环境意见", document_number="锦府发〔2024〕3号",
                              published_date=date(2024, 3, 5))
        PolicyDocumentFactory(title="垃圾分类意见", document_number="锦府发〔2024〕13号",
                              published_date=date(2024, 6, 1), topic="construction_environment")
        PolicyDocumentFactory(title="专项资金办法", document_number="锦财发〔2023〕5号",
                              published_date=date(2023, 9, 1), issuing_organ="锦江区财政局", topic="finance",
                              validity="amended", validity_changed_date=date(2024, 1, 1))
        PolicyDocumentFactory(title="老旧小区方案", document_number="锦府发〔2021〕8号",
                              published_date=date(2021, 5, 1), validity="repealed",
                              validity_changed_date=date(2024, 6, 1))
        PolicyDocumentFactory(title="未发布的草稿", document_number="锦府发〔2024〕99号", draft=True)


def test_new_sites_get_a_policy_library_at_disclosure_policy_documents(county):
    with schema_context(county.schema):
        page = PolicyLibraryPage.objects.get(slug="zcwj")
        assert page.get_parent().slug == "xxgk"
        assert (page.title, page.column_type) == ("政策文件", ColumnType.POLICY)
        assert page.is_mandated and page.live
        site_admin = get_user_model().objects.get(username="admin")
        assert not page.permissions_for_user(site_admin).can_delete()


def test_lists_every_live_policy_of_the_site_newest_first(county, city, documents):
    with schema_context(county.schema):
        other_column = ColumnFactory(
            parent=ColumnPage.objects.get(slug="xxgk"), title="规范性文件", slug="gfxwj", column_type=ColumnType.POLICY,
            revision=False,
        )
        PolicyDocumentFactory(parent=other_column, title="别处的规范性文件", published_date=date(2022, 1, 1))
    with schema_context(city.schema):
        PolicyDocumentFactory(title="成都市的文件", issuing_organ="成都市人民政府")
    assert titles(get(county)) == ["垃圾分类意见", "营商环境意见", "专项资金办法", "别处的规范性文件", "老旧小区方案"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2024"}, ["垃圾分类意见", "营商环境意见"]),
        ({"topic": "finance"}, ["专项资金办法"]),
        ({"organ": "锦江区财政局"}, ["专项资金办法"]),
        ({"validity": "repealed"}, ["老旧小区方案"]),
        ({"year": "2024", "topic": "economy"}, ["营商环境意见"]),
    ],
)
def test_filters(county, documents, params, expected):
    assert titles(get(county, **params)) == expected


@pytest.mark.parametrize(
    "number",
    ["锦府发〔2024〕3号", "〔2024〕3号", "锦府发[2024]3号", "锦府发（2024）3号", "锦府发【２０２４】 3号", "2024]3号"],
)
def test_document_number_search_matches_any_bracket_spelling_and_parts(county, documents, number):
    assert titles(get(county, number=number)) == ["营商环境意见"]


def test_document_number_search_by_prefix(county, documents):
    assert titles(get(county, number="锦财发")) == ["专项资金办法"]
    assert titles(get(county, number="2024")) == ["垃圾分类意见", "营商环境意见"]


def test_the_form_offers_the_sites_years_and_organs_with_labels(county, documents):
    body = get(county).content.decode()
    for name in ("number", "year", "topic", "organ", "validity"):
        assert f'<label for="id_{name}">' in body
    assert '<option value="2021">2021年</option>' in body
    assert '<option value="锦江区财政局">锦江区财政局</option>' in body
    assert '<th scope="col">发文字号</th>' in body


@pytest.mark.parametrize(
    "params",
    [
        {"year": "99999"},
        {"year": "1999"},
        {"year": "abc"},
        {"topic": "<script>alert(1)</script>"},
        {"organ": "不存在的机关"},
        {"validity": "bogus"},
        {"number": "锦" * 51},
        {"page": "abc", "year": "-1"},
    ],
)
def test_bad_filter_values_are_ignored(county, documents, params):
    response = get(county, **params)
    assert len(titles(response)) == 4
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_pagination(county):
    with schema_context(county.schema):
        for number in range(PAGE_SIZE + 5):
            PolicyDocumentFactory(title=f"文件{number:02d}", document_number=f"锦府发〔2024〕{number}号",
                                  published_date=date(2024, 1, 1 + number))
    first = get(county)
    assert len(titles(first)) == PAGE_SIZE and titles(first)[0] == "文件24"
    assert titles(get(county, page="2")) == ["文件04", "文件03", "文件02", "文件01", "文件00"]
    for bad, expected_page in (("abc", 1), ("", 1), ("1.5", 1), ("999", 2), ("0", 2), ("-3", 2)):
        assert get(county, page=bad).context["page_obj"].number == expected_page, bad
    # Page links keep the filters.
    filtered = get(county, year="2024").content.decode()
    assert 'href="/xxgk/zcwj/?year=2024&amp;page=2"' in filtered
    assert 'aria-current="page"' in filtered
