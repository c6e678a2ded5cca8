"""A published service guide shows every element in one table, with the article meta tags."""

import re

from django.utils import timezone
from django_tenants.utils import schema_context

from tests.factories import ServiceGuideFactory


def test_a_guide_shows_every_element_and_its_meta_tags(county):
    with schema_context(county.schema):
        page = ServiceGuideFactory(online_url="https://zwfw.example.com/gtgsh", complaint_phone="12345")
        url = page.url
    response = county.client().get(url)
    assert response.status_code == 200
    body = response.content.decode()
    for label, value in [
        ("事项名称", "个体工商户设立登记"),
        ("实施主体", "锦江区市场监督管理局"),
        ("设定依据", "<p>《促进个体工商户发展条例》</p>"),
        ("申请条件", "<p>有经营能力的自然人</p>"),
        ("办理材料", "<ol><li>登记申请书 1 份</li></ol>"),
        ("办理流程", "<ol><li>申请</li><li>受理</li><li>发照</li></ol>"),
        ("办理时限", "承诺时限当场办结"),
        ("收费标准", "不收费"),
        ("办理地点和时间", "锦江区政务服务中心 1 楼<br>周一至周五 9:00—17:30"),
        ("咨询电话", "028-12345678"),
        ("监督投诉电话", "12345"),
        ("网上办理地址", '<a href="https://zwfw.example.com/gtgsh">https://zwfw.example.com/gtgsh</a>'),
    ]:
        assert f'<th scope="row">{label}</th><td>{value}</td>' in body, label

    def meta(name):
        return re.search(rf'<meta name="{name}" content="([^"]*)">', body).group(1)

    assert (meta("ColumnName"), meta("ColumnType")) == ("办事服务", "办事服务")
    assert meta("ArticleTitle") == "个体工商户设立登记办事指南"
    assert meta("PubDate") == timezone.localtime(page.first_published_at).strftime("%Y-%m-%d %H:%M")
    assert meta("ContentSource") == "锦江区市场监督管理局"


def test_optional_rows_are_left_out_when_empty(county):
    with schema_context(county.schema):
        url = ServiceGuideFactory(department="", online_url="", complaint_phone="").url
    body = county.client().get(url).content.decode()
    assert "实施主体" not in body and "监督投诉电话" not in body and "网上办理地址" not in body
    assert 'content="锦江区人民政府"' in body  # ContentSource falls back to the site's name
