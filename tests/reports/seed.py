"""Known data for one site and one year (2025, Beijing time), and the figures it must give.

Used inside the site's schema (`schema_context`). Every item is dated explicitly: published
through a revision with the first publication time it is given (the field every count reads;
Wagtail keeps one a page already has). The skeleton's columns are moved to 2026-01-01 00:00
Beijing time, the first instant after the year, so they do not count as existing in 2025 and
the counts below are exact whatever day the tests run.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from columns.models import ColumnPage, ColumnType
from interaction.models import Feedback, MailboxPage, Message, Status
from tests.factories import (
    ArticleFactory,
    ColumnFactory,
    ConsultationFactory,
    PolicyDocumentFactory,
    PolicyInterpretationFactory,
    ServiceGuideFactory,
    column,
)

YEAR = 2025
BEIJING = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=BEIJING)


def seed_year():
    """Seed the site's data; returns the computed figures expected for YEAR."""
    ColumnPage.objects.update(first_published_at=at(2026, 1, 1, 0, 0))
    news, notices = column("xwdt"), column("tzgg")

    # Columns: an 概况 column and two 专题 columns, one opened in 2024, one in 2025.
    # (ColumnFactory's columns are children of the home page.)
    about = ColumnFactory(title="区情概况", slug="qqgk", column_type=ColumnType.ABOUT,
                          first_published_at=at(2024, 1, 5))
    ColumnFactory(title="专题：营商环境", slug="ztyshj", column_type=ColumnType.TOPIC,
                  first_published_at=at(2024, 6, 1))
    ColumnFactory(title="专题：乡村振兴", slug="ztxczx", column_type=ColumnType.TOPIC,
                  first_published_at=at(2025, 5, 1))

    # Articles: three news items in 2025 (the last at 23:30 on 31 December, Beijing time), two notices, one 概况.
    ArticleFactory(parent=news, title="一月新闻", first_published_at=at(2025, 1, 2))
    ArticleFactory(parent=news, title="六月新闻", first_published_at=at(2025, 6, 15))
    # 15:30 UTC: still 2025 in Beijing
    ArticleFactory(parent=news, title="除夕新闻", first_published_at=at(2025, 12, 31, 23, 30))
    # 2025-12-31 16:10 UTC: already 2026 in Beijing
    ArticleFactory(parent=news, title="元旦新闻", first_published_at=at(2026, 1, 1, 0, 10))
    ArticleFactory(parent=news, title="去年新闻", first_published_at=at(2024, 12, 31, 12, 0))
    withdrawn = ArticleFactory(parent=news, title="已撤回的新闻", first_published_at=at(2025, 3, 1))
    withdrawn.unpublish()
    ArticleFactory(parent=notices, title="通知一", first_published_at=at(2025, 2, 1))
    ArticleFactory(parent=notices, title="通知二", first_published_at=at(2025, 9, 1))
    ArticleFactory(parent=about, title="区情简介", first_published_at=at(2025, 4, 1))

    # Policies (in 信息公开 → 政策文件) and their interpretations, one text and one graphic.
    first = PolicyDocumentFactory(slug="p1", index_number="11510104MB0000000X/2025-00001",
                                  first_published_at=at(2025, 3, 5))
    second = PolicyDocumentFactory(slug="p2", index_number="11510104MB0000000X/2025-00002",
                                   first_published_at=at(2025, 8, 5))
    PolicyInterpretationFactory(policy=first, slug="i1", first_published_at=at(2025, 3, 6))
    PolicyInterpretationFactory(policy=second, slug="i2", kind="graphic", first_published_at=at(2025, 8, 6))

    # Service guides: one from 2024 with an online address, one from 2025 without.
    ServiceGuideFactory(slug="g1", online_url="https://zwfw.example.gov.cn/g1", first_published_at=at(2024, 5, 1))
    ServiceGuideFactory(slug="g2", item_name="食品经营许可", first_published_at=at(2025, 5, 1))

    # Consultations: one opening in 2025 with two pieces of feedback and its results published; one from 2024.
    held = ConsultationFactory(
        title="公园管理办法征求意见", slug="c1", intro="<p>欢迎提出意见。</p>",
        opens_at=at(2025, 4, 1), closes_at=at(2025, 4, 30), feedback_summary="<p>收到意见2条，采纳1条。</p>",
        first_published_at=at(2025, 3, 30),
    )
    Feedback.objects.create(consultation=held, comment="建议延长开放时间")
    Feedback.objects.create(consultation=held, comment="增加座椅")
    ConsultationFactory(
        title="去年的征集", slug="c0", intro="<p>x</p>", opens_at=at(2024, 4, 1), closes_at=at(2024, 4, 30),
        first_published_at=at(2024, 3, 30),
    )

    # Messages: received in 2025 are m1, m2, m3 and m6; m1 and m2 answered in 2 and 5 working days.
    mailbox = MailboxPage.objects.get()
    message(mailbox, at(2025, 3, 3), status=Status.REPLIED, replied_at=at(2025, 3, 5), public=True)
    message(mailbox, at(2025, 3, 3), status=Status.CLOSED, replied_at=at(2025, 3, 10))
    message(mailbox, at(2025, 6, 1))
    message(mailbox, at(2025, 7, 1), status=Status.INVALID)
    message(mailbox, at(2024, 12, 31, 23, 0))
    message(mailbox, at(2025, 12, 31, 23, 30))
    # Error reports (纠错, 3 working days): received in 2025 are e1–e3; e1 answered in time, e2 a week late,
    # e3 never answered (overdue now); e4 invalid; e5 of 2024. None is counted among the messages above.
    message(None, at(2025, 4, 7), category="error_report", reply_days=3, status=Status.REPLIED,
            replied_at=at(2025, 4, 10, 17))
    message(None, at(2025, 4, 7), category="error_report", reply_days=3, status=Status.CLOSED,
            replied_at=at(2025, 4, 17))
    message(None, at(2025, 9, 1), category="error_report", reply_days=3)
    message(None, at(2025, 9, 2), category="error_report", reply_days=3, status=Status.INVALID)
    message(None, at(2024, 12, 30), category="error_report", reply_days=3, status=Status.REPLIED,
            replied_at=at(2024, 12, 31))

    return {
        "info_total": 12, "info_about": 1, "info_news": 3, "info_notice": 2, "info_disclosure": 2, "info_policy": 2,
        "info_service_guides": 1,
        "columns_total": 3, "topics_maintained": 2, "topics_new": 1,
        "interpretations_total": 2, "interpretations_text": 1, "interpretations_graphic": 1,
        "interpretations_video": 0,
        "service_items": 2, "service_items_online": 1,
        "messages_received": 4, "messages_answered": 2, "reply_days_average": 3.5, "messages_public": 1,
        "error_reports_received": 3, "error_reports_on_time": 1, "error_reports_late": 2,
        "consultations": 1, "consultation_feedback": 2, "consultations_results": 1,
        "search_service": True, "accessibility": True,
    }


def message(mailbox, received_at, *, status=Status.NEW, replied_at=None, public=False, category="enquiry",
            reply_days=15):
    msg = Message.new(
        reply_days=reply_days, password="query-pass", received_at=received_at, mailbox=mailbox, category=category,
        subject=f"留言 {received_at:%Y-%m-%d %H:%M}", body="内容",
    )
    msg.status = status
    msg.replied_at = replied_at
    if replied_at:
        msg.reply = "答复"
    msg.allow_public = msg.is_published = public
    msg.save()
    return msg
