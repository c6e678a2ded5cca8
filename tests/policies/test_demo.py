"""The demo policies and interpretations are valid, linked as promised, and render."""

from django_tenants.utils import schema_context

from policies.demo import add_demo_policies
from policies.models import PolicyDocumentPage, PolicyInterpretationPage


def test_demo_policies_and_interpretations(county):
    with schema_context(county.schema):
        assert add_demo_policies(county.site) == 13
        documents = PolicyDocumentPage.objects.live()
        assert documents.count() == 8
        for document in documents:
            document.full_clean()
        assert {d.issuing_organ for d in documents} >= {"锦江区人民政府", "锦江区人民政府办公室", "锦江区财政局"}
        assert all(d.document_number.startswith("锦") for d in documents)
        assert len({d.topic for d in documents}) >= 5
        assert len({d.published_date.year for d in documents}) >= 3

        repealed = documents.get(validity="repealed")
        assert repealed.replaced_by.live and repealed.replaced_by.published_date > repealed.published_date
        assert documents.get(validity="amended").validity_changed_date

        interpretations = PolicyInterpretationPage.objects.live()
        assert sorted(i.kind for i in interpretations) == ["graphic", "graphic", "text", "text", "video"]
        assert all(i.policy.live for i in interpretations)
        assert all(i.image for i in interpretations.filter(kind="graphic"))
        assert interpretations.get(kind="video").video_url
        urls = [page.url for page in [*documents, *interpretations]]
    for url in urls:
        assert county.client().get(url).status_code == 200


def test_demo_policies_are_named_for_their_site(province):
    with schema_context(province.schema):
        add_demo_policies(province.site)
        numbers = list(PolicyDocumentPage.objects.values_list("document_number", flat=True))
        organs = set(PolicyDocumentPage.objects.values_list("issuing_organ", flat=True))
    assert all(number.startswith("川") for number in numbers)
    assert "四川省财政厅" in organs and "四川省人民政府办公室" in organs
