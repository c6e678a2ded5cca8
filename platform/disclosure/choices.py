"""The vocabularies of an application: who applies, how, and how it was answered.

The applicant kinds are the columns, and the results with their reasons the rows, of the
applications table of the annual disclosure report in the national format of 2021
(国办公开办函〔2021〕30号), so the report counts straight from the stored codes.
"""

from django.db import models


class ApplicantKind(models.TextChoices):
    PERSON = "person", "自然人"
    BUSINESS = "business", "商业企业"
    RESEARCH = "research", "科研机构"
    WELFARE = "welfare", "社会公益组织"
    LEGAL = "legal", "法律服务机构"
    OTHER = "other", "其他组织"


ORGANISATION_KINDS = [kind for kind in ApplicantKind if kind != ApplicantKind.PERSON]


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO_PERMIT = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "taiwan", "台湾居民来往大陆通行证"
    FOREIGNER_PR = "foreigner_pr", "外国人永久居留身份证"
    CREDIT_CODE = "credit_code", "统一社会信用代码"
    OTHER = "other", "其他证件"


PERSON_ID_TYPES = [IdType.RESIDENT_ID, IdType.PASSPORT, IdType.HK_MACAO_PERMIT, IdType.TAIWAN_PERMIT,
                   IdType.FOREIGNER_PR, IdType.OTHER]
ORGANISATION_ID_TYPES = [IdType.CREDIT_CODE, IdType.OTHER]


class Channel(models.TextChoices):
    """How the application arrived: online through the site, or registered by the office."""

    ONLINE = "online", "网上申请"
    LETTER = "letter", "信函"
    IN_PERSON = "in_person", "当面提交"
    FAX = "fax", "传真"
    EMAIL = "email", "电子邮件"


OFFLINE_CHANNELS = [channel for channel in Channel if channel != Channel.ONLINE]


class DeliveryForm(models.TextChoices):
    PAPER = "paper", "纸质文本"
    ELECTRONIC = "electronic", "电子文档"
    OTHER = "other", "其他"


class DeliveryChannel(models.TextChoices):
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    ONLINE = "online", "网上查看（凭查询码）"
    COLLECT = "collect", "当面领取"
    FAX = "fax", "传真"


class Status(models.TextChoices):
    PROCESSING = "processing", "办理中"
    AWAITING_COMPLETION = "completion", "待补正"
    CONSULTING = "consulting", "征求意见中"
    CLOSED = "closed", "已答复"


OPEN_STATUSES = (Status.PROCESSING, Status.AWAITING_COMPLETION, Status.CONSULTING)


class Result(models.TextChoices):
    """How an application was answered: the report's six result rows."""

    DISCLOSED = "disclosed", "予以公开"
    PARTLY = "partly", "部分公开"
    WITHHELD = "withheld", "不予公开"
    UNAVAILABLE = "unavailable", "无法提供"
    NOT_HANDLED = "not_handled", "不予处理"
    OTHER = "other", "其他处理"


# The reasons of each result, in the report's order; a result without a list takes none.
REASONS = {
    Result.DISCLOSED: [
        ("provided", "提供所申请的政府信息"),
        ("already_public", "已主动公开，告知获取途径"),
    ],
    Result.WITHHELD: [
        ("state_secret", "属于国家秘密"),
        ("other_law", "其他法律行政法规禁止公开"),
        ("security", "危及“三安全一稳定”"),
        ("third_party", "保护第三方合法权益"),
        ("internal", "属于三类内部事务信息"),
        ("process", "属于四类过程性信息"),
        ("enforcement_file", "属于行政执法案卷"),
        ("query_matter", "属于行政查询事项"),
    ],
    Result.UNAVAILABLE: [
        ("not_held", "本机关不掌握相关政府信息"),
        ("needs_making", "没有现成信息需要另行制作"),
        ("still_unclear", "补正后申请内容仍不明确"),
    ],
    Result.NOT_HANDLED: [
        ("petition", "信访举报投诉类申请"),
        ("repeated", "重复申请"),
        ("publication", "要求提供公开出版物"),
        ("excessive", "无正当理由大量反复申请"),
        ("confirmation", "要求行政机关确认或重新出具已获取信息"),
    ],
    Result.OTHER: [
        ("no_completion", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("no_fee", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other", "其他"),
    ],
}


def reasons_of(result):
    return REASONS.get(result, [])


def reason_label(result, reason):
    return dict(reasons_of(result)).get(reason, "")


class EventKind(models.TextChoices):
    """A step in an application's history, as the applicant's status page names it."""

    RECEIVED = "received", "收到申请"
    REGISTERED = "registered", "登记申请"
    COMPLETION_REQUESTED = "completion_requested", "告知补正"
    COMPLETED = "completed", "收到补正材料"
    EXTENDED = "extended", "延长答复期限"
    CONSULTATION_STARTED = "consultation_started", "征求第三方意见"
    CONSULTATION_ENDED = "consultation_ended", "第三方意见征询结束"
    ANSWERED = "answered", "作出答复"
    LAPSED = "lapsed", "逾期未补正，不再处理"
