"""征集调查: feedback only within the period, then 采纳情况 on the same page; editors read and export it."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from columns.models import ColumnPage, ColumnType
from interaction.models import ConsultationPage, ConsultationQuestion, Feedback
from tenants.models import AuditAction, AuditEvent
from tests.factories import ConsultationFactory

URL = "/hdjl/zjdc/park/"


def make_consultation(site, *, opens_in_days=-1, closes_in_days=10, feedback_summary=""):
    now = timezone.now()
    with schema_context(site.schema):
        page = ConsultationFactory(
            title="公园管理办法征求意见", slug="park", draft_text="<p>第一条 公园每日6:00开放。</p>",
            opens_at=now + timedelta(days=opens_in_days), closes_at=now + timedelta(days=closes_in_days),
            feedback_summary=feedback_summary, questions=[
                ConsultationQuestion(text="开放时间是否合适？", kind="choice", choices="合适\n应延长", required=True),
                ConsultationQuestion(text="其他意见", kind="text"),
            ],
        )
        page.question_list = list(page.questions.all())
        return page


def feedback_data(page, **overrides):
    questions = page.question_list
    data = {
        f"q{questions[0].pk}": "应延长", f"q{questions[1].pk}": "建议夏季延长到23点。",
        "comment": "", "name": "赵六", "contact": "13900000000", "captcha_0": "k", "captcha_1": "PASSED",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def stored(site):
    with schema_context(site.schema):
        return list(Feedback.objects.all())


def test_every_site_has_a_consultation_column_and_only_consultations_go_in_it(county):
    with schema_context(county.schema):
        column = ColumnPage.objects.get(column_type=ColumnType.CONSULTATION)
        assert column.get_parent().slug == "hdjl" and column.is_mandated
        assert ConsultationPage.can_exist_under(column)
        news = ColumnPage.objects.get(slug="xwdt")
        assert not ConsultationPage.can_exist_under(news)


def test_an_open_consultation_takes_feedback_and_stores_it_before_thanking(county):
    page = make_consultation(county)
    client = county.client()
    response = client.get(URL)
    assert response.status_code == 200 and "正在征集" in response.text and "第一条 公园每日6:00开放" in response.text
    assert "no-store" in response["Cache-Control"]
    response = client.post(URL, feedback_data(page))
    assert response.status_code == 200 and "意见已收到" in response.text
    [feedback] = stored(county)
    first, second = page.question_list
    assert feedback.answers == {str(first.pk): "应延长", str(second.pk): "建议夏季延长到23点。"}
    assert feedback.name == "赵六" and feedback.contact == "13900000000"


def test_missing_answers_are_refused_and_what_was_typed_stays(county):
    page = make_consultation(county)
    first, _ = page.question_list
    response = county.client().post(URL, feedback_data(page, **{f"q{first.pk}": None}))
    assert response.status_code == 400 and "这个字段是必须的" in response.text
    assert "建议夏季延长到23点。" in response.text
    response = county.client().post(URL, feedback_data(page, **{f"q{first.pk}": "不存在的选项"}))
    assert response.status_code == 400
    assert stored(county) == []


@pytest.mark.parametrize(("opens", "closes", "word"), [(2, 10, "尚未开始"), (-10, -1, "已经结束")])
def test_feedback_outside_the_period_is_refused(county, opens, closes, word):
    page = make_consultation(county, opens_in_days=opens, closes_in_days=closes)
    response = county.client().get(URL)
    assert response.status_code == 200 and "提交意见</button>" not in response.text
    response = county.client().post(URL, feedback_data(page))
    assert response.status_code == 400 and word in response.text
    assert stored(county) == []


def test_the_feedback_summary_appears_once_closed_and_the_page_is_cacheable_then(county):
    make_consultation(county, opens_in_days=-1, closes_in_days=10, feedback_summary="<p>采纳意见 12 条。</p>")
    assert "采纳意见 12 条" not in county.client().get(URL).text  # not while still open
    with schema_context(county.schema):
        page = ConsultationPage.objects.get()
        page.closes_at = timezone.now() - timedelta(minutes=1)
        page.save_revision().publish()
    first = county.client().get(URL)
    assert "意见采纳情况" in first.text and "采纳意见 12 条" in first.text and "征集已结束" in first.text
    assert "csrfmiddlewaretoken" not in first.text and "Set-Cookie" not in first.headers
    assert "no-store" not in first.get("Cache-Control", "")
    assert county.client(REMOTE_ADDR="10.0.0.9").get(URL).content == first.content


def test_period_and_choices_are_validated(county):
    with schema_context(county.schema):
        page = ConsultationPage(title="x", slug="x", intro="<p>x</p>", opens_at=timezone.now(),
                                closes_at=timezone.now() - timedelta(days=1))
        with pytest.raises(ValidationError, match="截止时间必须晚于开始时间"):
            page.clean()
        with pytest.raises(ValidationError, match="至少需要两个选项"):
            ConsultationQuestion(text="q", kind="choice", choices="只有一个").clean()


def test_a_rate_limited_citizen_keeps_the_answers(county, settings):
    settings.INTERACTION_SUBMIT_RATE = "1/m"
    page = make_consultation(county)
    assert county.client().post(URL, feedback_data(page)).status_code == 200
    response = county.client().post(URL, feedback_data(page, comment="第二次提交"))
    assert response.status_code == 429 and "第二次提交" in response.text
    assert len(stored(county)) == 1


def test_editors_read_and_export_feedback_and_spreadsheet_formulas_are_neutralised(county):
    page = make_consultation(county)
    county.client().post(URL, feedback_data(page, comment='=HYPERLINK("http://evil")<script>alert(1)</script>'))
    client = county.admin_client()
    listing = client.get("/admin/messages/consultations/")
    assert "公园管理办法征求意见" in listing.text and "1 条" in listing.text
    detail = client.get(f"/admin/messages/consultations/{page.pk}/")
    assert "建议夏季延长到23点。" in detail.text and "139****0000" in detail.text and "赵*" in detail.text
    assert "13900000000" not in detail.text and "赵六" not in detail.text, "in full only in the audited export"
    assert "<script>alert" not in detail.text
    export = client.get(f"/admin/messages/consultations/{page.pk}/csv/")
    assert export["Content-Type"].startswith("text/csv")
    text = export.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["提交时间", "姓名", "联系方式", "开放时间是否合适？", "其他意见", "意见建议"]
    assert rows[1][1:5] == ["赵六", "13900000000", "应延长", "建议夏季延长到23点。"]
    assert rows[1][5].startswith("'=HYPERLINK")
    exported = AuditEvent.objects.get(action=AuditAction.EXPORT_PERSONAL_DATA, site=county.site)
    assert exported.detail == {"what": "征集意见反馈", "consultation": "公园管理办法征求意见", "rows": 1}
    assert exported.actor_label == "admin"


def test_feedback_stays_within_its_site(county, city):
    page = make_consultation(county)
    county.client().post(URL, feedback_data(page, comment="只给锦江区的意见"))
    city_admin = city.admin_client()
    assert "只给锦江区的意见" not in city_admin.get(f"/admin/messages/consultations/{page.pk}/").text
    assert city.client().get(URL).status_code == 404


def test_an_upcoming_consultation_is_kept_at_the_edge_no_longer_than_until_it_opens(county):
    """Cached as "尚未开始" for the full edge lifetime, the page would hide the form for minutes after
    the opening time (and show the tamper probe a difference no publish explains)."""
    now = timezone.now()
    make_consultation(county, opens_in_days=100 / 86400)  # opens in 100 seconds
    soon = county.client().get(URL)
    assert soon.status_code == 200 and "尚未开始" in soon.content.decode()
    seconds = int(soon["Cache-Control"].rsplit("s-maxage=", 1)[1])
    assert 0 < seconds <= 100 - (timezone.now() - now).total_seconds() + 1, soon["Cache-Control"]
    with schema_context(county.schema):
        ConsultationPage.objects.filter(slug="park").update(opens_at=now + timedelta(days=2))
    assert county.client().get(URL)["Cache-Control"] == "public, max-age=0, s-maxage=600"
    with schema_context(county.schema):
        ConsultationPage.objects.filter(slug="park").update(opens_at=now + timedelta(milliseconds=300))
    assert "s-maxage" not in county.client().get(URL)["Cache-Control"], "opening within the second: not kept"
