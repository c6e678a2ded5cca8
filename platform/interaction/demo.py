"""Demo messages for a site's 领导信箱: answered and published, in progress, one overdue, one invalid.

Called per site by setup_demo, inside its schema. Dates are spread over the last
weeks so deadlines, statistics and the inbox's colours show something real.
"""

from datetime import timedelta

from django.utils import timezone

from columns.models import ColumnPage, ColumnType

from . import actions
from .models import Category, ConsultationPage, ConsultationQuestion, InvalidReason, MailboxPage

MESSAGES = [
    # (days ago, category, subject, body, allow_public, outcome)
    (40, Category.ENQUIRY, "新生儿医保参保需要哪些材料？",
     "孩子刚出生，想给孩子办理城乡居民医保，请问需要带哪些材料，到哪里办理？", True, "published"),
    (30, Category.SUGGESTION, "建议在小区附近增设公交站点",
     "我们小区居民较多，最近的公交站要走二十分钟，建议在小区东门附近增设一个站点。", True, "published"),
    (25, Category.COMPLAINT, "夜间施工噪音扰民",
     "附近工地连续多日晚上十一点后仍在施工，严重影响休息，请相关部门查处。", False, "replied"),
    (20, Category.LEADER, "关于老旧小区加装电梯的问题",
     "我们小区建于上世纪九十年代，老人多，想申请加装电梯，请问政策和流程是怎样的？", True, "overdue"),
    (3, Category.ENQUIRY, "灵活就业人员如何缴纳养老保险？",
     "我是自由职业者，想了解灵活就业人员缴纳城镇职工养老保险的办理方式和缴费标准。", True, "new"),
    (2, Category.ENQUIRY, "大量重复发送的推广信息",
     "点击链接领取优惠……", False, "invalid"),
]

REPLIES = {
    "新生儿医保参保需要哪些材料？":
        "<p>您好！新生儿参加城乡居民医保，凭出生医学证明和户口簿（或监护人身份证）即可在社区便民服务中心"
        "或线上“天府通办”办理，出生90天内参保的，自出生之日起享受待遇。感谢您的来信。</p>",
    "建议在小区附近增设公交站点":
        "<p>您好！您的建议已转交交通运输局。经现场踏勘，拟于下月在小区东门新增站点，届时将公告。感谢您的建议。</p>",
    "夜间施工噪音扰民":
        "<p>您好！经核查，该工地未办理夜间施工许可，已责令停止夜间作业并依法处理。感谢您的监督。</p>",
}


def add_demo_messages(site):
    mailbox = MailboxPage.objects.first()
    if mailbox is None:
        return
    now = timezone.now()
    for days_ago, category, subject, body, allow_public, outcome in MESSAGES:
        received = now - timedelta(days=days_ago)
        message, _ = actions.submit_message(
            mailbox,
            {"category": category, "subject": subject, "body": body, "phone": "028-12345678",
             "allow_public": allow_public},
            received_at=received,
        )
        if outcome in ("published", "replied"):
            message = actions.reply_to_message(
                message, reply=REPLIES[subject], publish=outcome == "published", acting_user=None
            )
            message.replied_at = received + timedelta(days=5)
            message.save(update_fields=["replied_at"])
        elif outcome == "overdue":
            actions.assign_message(message, assignee=None, department="住房和城乡建设局", acting_user=None)
        elif outcome == "invalid":
            actions.mark_invalid(message, reason=InvalidReason.SPAM, note="", acting_user=None)


def add_demo_consultations(site):
    """One open consultation with questions, one closed with its 采纳情况."""


    column = ColumnPage.objects.filter(column_type=ColumnType.CONSULTATION).first()
    if column is None:
        return
    now = timezone.now()
    open_one = ConsultationPage(
        title=f"关于《{site.short_name}城市公园管理办法（征求意见稿）》公开征求意见",
        slug="gongyuan-guanli", summary_text="公园开放时间、游园秩序和设施维护，欢迎提出意见。",
        intro="<p>为做好公园管理工作，现将征求意见稿全文公布，公开征求社会各界意见。</p>",
        draft="<p>第一条 为加强城市公园管理……</p><p>第二条 公园每日开放时间为6:00至22:00……</p>",
        opens_at=now - timedelta(days=5), closes_at=now + timedelta(days=25),
    )
    open_one.questions = [
        ConsultationQuestion(
            text="您对公园开放时间有何意见？", kind="choice", choices="合适\n应延长\n应缩短", required=True
        ),
        ConsultationQuestion(text="您对征求意见稿的其他意见", kind="text"),
    ]
    column.add_child(instance=open_one)
    open_one.save_revision().publish()
    closed = ConsultationPage(
        title=f"{site.short_name}老旧小区改造项目意见征集",
        slug="laojiu-xiaoqu", summary_text="征集已结束，采纳情况已公布。",
        intro="<p>就今年老旧小区改造项目清单公开征求意见。</p>",
        opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=30),
        feedback_summary="<p>共收到意见 36 条，采纳 21 条（加装电梯、增设充电桩等），"
                         "未采纳 15 条（不属于本次改造范围），已逐条说明理由。</p>",
    )
    column.add_child(instance=closed)
    closed.save_revision().publish()
