"""Forms of disclosure on application: what an applicant sends and looks up, what the office does."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from columns.uploads import UploadRefused
from columns.uploads import check as check_upload
from interaction.forms import PHONE_CHARS, captcha_field
from interaction.forms import LookupForm as MessageLookupForm
from interaction.sanitise import one_line, plain_text

from . import clock, identity
from .choices import (
    OFFLINE_CHANNELS,
    ORGANISATION_ID_TYPES,
    PERSON_ID_TYPES,
    REASONS,
    ApplicantKind,
    DeliveryChannel,
    DeliveryForm,
    IdType,
    Result,
)
from .models import Outcome, RemedyKind

PROOF_KINDS = ["pdf", "image"]
# Passports and permits: letters and digits, as printed.
_OTHER_DOCUMENT = re.compile(r"^[A-Z0-9]{5,30}$")


class ApplicationForm(forms.Form):
    """An application as Art. 29 asks for it. Fields that only organisations fill are labelled so."""

    applicant_kind = forms.ChoiceField(label="申请人类型", choices=ApplicantKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label="姓名或单位名称", max_length=100)
    legal_representative = forms.CharField(label="法定代表人或负责人（单位填写）", max_length=50, required=False)
    contact_person = forms.CharField(label="联系人（单位填写）", max_length=50, required=False)
    id_type = forms.ChoiceField(
        label="证件类型", choices=IdType.choices,
        help_text="个人：居民身份证、护照或通行证；单位：统一社会信用代码",
    )
    id_number = forms.CharField(label="证件号码", max_length=30)
    phone = forms.CharField(label="联系电话", max_length=30)
    email = forms.EmailField(label="电子邮箱", required=False, help_text="选择以电子邮件获取信息时必填")
    address = forms.CharField(label="通信地址", max_length=200, required=False, help_text="选择邮寄时必填")
    postcode = forms.CharField(label="邮政编码", max_length=6, required=False)
    info_title = forms.CharField(label="所需信息的名称", max_length=200)
    info_number = forms.CharField(label="文号（选填）", max_length=100, required=False)
    info_description = forms.CharField(
        label="所需信息的其他特征描述（选填）", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}), help_text="如制作机关、时间、内容要点，便于准确查找",
    )
    delivery_form = forms.ChoiceField(
        label="获取信息的载体形式", choices=DeliveryForm.choices, widget=forms.RadioSelect,
    )
    delivery_channel = forms.ChoiceField(
        label="获取信息的方式", choices=DeliveryChannel.choices, widget=forms.RadioSelect,
    )
    proof = forms.FileField(
        label="身份证明", error_messages={"required": "请上传身份证明（条例第二十九条要求申请时出示）"},
        help_text=(f"身份证件或营业执照等的扫描件或照片：PDF 或 JPG/PNG 图片，"
                   f"不超过 {settings.DISCLOSURE_PROOF_MAX_BYTES // 2**20} MB。仅供审核身份使用，不会公开"),
    )
    captcha = captcha_field()

    def clean_name(self):
        name = one_line(self.cleaned_data["name"])
        if not name:
            raise ValidationError("请填写申请人的姓名或单位名称")
        return name

    def clean_legal_representative(self):
        return one_line(self.cleaned_data["legal_representative"])

    def clean_contact_person(self):
        return one_line(self.cleaned_data["contact_person"])

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not set(phone) <= PHONE_CHARS or sum(c.isdigit() for c in phone) < 7:
            raise ValidationError("请填写有效的电话号码")
        return phone

    def clean_address(self):
        return one_line(self.cleaned_data["address"])

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if postcode and not re.fullmatch(r"\d{6}", postcode):
            raise ValidationError("邮政编码应为 6 位数字")
        return postcode

    def clean_info_title(self):
        title = one_line(self.cleaned_data["info_title"])
        if len(title) < 2:
            raise ValidationError("请填写所需信息的名称")
        return title

    def clean_info_number(self):
        return one_line(self.cleaned_data["info_number"])

    def clean_info_description(self):
        return plain_text(self.cleaned_data["info_description"])

    def clean_proof(self):
        upload = self.cleaned_data.get("proof")
        if not upload:
            return None
        try:
            check_upload(upload, PROOF_KINDS, max_bytes=settings.DISCLOSURE_PROOF_MAX_BYTES)
        except UploadRefused as exc:
            raise ValidationError(str(exc)) from exc
        return upload

    def clean(self):
        cleaned = super().clean()
        kind, id_type, number = cleaned.get("applicant_kind"), cleaned.get("id_type"), cleaned.get("id_number")
        if kind and id_type:
            allowed = PERSON_ID_TYPES if kind == ApplicantKind.PERSON else ORGANISATION_ID_TYPES
            if id_type not in allowed:
                self.add_error("id_type", "个人申请请选择身份证件" if kind == ApplicantKind.PERSON
                               else "单位申请请选择统一社会信用代码（没有的选择“其他证件”）")
            elif number:
                try:
                    cleaned["id_number"] = check_number(id_type, number)
                except identity.InvalidNumber as exc:
                    self.add_error("id_number", str(exc))
        if kind and kind != ApplicantKind.PERSON and not cleaned.get("contact_person"):
            self.add_error("contact_person", "单位申请请填写联系人")
        channel = cleaned.get("delivery_channel")
        if channel == DeliveryChannel.EMAIL and not cleaned.get("email") and not self.has_error("email"):
            self.add_error("email", "选择以电子邮件获取信息，请填写电子邮箱")
        if channel == DeliveryChannel.POST and not cleaned.get("address"):
            self.add_error("address", "选择邮寄，请填写通信地址")
        return cleaned


def check_number(id_type, number):
    """The normalised number for its document type, or identity.InvalidNumber."""
    if id_type == IdType.RESIDENT_ID:
        return identity.check_resident_id(number, today=timezone.localdate())
    if id_type == IdType.CREDIT_CODE:
        return identity.check_credit_code(number)
    number = identity.normalise(number)
    if id_type != IdType.OTHER and not _OTHER_DOCUMENT.match(number):
        raise identity.InvalidNumber("证件号码应为 5 至 30 位字母或数字，请按证件所印填写")
    if len(one_line(number)) < 4:
        raise identity.InvalidNumber("请填写证件号码")
    return one_line(number)


class LookupForm(MessageLookupForm):
    """The mailbox's code-and-password look-up, with the application's wording."""

    def find(self, applications):
        application = applications.filter(tracking_code=self.cleaned_data["tracking_code"]).first()
        if application is None or not application.check_password(self.cleaned_data["password"].strip()):
            self.add_error(None, "查询码或查询密码不正确。请核对后重试（查询码只在提交申请的网站有效）。")
            return None
        return application


# --- the office ------------------------------------------------------------------------------


class RegisterForm(ApplicationForm):
    """An application that arrived by letter, by hand, by fax or by e-mail, entered by the office."""

    channel = forms.ChoiceField(label="收到渠道", choices=[(c.value, c.label) for c in OFFLINE_CHANNELS])
    received_on = forms.DateField(
        label="收到日期", widget=forms.DateInput(attrs={"type": "date"}),
        help_text="信函以签收之日、当面提交以提交之日为收到申请之日（条例第三十一条）",
        error_messages={"invalid": "请填写有效的日期"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["captcha"]
        self.fields["proof"].required = False
        self.fields["proof"].help_text = "申请人身份证明的扫描件（纸质材料已存档的可不上传）"
        self.fields = {"channel": self.fields.pop("channel"), "received_on": self.fields.pop("received_on"),
                       **self.fields}

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError("收到日期不能晚于今天")
        return day


class CompletionForm(forms.Form):
    items = forms.CharField(label="需要补正的内容", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
                            help_text="一次性写明需要补正的全部事项")
    period_days = forms.IntegerField(
        label="补正期限（工作日）", min_value=1, max_value=settings.DISCLOSURE_MAX_COMPLETION_DAYS,
        initial=settings.DISCLOSURE_COMPLETION_DAYS,
    )


class CompletedForm(forms.Form):
    note = forms.CharField(label="备注（选填）", required=False, max_length=500)
    late_reason = forms.CharField(label="逾期补正的正当理由（逾期时必填）", required=False, max_length=200)


class ExtendForm(forms.Form):
    days = forms.IntegerField(label="延长（工作日）", min_value=1, max_value=clock.MAX_EXTENSION_DAYS,
                              initial=clock.MAX_EXTENSION_DAYS)
    approver = forms.CharField(label="批准人（政府信息公开工作机构负责人）", max_length=50)
    reason = forms.CharField(label="延期理由", max_length=200)


class ConsultForm(forms.Form):
    third_party = forms.CharField(label="征求意见的第三方", max_length=100)


class ConsultationEndForm(forms.Form):
    outcome = forms.CharField(label="第三方意见（内部记录）", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); the cleaned value is a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


# What the office may send with an answer: documents in the formats government information comes in.
ANSWER_FILE_KINDS = ["pdf", "ofd", "word", "sheet", "image", "zip"]


def _reason_choices():
    choices = [("", "（无）")]
    for result, reasons in REASONS.items():
        choices.append((Result(result).label, [(code, label) for code, label in reasons]))
    return choices


class AnswerForm(forms.Form):
    result = forms.ChoiceField(label="答复结果", choices=Result.choices)
    reason = forms.ChoiceField(label="具体情形", choices=_reason_choices(), required=False,
                               help_text="按年度报告的统计口径选择；予以公开、部分公开以外的答复必须选择")
    notice = forms.CharField(label="告知书正文", widget=forms.Textarea(attrs={"rows": 12}), max_length=20000,
                             help_text="留空则按答复结果生成法定格式的告知书，可再修改", required=False)
    files = MultipleFileField(label="公开的信息（选填，可多选）", required=False,
                              help_text="PDF、OFD、Word、Excel、图片或 ZIP 压缩包")

    def clean_files(self):
        for upload in self.cleaned_data["files"]:
            try:
                check_upload(upload, ANSWER_FILE_KINDS)
            except UploadRefused as exc:
                raise ValidationError(f"{upload.name}：{exc}") from exc
        return self.cleaned_data["files"]


class RemedyForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=RemedyKind.choices)
    filed_on = forms.DateField(label="申请复议或起诉日期", widget=forms.DateInput(attrs={"type": "date"}))
    authority = forms.CharField(label="复议机关或人民法院", max_length=100)
    case_number = forms.CharField(label="案号（选填）", max_length=100, required=False)
    note = forms.CharField(label="备注（选填）", max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label="结果", choices=[c for c in Outcome.choices if c[0] != Outcome.PENDING])
    decided_on = forms.DateField(label="决定或判决日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="备注（选填）", max_length=2000, required=False)
