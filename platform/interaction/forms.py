"""Forms of the mailbox: what citizens send and look up, what editors do with a message."""

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import validators
from django.core.exceptions import ValidationError
from wagtail.admin.rich_text import DraftailRichTextArea

from columns.uploads import UploadRefused
from columns.uploads import check as check_upload

from .limits import limited
from .models import InvalidReason
from .models.messages import MAILBOX_CATEGORIES
from .sanitise import one_line, plain_text

# What a citizen may attach, checked by content (columns.uploads): PDF, JPG/PNG, Word (DOC, DOCX, WPS).
ATTACHMENT_KINDS = ["pdf", "image", "word"]
PHONE_CHARS = set("0123456789-+() ")
# An image captcha shuts out citizens who cannot see it: name another way in (12345 is the national hotline).
CAPTCHA_HELP = "请输入图片中的 4 个字符。无法辨认的，可拨打 12345 政务服务便民热线反映"


class CaptchaInput(CaptchaTextInput):
    # One <label for> on the text box instead of a <fieldset>: the hidden key needs no label of its own.
    use_fieldset = False


def captcha_field():
    """The captcha of every citizen form: labelled in Chinese, with an alternative for who cannot read it."""
    return CaptchaField(
        label="验证码", help_text=CAPTCHA_HELP, widget=CaptchaInput(),
        error_messages={"invalid": "验证码不正确，请重新输入"},
    )


class MessageForm(forms.Form):
    category = forms.ChoiceField(label="留言类别", choices=MAILBOX_CATEGORIES, widget=forms.RadioSelect)
    subject = forms.CharField(label="主题", max_length=100)
    body = forms.CharField(
        label="留言内容", widget=forms.Textarea(attrs={"rows": 8}),
        max_length=settings.INTERACTION_BODY_MAX_CHARS,
        help_text=f"不超过 {settings.INTERACTION_BODY_MAX_CHARS} 字",
    )
    name = forms.CharField(label="姓名（选填）", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    email = forms.EmailField(label="电子邮箱", required=False, help_text="电话和电子邮箱至少填写一项，不会公开")
    attachment = forms.FileField(
        label="附件（选填）", required=False,
        help_text=(
            f"PDF、图片（JPG/PNG）或 Word/WPS 文档，不超过 {settings.INTERACTION_ATTACHMENT_MAX_BYTES // 2**20} MB"
        ),
    )
    allow_public = forms.BooleanField(
        label="同意在答复后公开本留言（不公开姓名和联系方式）", required=False,
    )
    captcha = captcha_field()

    def clean_subject(self):
        subject = one_line(self.cleaned_data["subject"])
        if not subject:
            raise ValidationError("请填写主题")
        return subject

    def clean_body(self):
        body = plain_text(self.cleaned_data["body"])
        if len(body) < 5:
            raise ValidationError("留言内容太短，请写清楚您的问题（至少 5 个字）")
        return body

    def clean_name(self):
        return one_line(self.cleaned_data["name"])

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and (not set(phone) <= PHONE_CHARS or sum(c.isdigit() for c in phone) < 7):
            raise ValidationError("请填写有效的电话号码")
        return phone

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        try:
            check_upload(upload, ATTACHMENT_KINDS, max_bytes=settings.INTERACTION_ATTACHMENT_MAX_BYTES)
        except UploadRefused as exc:
            raise ValidationError(str(exc)) from exc
        return upload

    def clean(self):
        cleaned = super().clean()
        typed_contact = self.has_error("phone") or self.has_error("email")
        if not cleaned.get("phone") and not cleaned.get("email") and not typed_contact:
            self.add_error("phone", "电话和电子邮箱至少填写一项，以便答复您")
        return cleaned


class ErrorReportForm(forms.Form):
    """纠错: the page (its address, checked by `find_page`), what is wrong, an optional contact, the captcha.

    `find_page(address)` returns the page reported (its `path` and `title`) or raises ValidationError.
    """

    url = forms.CharField(
        label="出错页面地址", max_length=500, help_text="出错信息所在页面的网址",
        error_messages={"required": "请填写出错页面的网址"},
    )
    body = forms.CharField(
        label="错误内容", widget=forms.Textarea(attrs={"rows": 6}), max_length=settings.INTERACTION_BODY_MAX_CHARS,
        help_text=f"请写明哪里有错、应当怎样改正，不超过 {settings.INTERACTION_BODY_MAX_CHARS} 字",
        error_messages={"required": "请写明哪里有错"},
    )
    contact = forms.CharField(
        label="联系方式（选填）", max_length=100, required=False,
        help_text="电话或电子邮箱，便于答复您，不会公开",
    )
    captcha = captcha_field()

    def __init__(self, *args, find_page, **kwargs):
        super().__init__(*args, **kwargs)
        self.find_page = find_page
        self.page = None

    def clean_url(self):
        self.page = self.find_page(self.cleaned_data["url"].strip())
        return self.page.path

    def clean_body(self):
        body = plain_text(self.cleaned_data["body"])
        if len(body) < 5:
            raise ValidationError("请写清楚哪里有错（至少 5 个字）")
        return body

    def clean_contact(self):
        """{"phone": ..., "email": ...}: an address with @ is an e-mail address, anything else a phone number."""
        contact = one_line(self.cleaned_data["contact"])
        if not contact:
            return {}
        if "@" in contact:
            try:
                validators.validate_email(contact)
            except ValidationError:
                raise ValidationError("请填写有效的电子邮箱或电话号码") from None
            return {"email": contact}
        if not set(contact) <= PHONE_CHARS or sum(c.isdigit() for c in contact) < 7 or len(contact) > 30:
            raise ValidationError("请填写有效的电话号码或电子邮箱")
        return {"phone": contact}


class LookupForm(forms.Form):
    tracking_code = forms.CharField(label="查询码", max_length=20)
    password = forms.CharField(label="查询密码", max_length=20, widget=forms.PasswordInput)

    def clean_tracking_code(self):
        return self.cleaned_data["tracking_code"].strip().upper()

    def find(self, messages):
        """The message with this code and password among `messages`, or None (with a form error)."""
        message = messages.filter(tracking_code=self.cleaned_data["tracking_code"]).first()
        if message is None or not message.check_password(self.cleaned_data["password"].strip()):
            self.add_error(None, "查询码或查询密码不正确。请核对后重试（查询码只在提交留言的网站有效）。")
            return None
        return message


def look_up(request, messages):
    """The tracking-code look-up of the mailbox and of 纠错 among `messages`: (context, status) for the
    page, rate-limited per address (guessing codes)."""
    form = LookupForm(request.POST or None)
    if request.method != "POST":
        return {"form": form, "message": None}, 200
    if limited(request, "interaction.lookup", settings.INTERACTION_LOOKUP_RATE):
        form.is_valid()
        return {"form": form, "limited": True}, 429
    if not form.is_valid():
        return {"form": form, "message": None}, 400
    message = form.find(messages)
    return {"form": form, "message": message}, 200 if message else 404


# --- editors -----------------------------------------------------------------------------


def site_editors():
    return get_user_model().objects.filter(is_active=True, groups__permissions__codename="handle_message").distinct()


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label="承办人", queryset=None, required=False, empty_label="（不指定）")
    department = forms.CharField(label="承办部门", max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = site_editors().order_by("username")
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.get_username()

    def clean_department(self):
        return one_line(self.cleaned_data["department"])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("assignee") and not cleaned.get("department"):
            raise ValidationError("请选择承办人或填写承办部门")
        return cleaned


class _Unreadable(str):
    """What the reply editor posted could not be read as the editor's content (not Draftail's JSON)."""


class ReplyEditor(DraftailRichTextArea):
    """Draftail for replies; a posted value it cannot read becomes a form error, not a server error."""

    def value_from_datadict(self, data, files, name):
        try:
            return super().value_from_datadict(data, files, name)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError):  # json's, and the converter's
            return _Unreadable()


