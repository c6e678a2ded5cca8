"""Sessions: ended at once (disabled, password reset, two-factor device removed), and after a time;
held to the password page after an issued password; and where administration may come from."""

import ipaddress
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.models import Session
from django.db import connection
from django.shortcuts import redirect, render
from django.urls import reverse
from django_tenants.utils import get_public_schema_name

from .audit import client_address


def end_sessions(user):
    """Delete the sessions of the current schema signed in as `user`; returns how many.

    Sessions store the user id inside their signed data, so each is decoded: fine for the
    few thousand live sessions a site or the console has.
    """
    key = str(user.pk)
    doomed = [s.session_key for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == key]
    Session.objects.filter(session_key__in=doomed).delete()
    return len(doomed)


class SessionTimeoutMiddleware:
    """A signed-in session ends after SESSION_IDLE_TIMEOUT without a request, and SESSION_ABSOLUTE_AGE
    after its login, whatever happens in between (等保: idle-session time-out), in the console and in
    every site's admin. The next request is signed out (audited as a logout with its reason) and sent
    to that host's login page with a note saying why.

    Not django-session-timeout: it has either limit but not both, and one login page for every host.
    Requests a page makes by itself (the job page's status updates send X-Background-Refresh) do not
    count as activity. The time of the last request is written at most once a minute.
    """

    LAST_SEEN = "_govsites_last_seen"
    LOGIN_AT = "_govsites_login_at"
    WRITE_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not signed_in_area(request):
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            session = request.session
            login_at = session.setdefault(self.LOGIN_AT, now)
            last_seen = session.get(self.LAST_SEEN, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT.total_seconds():
                return self._signed_out(request, "idle")
            if now - login_at > settings.SESSION_ABSOLUTE_AGE.total_seconds():
                return self._signed_out(request, "absolute")
            own_request = not request.headers.get("X-Background-Refresh")
            if own_request and now - session.get(self.LAST_SEEN, 0) > self.WRITE_EVERY:
                session[self.LAST_SEEN] = now
        return self.get_response(request)

    def _signed_out(self, request, reason):
        request.logout_reason = reason  # tenants.logins records it with the logout
        logout(request)
        minutes = int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)
        hours = int(settings.SESSION_ABSOLUTE_AGE.total_seconds() // 3600)
        messages.info(request, f"超过 {minutes} 分钟未操作，已自动退出登录，请重新登录。" if reason == "idle"
                      else f"登录已满 {hours} 小时，已自动退出，请重新登录。")
        login = login_url(request)
        if request.method in ("GET", "HEAD"):
            return redirect_to_login(request.get_full_path(), login_url=login)
        return redirect(login)


def signed_in_area(request):
    """Whether the request is one where being signed in matters: the console, or a site's /admin/.

    Elsewhere (a site's public pages) the session is not even read: those pages are the same bytes
    for everyone, cached at the edge, and must get neither `Vary: Cookie` nor a Set-Cookie from here,
    whoever sends a session cookie (an editor looking at the site, a stale cookie).
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return in_console() or request.path.startswith("/admin/")


def in_console():
    return connection.schema_name == get_public_schema_name()


def login_url(request):
    """The login page of the host being served: the console's, or the site admin's."""
    return reverse("console:login" if in_console() else "wagtailadmin_login", urlconf=getattr(request, "urlconf", None))


# Set at login when the console issued the account's password (tenants.passwords.require_change).
MUST_CHANGE_PASSWORD = "_govsites_must_change_password"  # noqa: S105 (a session key, not a password)


class PasswordChangeMiddleware:
    """An account whose password the console issued sees only the password page until it has chosen its own.

    Checked once, at login (tenants.logins), then carried in the session; every other request of
    the session (but logging out) is sent to the page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if signed_in_area(request) and request.session.get(MUST_CHANGE_PASSWORD):
            urlconf = getattr(request, "urlconf", None)
            console = in_console()
            change = reverse("console:password_change" if console else "govsites_password_change", urlconf=urlconf)
            logout_path = reverse("console:logout" if console else "wagtailadmin_logout", urlconf=urlconf)
            if request.path not in (change, logout_path):
                return redirect(change)
        return self.get_response(request)


class AdminReachMiddleware:
    """The console and every site's /admin/ answer only to ADMIN_ALLOWED_NETWORKS, when it is set (等保:
    administration from known networks only); a site's public pages answer everyone.

    The address is the one nginx saw (tenants.audit.client_address). The health check (/-/) stays
    reachable for load balancers. Set the same networks in nginx too (deploy/nginx/govsites.conf).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        networks = settings.ADMIN_ALLOWED_NETWORKS
        if networks and not request.path.startswith("/-/") and (in_console() or request.path.startswith("/admin/")):
            address = ipaddress.ip_address(client_address(request))
            if not any(address in network for network in networks):
                response = render(request, "tenants/admin_unreachable.html", {"address": address}, status=403)
                response["Cache-Control"] = "no-store"
                return response
        return self.get_response(request)
