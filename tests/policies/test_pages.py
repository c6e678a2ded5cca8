"""What a citizen sees on a policy document and an interpretation: metadata, notices, links, meta tags."""

import re
from datetime import date

from django.utils import timezone
from django_tenants.utils import schema_context

from policies.models import PolicyAttachment
from tests.factories import DocumentFactory, PolicyDocumentFactory, PolicyInterpretationFactory


def render(site, page):
    with schema_context(site.schema):
        url = page.url
    response = site.client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def meta(body, name):
    return re.search(rf'<meta name="{name}" content="([^"]*)">', body).group(1)


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_a_policy_shows_its_disclosure_metadata_and_meta_tags(county):
    with schema_context(county.schema):
        page = PolicyDocumentFactory(keywords="营商环境 放管服")
    body = render(county, page)
    for label, value in [
        ("索引号", "11510104MB0000000X/2024-00001"),
        ("主题分类", "国民经济管理、国有资产监管"),
        ("发文机关", "锦江区人民政府"),
        ("发文字号", "锦府发〔2024〕3号"),
        ("成文日期", '<time datetime="2024-03-01">2024-03-01</time>'),
        ("发布日期", '<time datetime="2024-03-05">2024-03-05</time>'),
        ("有效性", "有效"),
        ("关键词", "营商环境 放管服"),
    ]:
        assert f'<th scope="row">{label}</th><td>{value}</td>' in body, label
    assert meta(body, "ColumnName") == "政策文件"
    assert meta(body, "ColumnType") == "政策文件"
    assert meta(body, "ArticleTitle") == page.title
    assert meta(body, "PubDate") == local(page.first_published_at)
    assert meta(body, "ContentSource") == "锦江区人民政府"
    assert "validity-notice" not in body


def test_a_repealed_policy_says_so_at_the_top_and_links_the_current_one(county):
    with schema_context(county.schema):
        current = PolicyDocumentFactory(title="老旧小区改造实施方案（修订）", document_number="锦府发〔2025〕1号")
        old = PolicyDocumentFactory(title="老旧小区改造实施方案", validity="repealed",
                                    validity_changed_date=date(2025, 2, 1), replaced_by=current)
        current_url = current.url
    body = render(county, old)
    notice = body.index("validity-notice")
    assert notice < body.index("<h1>")
    assert "<strong>本文件已于 2025-02-01 废止</strong>，现行文件：" in body
    assert f'现行文件：<a href="{current_url}">老旧小区改造实施方案（修订）</a>' in body
    assert "<td>已废止（2025-02-01 废止）</td>" in body


def test_an_amended_policy_without_a_successor_still_says_so(county):
    with schema_context(county.schema):
        page = PolicyDocumentFactory(validity="amended", validity_changed_date=date(2025, 4, 1))
    assert "<strong>本文件已于 2025-04-01 修订</strong></p>" in render(county, page)


def test_a_policy_lists_its_attachments_and_live_interpretations(county):
    with schema_context(county.schema):
        page = PolicyDocumentFactory()
        PolicyAttachment.objects.create(page=page, document=DocumentFactory(filename="全文.pdf", title="实施意见全文"))
        PolicyInterpretationFactory(policy=page, title="图解营商环境实施意见", kind="graphic")
        PolicyInterpretationFactory(policy=page, title="尚未发布的解读", draft=True)
    body = render(county, page)
    assert "实施意见全文</a>（PDF，" in body
    assert '<h2 id="interpretations-heading">相关解读</h2>' in body
    assert "图解营商环境实施意见</a><span>图文解读</span>" in body
    assert "尚未发布的解读" not in body


def test_an_interpretation_links_back_to_its_policy(county):
    with schema_context(county.schema):
        page = PolicyDocumentFactory()
        explained = PolicyInterpretationFactory(policy=page, kind="video", video_url="https://video.example.com/jd.mp4")
        policy_url = page.url
    body = render(county, explained)
    assert f'解读文件：<a href="{policy_url}">{page.title}</a>（锦府发〔2024〕3号）' in body
    assert '<a href="https://video.example.com/jd.mp4">观看视频解读</a>' in body
    assert meta(body, "ColumnName") == "政策解读"
    assert meta(body, "ColumnType") == "政策解读"
    assert meta(body, "PubDate") == local(explained.first_published_at)
    assert meta(body, "ContentSource") == "锦江区人民政府"