class ReplyField(forms.CharField):
    def to_python(self, value):
        if isinstance(value, _Unreadable):
            raise ValidationError("答复内容无法读取，请刷新页面后重新填写")
        return super().to_python(value)


class ReplyForm(forms.Form):
    reply = ReplyField(label="答复内容", widget=ReplyEditor(features=["bold", "italic", "ol", "ul", "link"]))
    publish = forms.BooleanField(label="公开本次答复（仅当留言人同意公开时生效）", required=False)
    confirm_reason = forms.CharField(
        label="确认理由（选填）", required=False, max_length=500,
        help_text="公开前按全省错敏词表检查留言和答复；含疑似错误或个人信息的，写明理由后才能公开（记入审计记录）",
    )


class InvalidForm(forms.Form):
    reason = forms.ChoiceField(label="无效原因", choices=InvalidReason.choices)
    note = forms.CharField(label="给留言人的说明（选填）", max_length=200, required=False)

    def clean_note(self):
        return one_line(self.cleaned_data["note"])


# --- consultations -----------------------------------------------------------------------


class FeedbackForm(forms.Form):
    """The questions of one consultation, then free comments, optional name and contact, and the captcha."""

    comment = forms.CharField(
        label="意见建议", required=False, widget=forms.Textarea(attrs={"rows": 6}),
        max_length=settings.INTERACTION_BODY_MAX_CHARS,
    )
    name = forms.CharField(label="姓名（选填）", max_length=50, required=False)
    contact = forms.CharField(label="联系方式（选填，不公开）", max_length=100, required=False)
    captcha = captcha_field()

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        fields = {}
        for question in questions:
            name = f"q{question.pk}"
            if question.kind == "choice":
                fields[name] = forms.ChoiceField(
                    label=question.text, required=question.required, widget=forms.RadioSelect,
                    choices=[(choice, choice) for choice in question.choice_list()],
                )
            else:
                fields[name] = forms.CharField(
                    label=question.text, required=question.required, max_length=settings.INTERACTION_BODY_MAX_CHARS,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
        # Questions first, in the editor's order; then the general fields.
        self.fields = {**fields, **self.fields}

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("comment") and not any(self.answers().values()):
            raise ValidationError("请至少回答一个问题或填写意见建议")
        return cleaned

    def clean_comment(self):
        return plain_text(self.cleaned_data["comment"])

    def clean_name(self):
        return one_line(self.cleaned_data["name"])

    def clean_contact(self):
        return one_line(self.cleaned_data["contact"])

    def answers(self):
        return {
            str(question.pk): plain_text(self.cleaned_data.get(f"q{question.pk}") or "")
            for question in self.questions
        }
