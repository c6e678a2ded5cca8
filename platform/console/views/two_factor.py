"""两步验证: the console's optional TOTP second factor (the rules in tenants/two_factor.py, the changes
in tenants.actions.staff).

- verify: after the password, the 6-digit code of an account that has a device;
- 两步验证: set up (secret and QR code, confirmed by a code) or turn off (a current code) one's
  own second factor. Every staff account may, a supervisor's too: it is their own login, not
  a change to any site. Administrators also see who has it on and reset another account's
  device when its phone is lost.
"""

from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants import actions, audit, staff_roles, two_factor

from ..access import administrator_required, staff_required


class CodeField(forms.CharField):
    def to_python(self, value):
        return "".join(super().to_python(value).split())  # "123 456" as some apps show it


class CodeForm(forms.Form):
    code = CodeField(
        label="验证码", max_length=20,
        validators=[RegexValidator(r"^\d{6}$", "请输入验证器应用中显示的 6 位数字。")],
        help_text="验证器应用中本平台账号的 6 位数字，每 30 秒更新一次",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}),
    )


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "console:sites"


@partial(staff_required, verified=False)
def verify(request):
    """The second step of the login: the code of the account's authenticator app."""
    if not two_factor.needs_code(request):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    form.fields["code"].widget.attrs["autofocus"] = True
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.login_device(request.user, form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.messages)
        else:
            if device is not None:
                request.session.cycle_key()  # a new session key for the now fully signed-in session
                otp_login(request, device)
            return redirect(_next_url(request))
    return render(request, "console/two_factor_verify.html", {
        "form": form, "next": request.POST.get("next") or request.GET.get("next", ""),
    }, status=400 if form.errors else 200)


@staff_required
def settings_page(request):
    """One's own second factor (GET: its state; POST op=start|confirm|disable); administrators: everyone's."""
    user = request.user
    op = request.POST.get("op") if request.method == "POST" else None
    form = CodeForm(request.POST if op in ("confirm", "disable") else None)
    source = audit.client_address(request)
    if op == "start":
        if two_factor.confirmed_device(user) is None:
            actions.start_two_factor_setup(acting_user=user, source=source)
        return redirect("console:two_factor")
    if op in ("confirm", "disable") and form.is_valid():
        try:
            if op == "confirm":
                device = actions.confirm_two_factor(form.cleaned_data["code"], acting_user=user, source=source)
                otp_login(request, device)  # this session has just shown a code: no second prompt
                done = "两步验证已开启：以后每次登录，输入密码后还要输入验证器应用中的验证码。"
            else:
                actions.disable_two_factor(form.cleaned_data["code"], acting_user=user, source=source)
                done = "两步验证已关闭：以后登录只需要密码。"
        except ValidationError as exc:
            form.add_error("code", exc.messages)
        else:
            messages.success(request, done)
            return redirect("console:two_factor")
    elif op is not None and op not in ("confirm", "disable"):
        messages.error(request, "未知操作。")
        return redirect("console:two_factor")

    device = two_factor.confirmed_device(user)
    pending = None if device else two_factor.pending_device(user)
    context = {"device": device, "pending": pending, "form": form}
    if pending:
        # The SVG is made here from our own key and address: nothing in it comes from a request.
        context.update(secret=two_factor.secret_of(pending), qr_svg=mark_safe(two_factor.qr_svg(pending)))  # noqa: S308
    if staff_roles.can_administer(user):
        context["staff"] = get_user_model().objects.filter(is_staff=True).annotate(
            has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        ).order_by("username")
    return render(request, "console/two_factor.html", context, status=400 if form.errors else 200)


@require_POST
@administrator_required
def reset(request):
    """An administrator removes another staff account's device (its phone is lost); audited."""
    user = get_object_or_404(get_user_model(), username=request.POST.get("username", ""), is_staff=True)
    try:
        actions.reset_staff_two_factor(user, acting_user=request.user, source=audit.client_address(request))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已重置 {user.get_username()} 的两步验证：该账号下次登录只需密码，可重新设置。")
    return redirect("console:two_factor")
