"""The audit trail of the platform (public schema): who changed what, in which site, from where."""

from django.conf import settings
from django.db import models

from .registry import GovSite


class AuditAction(models.TextChoices):
    """What a platform action did: the code stored in AuditEvent.action, and its name in the console.

    Site editors' actions are Wagtail's own codes, stored as "site:<code>" (tenants.site_audit).
    """

    PROVISION_SITE = "provision_site", "开设站点"
    SUSPEND_SITE = "suspend_site", "暂停站点"
    RESUME_SITE = "resume_site", "恢复站点"
    ARCHIVE_SITE = "archive_site", "归档站点"
    UNARCHIVE_SITE = "unarchive_site", "取消归档"
    DELETE_SITE = "delete_site", "删除站点"
    FOLD_TOWNSHIP = "fold_township", "乡镇站点并入县级站点"
    RECEIVE_TOWNSHIP = "receive_township", "接收并入的乡镇站点"
    ADD_DOMAIN = "add_domain", "添加域名"
    SET_PRIMARY_DOMAIN = "set_primary_domain", "设置主域名"
    REMOVE_DOMAIN = "remove_domain", "删除域名"
    BACKUP_SITE = "backup_site", "备份站点"
    VERIFY_BACKUP = "verify_backup", "校验备份"
    DELETE_BACKUP = "delete_backup", "删除备份"
    RESTORE_SITE = "restore_site", "从备份恢复站点"
    RESTORE_AS_NEW_SITE = "restore_as_new_site", "从备份恢复为新站点"
    FINISH_RESTORE = "finish_restore", "完成中断的恢复"
    CREATE_PLATFORM_ADMIN = "create_platform_admin", "创建平台管理员"
    SET_STAFF_ROLE = "set_staff_role", "设置工作人员角色"
    CREATE_STAFF_ACCOUNT = "create_staff_account", "开设工作人员账号"
    DISABLE_STAFF_ACCOUNT = "disable_staff_account", "停用工作人员账号"
    ENABLE_STAFF_ACCOUNT = "enable_staff_account", "启用工作人员账号"
    BREAK_GLASS = "break_glass", "紧急授权"
    END_BREAK_GLASS = "end_break_glass", "结束紧急授权"
    ENABLE_TWO_FACTOR = "enable_two_factor", "开启两步验证"
    DISABLE_TWO_FACTOR = "disable_two_factor", "关闭两步验证"
    START_TWO_FACTOR_SETUP = "start_two_factor_setup", "开始设置两步验证"
    RESET_STAFF_TWO_FACTOR = "reset_staff_two_factor", "重置工作人员的两步验证"
    RESET_SITE_TWO_FACTOR = "reset_site_two_factor", "重置站点账号的两步验证"
    NEW_RECOVERY_CODES = "new_recovery_codes", "重新生成两步验证恢复码"
    TWO_FACTOR_FAILED = "two_factor_failed", "两步验证码错误"
    RECOVERY_CODE_USED = "recovery_code_used", "使用两步验证恢复码登录"
    CREATE_SITE_ACCOUNT = "create_site_account", "新建站点账号"
    DISABLE_SITE_ACCOUNT = "disable_site_account", "停用站点账号"
    ENABLE_SITE_ACCOUNT = "enable_site_account", "启用站点账号"
    RESET_SITE_ACCOUNT_PASSWORD = "reset_site_account_password", "重置站点账号密码"
    # Logins to the console and to every site's admin (tenants.logins).
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKED_OUT = "locked_out", "登录被锁定"
    LOGOUT = "logout", "退出登录"
    UNLOCK_LOGIN = "unlock_login", "解除登录锁定"
    CHANGE_PASSWORD = "change_password", "修改密码"
    PRUNE_AUDIT = "prune_audit", "清理超过保留期的审计记录"
    VERIFY_AUDIT = "verify_audit", "校验审计记录的校验链"
    BACKUP_PLATFORM = "backup_platform", "备份平台公共数据"
    # Handling citizens' messages and their personal data inside a site (interaction), and exports.
    ASSIGN_MESSAGE = "assign_message", "分办留言"
    REPLY_MESSAGE = "reply_message", "答复留言"
    PUBLISH_MESSAGE = "publish_message", "公开留言"
    UNPUBLISH_MESSAGE = "unpublish_message", "取消公开留言"
    CLOSE_MESSAGE = "close_message", "办结留言"
    INVALID_MESSAGE = "invalid_message", "标记无效留言"
    DOWNLOAD_ATTACHMENT = "download_attachment", "下载留言附件"
    EXPORT_PERSONAL_DATA = "export_personal_data", "导出含个人信息的数据"
    VIEW_PERSONAL_DATA = "view_personal_data", "查看留言人完整信息"
    ANONYMISE_PERSONAL_DATA = "anonymise_personal_data", "清除过期的个人信息"
    # Applications for disclosure inside a site (disclosure): each step of the office, and the system's lapse.
    REGISTER_APPLICATION = "register_application", "登记政府信息公开申请"
    REQUEST_COMPLETION = "request_completion", "告知补正政府信息公开申请"
    RECEIVE_COMPLETION = "receive_completion", "收到补正后的政府信息公开申请"
    EXTEND_APPLICATION = "extend_application", "延长政府信息公开申请答复期限"
    START_CONSULTATION = "start_consultation", "就政府信息公开申请征求第三方意见"
    END_CONSULTATION = "end_consultation", "结束第三方意见征询"
    ANSWER_APPLICATION = "answer_application", "答复政府信息公开申请"
    LAPSE_APPLICATION = "lapse_application", "逾期未补正的申请不再处理"
    VIEW_APPLICANT_DATA = "view_applicant_data", "查看政府信息公开申请人完整信息"
    DOWNLOAD_APPLICATION_FILE = "download_application_file", "下载政府信息公开申请文件"
    RECORD_REMEDY = "record_remedy", "登记政府信息公开行政复议、行政诉讼"
    DECIDE_REMEDY = "decide_remedy", "登记政府信息公开行政复议、行政诉讼结果"
    # The province's word lists (wording) and what editors do about the check before publishing.
    ADD_WORDING_TERM = "add_wording_term", "添加错敏词"
    REMOVE_WORDING_TERM = "remove_wording_term", "删除错敏词"
    IMPORT_WORDING_TERMS = "import_wording_terms", "导入错敏词表"
    ADD_LEADER = "add_leader", "添加领导姓名职务"
    REMOVE_LEADER = "remove_leader", "删除领导姓名职务"
    CONFIRM_WORDING = "confirm_wording", "确认疑似错误或个人信息后发布"
    REFUSE_WORDING = "refuse_wording", "因严重错误未能发布"
    # 倒签 (policies.backdating): why a policy document's 发布日期 is earlier than its publication.
    EXPLAIN_BACKDATE = "explain_backdate", "说明发布日期早于实际发布的原因"
    # 网页防篡改 (monitoring.tamper): found by the probe, closed by an administrator.
    TAMPER_DETECTED = "tamper_detected", "发现网页被篡改"
    CLOSE_TAMPER_INCIDENT = "close_tamper_incident", "处置网页篡改事件"
    EXPORT_AUDIT = "export_audit", "导出审计记录"
    EXPORT_SITE_LIST = "export_site_list", "导出站点列表"


