"""告知书: the answer's text in the statutory wording for its result, which the office then edits.

Each result cites the article of the 政府信息公开条例 (2019) it rests on and ends with the
applicant's remedies: administrative review within 60 days (行政复议法) and a suit within six
months (行政诉讼法) of receiving the notice.
"""


from columns.models import SiteSettings

from .choices import ApplicantKind, Result

LAW = "《中华人民共和国政府信息公开条例》"
REMEDIES = ("如对本答复不服，可以自收到本告知书之日起六十日内依法申请行政复议，"
            "或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼。")

# (result, reason) -> the body; "{title}" is the information asked for.
BODIES = {
    (Result.DISCLOSED, "provided"): (
        f"经审查，您申请的信息属于可以公开的政府信息。根据{LAW}第三十六条第（二）项的规定，现将该信息提供给您（见附件）。"
    ),
    (Result.DISCLOSED, "already_public"): (
        f"经审查，您申请的信息已经主动公开。根据{LAW}第三十六条第（一）项的规定，您可以通过以下方式、途径获取：【请填写公开的网址或查阅地点】。"
    ),
    (Result.PARTLY, ""): (
        f"经审查，您申请的信息中含有不应当公开的内容，但能够作区分处理。根据{LAW}第三十七条的规定，"
        "现向您提供可以公开的内容（见附件）；不予公开的内容为【请写明】，理由是【请写明】。"
    ),
    (Result.WITHHELD, "state_secret"): (
        f"经审查，您申请的信息属于国家秘密。根据{LAW}第十四条、第三十六条第（三）项的规定，不予公开。"
    ),
    (Result.WITHHELD, "other_law"): (
        f"经审查，您申请的信息属于法律、行政法规禁止公开的信息（【请写明所依据的法律、行政法规条款】）。"
        f"根据{LAW}第十四条、第三十六条第（三）项的规定，不予公开。"
    ),
    (Result.WITHHELD, "security"): (
        f"经审查，您申请的信息公开后可能危及国家安全、公共安全、经济安全、社会稳定。"
        f"根据{LAW}第十四条、第三十六条第（三）项的规定，不予公开。"
    ),
    (Result.WITHHELD, "third_party"): (
        f"经审查，您申请的信息涉及商业秘密、个人隐私，公开会对第三方合法权益造成损害。本机关已依法征求第三方意见，"
        f"第三方不同意公开。根据{LAW}第十五条、第三十二条、第三十六条第（三）项的规定，不予公开。"
    ),
    (Result.WITHHELD, "internal"): (
        f"经审查，您申请的信息属于人事管理、后勤管理、内部工作流程等内部事务信息。根据{LAW}第十六条第一款的规定，不予公开。"
    ),
    (Result.WITHHELD, "process"): (
        f"经审查，您申请的信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息。"
        f"根据{LAW}第十六条第二款的规定，不予公开。"
    ),
    (Result.WITHHELD, "enforcement_file"): (
        f"经审查，您申请的信息属于行政执法案卷信息。根据{LAW}第十六条第二款的规定，不予公开。"
    ),
    (Result.WITHHELD, "query_matter"): (
        f"经审查，您申请的信息属于有关法律、行政法规对信息的获取有特别规定的信息。根据{LAW}第三十六条第（七）项的规定，"
        "请您依照【请写明有关法律、行政法规】的规定办理。"
    ),
    (Result.UNAVAILABLE, "not_held"): (
        f"经检索，本机关未制作、获取您申请的信息，该政府信息不存在。根据{LAW}第三十六条第（四）项的规定，特此告知。"
        "【所申请信息属于其他机关负责公开的，写明：根据第三十六条第（五）项，该信息由××负责公开，联系方式为××。】"
    ),
    (Result.UNAVAILABLE, "needs_making"): (
        f"经审查，本机关没有您申请的现成信息，提供该信息需要对现有政府信息进行加工、分析。根据{LAW}第三十八条的规定，不予提供。"
    ),
    (Result.UNAVAILABLE, "still_unclear"): (
        f"本机关已于【日期】告知您补正申请。经审查，补正后的申请内容仍不明确，本机关无法确定您所需的信息。"
        f"根据{LAW}第三十条的规定，无法提供。"
    ),
    (Result.NOT_HANDLED, "petition"): (
        f"经审查，您的申请属于以政府信息公开申请的形式进行信访、投诉、举报等活动。根据{LAW}第三十九条第一款的规定，"
        "不作为政府信息公开申请处理。您可以通过信访、12345 政务服务便民热线等渠道提出。"
    ),
    (Result.NOT_HANDLED, "repeated"): (
        f"本机关已于【日期】就您提出的相同政府信息公开申请作出答复。根据{LAW}第三十六条第（六）项的规定，不予重复处理。"
    ),
    (Result.NOT_HANDLED, "publication"): (
        f"经审查，您申请的内容为政府公报、报刊、书籍等公开出版物。根据{LAW}第三十九条第二款的规定，"
        "您可以通过以下途径获取：【请写明】。"
    ),
    (Result.NOT_HANDLED, "excessive"): (
        f"您申请公开政府信息的数量、频次明显超过合理范围，且未能说明理由。根据{LAW}第三十五条的规定，本机关不予处理。"
    ),
    (Result.NOT_HANDLED, "confirmation"): (
        "经审查，您的申请是要求本机关确认或者重新出具您已获取的信息，不属于政府信息公开申请的处理范围，本机关不予处理。"
    ),
    (Result.OTHER, "no_completion"): (
        f"本机关已于【日期】告知您补正申请。您在补正期限内无正当理由未补正，根据{LAW}第三十条的规定，视为放弃申请，"
        "本机关不再处理该政府信息公开申请。"
    ),
    (Result.OTHER, "no_fee"): (
        f"本机关已于【日期】向您发出收费通知。您逾期未按通知要求缴纳信息处理费，根据{LAW}第四十二条及有关规定，"
        "本机关不再处理该政府信息公开申请。"
    ),
    (Result.OTHER, "other"): "【请写明处理情况及依据】",
}


def site_organiser():
    """The body that answers: the site's 主办单位 (站点设置), in the schema the connection is in."""
    settings = SiteSettings.here()
    return settings.organiser if settings and settings.organiser else "（本机关）"


def day_text(date):
    """2026年12月3日: dates as official documents write them."""
    return f"{date.year}年{date.month}月{date.day}日"


def draft(application, *, result, reason, organiser, today):
    """The 告知书's text for this result, addressed to the applicant and signed by the site's organiser."""
    body = BODIES.get((result, reason)) or BODIES.get((result, "")) or "【请写明答复内容及依据】"
    you = "您" if application.applicant_kind == ApplicantKind.PERSON else "贵单位"
    body = body.replace("您", you)
    lines = [
        f"{application.name}：",
        f"　　本机关于{day_text(application.received_on)}收到{you}提交的政府信息公开申请"
        f"（查询码 {application.tracking_code}），"
        f"申请获取“{application.info_title}”。",
        f"　　{body}",
        f"　　{REMEDIES.replace('您', you)}",
        "",
        organiser,
        day_text(today),
    ]
    return "\n".join(lines)
