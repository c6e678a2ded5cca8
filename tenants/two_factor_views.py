"""两步验证 pages, the same on the console and in every site's admin (each host its own templates):
the code after the password, and one's own second factor (set up, move to a new phone, new
recovery codes, turn off). The rules are tenants.two_factor's, the changes tenants.actions'.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views import View
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from . import actions, audit, sessions, two_factor
from .models import AuditAction


class CodeField(forms.CharField):
    def to_python(self, value):
        return two_factor.normalized(super().to_python(value))


class CodeForm(forms.Form):
    """The app's 6-digit code; at login a recovery code too (`recovery=True`)."""

    code = CodeField(
        label="验证码", max_length=20,
        help_text="验证器应用中本账号的 6 位数字，每 30 秒更新一次",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 12}),
    )

    def __init__(self, *args, recovery=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.recovery = recovery
        if recovery:
            self.fields["code"].help_text += "；手机不在身边时，可以输入一个恢复码（如 abcd-efgh）"
            self.fields["code"].widget.attrs["inputmode"] = "text"

    def clean_code(self):
        code = self.cleaned_data["code"]
        if two_factor.APP_CODE.fullmatch(code) or (self.recovery and two_factor.RECOVERY_CODE.fullmatch(code)):
            return code
        or_recovery = "，或一个 8 位恢复码" if self.recovery else ""
        raise ValidationError(f"请输入验证器应用中显示的 6 位数字{or_recovery}。")


def next_url(request):
    """Where to go afterwards: the `next` the gate sent along, if it is a page of this host."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return two_factor.home_url_name()


class SignedInView(View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=sessions.login_url(request))
        return super().dispatch(request, *args, **kwargs)

    def context(self, **extra):
        return {"in_console": sessions.in_console(), "next": self.request.POST.get("next")
                or self.request.GET.get("next", ""), **extra}


class VerifyView(SignedInView):
    """The second step of the login: the code of the account's authenticator app, or a recovery code."""

    template_name = "tenants/two_factor_verify.html"

    def get(self, request):
        if two_factor.gate(request) != two_factor.VERIFY:
            return redirect(next_url(request))
        return self.page(CodeForm(recovery=True))

    def post(self, request):
        if two_factor.gate(request) != two_factor.VERIFY:
            return redirect(next_url(request))
        form = CodeForm(request.POST, recovery=True)
        if form.is_valid():
            user = request.user
            try:
                device = two_factor.login_device(user, form.cleaned_data["code"])
            except two_factor.CodeRefused as exc:
                audit.record_here(AuditAction.TWO_FACTOR_FAILED, user=user, username=user.get_username())
                form.add_error("code", exc.messages)
            else:
                if device is not None:
                    request.session.cycle_key()  # a new session key for the now fully signed-in session
                    otp_login(request, device)
                    if isinstance(device, StaticDevice):
                        left = two_factor.recovery_codes_left(user)
                        audit.record_here(AuditAction.RECOVERY_CODE_USED, user=user, username=user.get_username(),
                                          codes_left=left)
                        messages.warning(request, f"您使用了一个恢复码，还剩 {left} 个。手机找回或更换后，"
                                                  "请在“两步验证”页更换验证器或重新生成恢复码。")
                return redirect(next_url(request))
        return self.page(form)

    def page(self, form):
        form.fields["code"].widget.attrs["autofocus"] = True
        return render(self.request, self.template_name, self.context(form=form),
                      status=400 if form.errors else 200)


class SettingsView(SignedInView):
    """One's own second factor. GET: its state; POST op=start|confirm|codes|disable."""

    template_name = "tenants/two_factor.html"

    def get(self, request):
        return self.page(CodeForm())

    def post(self, request):
        user, op = request.user, request.POST.get("op")
        if op == "start":
            actions.start_two_factor_setup(acting_user=user)
            return redirect(self.here())
        form = CodeForm(request.POST)
        try:
            if op == "codes":
                return self.show_codes(actions.new_recovery_codes(acting_user=user))
            if op not in ("confirm", "disable"):
                messages.error(request, "未知操作。")
                return redirect(self.here())
            if form.is_valid():
                if op == "confirm":
                    device, codes = actions.confirm_two_factor(form.cleaned_data["code"], acting_user=user)
                    otp_login(request, device)  # this session has just shown a code: no second prompt
                    return self.show_codes(codes, enabled=True)
                actions.disable_two_factor(form.cleaned_data["code"], acting_user=user)
                messages.success(request, "两步验证已关闭：以后登录只需要密码。")
                return redirect(self.here())
        except two_factor.CodeRefused as exc:
            form.add_error("code", exc.messages)  # on the code field the page shows
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(self.here())
        return self.page(form)

    def here(self):
        return self.request.get_full_path()

    def show_codes(self, codes, enabled=False):
        """The recovery codes, this once (the page is not cached; they are never shown again)."""
        response = render(self.request, self.template_name, self.context(codes=codes, enabled=enabled,
                                                                          **self.extra_context()))
        response["Cache-Control"] = "no-store"
        return response

    def page(self, form):
        user = self.request.user
        device = two_factor.confirmed_device(user)
        pending = two_factor.pending_device(user)
        context = self.context(
            form=form, device=device, pending=pending, required=two_factor.required(user),
            codes_left=two_factor.recovery_codes_left(user) if device else 0, **self.extra_context(),
        )
        if pending:
            # The SVG is made here from our own key and address: nothing in it comes from a request.
            context.update(secret=two_factor.secret_of(pending),
                           qr_svg=mark_safe(two_factor.qr_svg(pending)))  # noqa: S308
        return render(self.request, self.template_name, context, status=400 if form.errors else 200)

    def extra_context(self):
        return {}