class AuditEvent(models.Model):
    """One state change made by someone (or the system), never edited afterwards.

    The database refuses any change to a row but the two its foreign keys make (the account or the
    site it names deleted: the labels keep the names) and its sealing, and refuses deleting one but
    by the retention job (migration 0010's trigger). Sealing (tenants.audit_chain) links the rows
    into a hash chain in the order they are sealed: a row changed or removed behind the
    application's back breaks it, and `verify_audit` names the first break.
    """

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL
    )
    # Kept as text too, so the record survives the account and names CLI/system actors.
    actor_label = models.CharField("操作人（记录）", max_length=150)
    action = models.CharField("操作", max_length=50, db_index=True)
    site = models.ForeignKey(GovSite, verbose_name="站点", null=True, blank=True, on_delete=models.SET_NULL)
    site_label = models.CharField("站点（记录）", max_length=120, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    source = models.CharField("来源", max_length=100, blank=True, help_text="IP 地址或 cli:用户名")
    # Set once, when the row is sealed into the chain (tenants.audit_chain); None until then.
    chain_seq = models.BigIntegerField("封存序号", null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField("上一条的校验值", max_length=64, blank=True, editable=False)
    row_hash = models.CharField("校验值", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-created_at", "-id"]
        # One address's recent failed logins, counted at every login (tenants.logins.address_over_budget).
        indexes = [models.Index(fields=["action", "source", "created_at"], name="audit_action_source_time")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.site_label}"

    @property
    def action_display(self):
        """The action in Chinese for the console (the code itself stays searchable and exported)."""
        if self.action.startswith("site:"):
            code = self.action.removeprefix("site:")
            return "站内：" + SITE_ACTION_LABELS.get(code, code)
        try:
            return AuditAction(self.action).label
        except ValueError:  # a code no longer written (the record keeps it as it was)
            return self.action


# Wagtail's log actions (wagtail/wagtail_hooks.py registers them), as editors see them.
SITE_ACTION_LABELS = {
    "wagtail.create": "新建", "wagtail.edit": "修改", "wagtail.delete": "删除", "wagtail.publish": "发布",
    "wagtail.publish.scheduled": "定时发布", "wagtail.schedule.revision": "设置定时发布",
    "wagtail.schedule.cancel": "取消定时发布", "wagtail.unpublish": "撤回",
    "wagtail.unpublish.scheduled": "定时撤回", "wagtail.move": "移动", "wagtail.copy": "复制",
    "wagtail.reorder": "调整顺序", "wagtail.rename": "重命名", "wagtail.revert": "恢复旧版本",
    "wagtail.lock": "锁定", "wagtail.unlock": "解锁",
    "wagtail.view_restriction.create": "设置访问限制", "wagtail.view_restriction.edit": "修改访问限制",
    "wagtail.view_restriction.delete": "取消访问限制",
    "wagtail.workflow.start": "提交审核", "wagtail.workflow.approve": "审核通过",
    "wagtail.workflow.reject": "审核退回", "wagtail.workflow.cancel": "取消审核",
    "wagtail.workflow.resume": "重新提交审核",
}
