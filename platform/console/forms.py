"""The console's forms: what an action needs from the person at the screen."""

from django import forms

from tenants.models import GovSite, SiteLevel, SiteStatus
from tenants.provisioning.site_groups import SITE_GROUPS


class ProvisionSiteForm(forms.Form):
    name = forms.CharField(label="站点名称（行政区划名称）", max_length=100, help_text="例如 锦江区")
    level = forms.ChoiceField(label="级别", choices=SiteLevel.choices)
    parent = forms.ModelChoiceField(
        label="上级站点", queryset=GovSite.objects.filter(status=SiteStatus.ACTIVE), required=False,
        help_text="省级站点不填",
    )
    region_code = forms.CharField(label="区划代码", max_length=9, help_text="GB/T 2260 六位代码；乡镇为九位")
    site_code = forms.CharField(label="网站标识码", max_length=10, help_text="十位，例如 5101040001")
    domain = forms.CharField(
        label="域名", max_length=253, required=False, help_text="留空则按区划层级自动生成拼音域名"
    )


class DomainForm(forms.Form):
    domain = forms.CharField(label="新域名", max_length=253)
    make_primary = forms.BooleanField(label="设为主域名", required=False)


class SiteAccountForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, help_text="字母、数字或 @.+-_，在本站内唯一")
    name = forms.CharField(label="姓名", max_length=150, required=False)
    email = forms.CharField(label="电子邮件", max_length=254, required=False, help_text="用于接收留言分办等通知")
    group = forms.ChoiceField(label="角色", choices=[(g, g) for g in SITE_GROUPS], initial=SITE_GROUPS[0])


class ArchiveForm(forms.Form):
    successor = forms.ModelChoiceField(
        label="接续站点", queryset=GovSite.objects.none(), required=False,
        help_text="归档后由哪个站点承接其工作；归档页面的提示条会链接到它。可不选",
    )

    def __init__(self, *args, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = GovSite.objects.filter(status=SiteStatus.ACTIVE).exclude(pk=site.pk)
        if site.parent_id and site.parent.status == SiteStatus.ACTIVE:
            self.fields["successor"].initial = site.parent_id


class DeleteSiteForm(forms.Form):
    confirm_name = forms.CharField(label="再次输入站点名称以确认删除", max_length=100)


class RestoreForm(forms.Form):
    safety_backup = forms.BooleanField(
        label="恢复前先备份当前状态（建议保留，恢复本身也可撤销）", required=False, initial=True
    )
    keep_accounts = forms.BooleanField(
        label="保留账号的当前状态：停用的账号保持停用，重置过的密码保持有效，备份后删除的账号恢复后为停用"
              "（取消勾选则账号与备份时完全一致）",
        required=False, initial=True,
    )


class RestoreAsNewForm(forms.Form):
    name = forms.CharField(label="新站点名称（行政区划名称）", max_length=100)
    parent = forms.ModelChoiceField(
        label="上级站点", queryset=GovSite.objects.filter(status=SiteStatus.ACTIVE), required=False,
        help_text="省级站点不填",
    )
    region_code = forms.CharField(label="区划代码", max_length=9)
    site_code = forms.CharField(label="网站标识码", max_length=10)
    domain = forms.CharField(label="域名", max_length=253)


class StaffAccountForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, help_text="字母、数字或 @.+-_，在平台内唯一")
    name = forms.CharField(label="姓名", max_length=150, required=False)
    email = forms.CharField(label="电子邮件", max_length=254, required=False, help_text="用于接收登录锁定等通知")
