"""政府信息公开指南 and 政府信息公开制度: standard pages every site opens with, filled from 站点设置."""

from io import StringIO

from django.core.management import call_command
from django_tenants.utils import schema_context

from columns.models import ColumnPage, SiteSettings
from disclosure.models import GuidePage, RulesPage
from monitoring.health import refresh


def test_the_guide_tells_how_to_apply_with_the_offices_contact_from_site_settings(county):
    with schema_context(county.schema):
        settings = SiteSettings.here()
        settings.disclosure_office = "锦江区人民政府办公室政务公开科"
        settings.disclosure_address = "成都市锦江区政务服务中心 3 楼"
        settings.disclosure_postcode = "610021"
        settings.disclosure_hours = "工作日 9:00—12:00"
        settings.disclosure_fax = "028-87000000"
        settings.contact_phone = "028-86000000"  # no office phone: the site's phone is given
        settings.save()
    body = county.client().get("/xxgk/gkzn/").content.decode()
    assert "锦江区人民政府办公室政务公开科" in body and "成都市锦江区政务服务中心 3 楼（邮政编码 610021）" in body
    assert "028-86000000" in body and "传真申请：将申请传真至 028-87000000" in body
    assert 'href="/xxgk/ysqgk/"' in body and 'href="/xxgk/gknb/"' in body
    assert "20 个工作日内予以答复" in body and "3 月 31 日" in body  # a county government's report day
    township = county.client().get("/xxgk/gkzd/").content.decode()
    assert "政府信息公开工作制度" in township and "锦江区人民政府办公室政务公开科负责本机关政府信息公开" in township


def test_a_township_guide_gives_its_own_report_day_and_leaves_out_channels_it_has_not(township):
    body = township.client().get("/xxgk/gkzn/").content.decode()
    assert "1 月 31 日" in body and "传真申请" not in body


def test_the_standard_pages_and_the_catalogue_come_with_every_site_and_to_old_ones(county):
    with schema_context(county.schema):
        children = [page.slug for page in ColumnPage.objects.get(slug="xxgk").get_children()]
        assert children == ["gkzn", "gkzd", "fdzdgknr", "zcwj", "ysqgk", "gknb"]
        catalogue = [c.title for c in ColumnPage.objects.get(slug="fdzdgknr").get_children()]
        assert catalogue == ["机构职能", "规划计划", "财政信息", "行政执法", "人事信息", "重点领域信息"]
        assert "第二十条第（五）（六）项" in ColumnPage.objects.get(slug="xzzf").description
        GuidePage.objects.get().delete()
        RulesPage.objects.get().delete()
        out = StringIO()
        call_command("update_site_standard", stdout=out)
        assert "政府信息公开指南" in out.getvalue() and "政府信息公开制度" in out.getvalue()
        assert GuidePage.objects.get().is_mandated
    assert county.client().get("/xxgk/gkzn/").status_code == 200
    # Their content is their own text: never an empty column.
    empty = [item["title"] for item in refresh(county.site).indicator("empty_columns")["detail"]]
    assert "政府信息公开指南" not in empty and "政府信息公开制度" not in empty and "机构职能" in empty
