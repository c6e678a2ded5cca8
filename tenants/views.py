"""Platform-level responses that do not belong to any one site."""

import platform
import posixpath
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.cache import caches
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils._os import safe_join
from wagtail.images import get_image_model

from . import sessions
from .models import FoldedPath, GovSite
from .sendfile import accel_response


def bad_host(request):
    return render(request, "platform/bad_host.html", status=400)


def unknown_host(request, host):
    return render(request, "platform/unknown_host.html", {"host": host[:253]}, status=404)


def site_suspended(request, site):
    response = render(request, "platform/suspended.html", {"site": site}, status=503)
    response["Retry-After"] = "3600"
    response["Cache-Control"] = "no-store"
    return response


def site_archived(request, site):
    """An archived site refuses every change (publishing, editing, a citizen's message), saying where to go."""
    successor = site.successor if site.successor_id else None
    context = {"site": site, "successor": successor, "successor_url": successor.base_url() if successor else None}
    response = render(request, "platform/archived.html", context, status=403)
    response["Cache-Control"] = "no-store"
    return response


def folded_site(request, site):
    """A folded township's address: 301 to the same content on its county's site, with the query string."""
    path = request.path
    segments = path.split("/")
    candidates = {path} | {"/".join(segments[:i]) + "/" for i in range(1, len(segments))}
    found = dict(FoldedPath.objects.filter(site=site, old_path__in=candidates).values_list("old_path", "new_path"))
    county = GovSite.objects.filter(pk=site.successor_id).prefetch_related("domains").first()
    county_host = county.primary_domain() if county is not None else None
    if not found or county_host is None:
        return render(request, "platform/unknown_host.html", {"host": request.get_host()[:253]}, status=404)
    matched = max(found, key=len)
    target = found[matched]
    if matched != path and matched != "/":
        target += path[len(matched):]  # a sub-address of a moved page (a reply under its mailbox)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(url_on(request, county_host.domain, target + (f"?{query}" if query else "")))


def url_on(request, host, path):
    """`path` on another host of the platform, by the scheme this request came in on and the port its
    client asked for (the Host header's: behind nginx and the edge, gunicorn's own port is no client's)."""
    asked = request.get_host()
    port = asked.rsplit(":", 1)[1] if ":" in asked and not asked.endswith("]") else ""
    default_port = "443" if request.is_secure() else "80"
    netloc = host if port in (default_port, "") else f"{host}:{port}"
    scheme = "https" if request.is_secure() else "http"
    return f"{scheme}://{netloc}{path}"


# Served only by Wagtail's document view (/documents/<id>/<name>), which applies collection
# privacy, the attachment disposition, nosniff and a sandboxing CSP.
_NOT_MEDIA = ("documents/",)


def serve_media(request, path):
    """Serve a file of the current site only (the storage location is per schema).

    Documents are never served here, and an image's original only when its collection is
    open to everyone (renditions are public: they are what pages show). In production nginx
    sends the bytes (tenants.sendfile) once this view has decided.
    """
    path = posixpath.normpath(path).lstrip("/")
    if path.startswith(_NOT_MEDIA) or path in (".", ".."):
        raise Http404("文件不存在")
    location = Path(default_storage.location)
    try:
        full = Path(safe_join(location, path))
    except (SuspiciousFileOperation, ValueError) as exc:  # ../ tricks, a NUL byte
        raise Http404("文件不存在") from exc
    if not full.is_file():
        raise Http404("文件不存在")
    if path.startswith("original_images/") and _in_private_collection(path):
        raise Http404("文件不存在")
    if settings.MEDIA_ACCEL_REDIRECT_PREFIX:
        return accel_response(full)
    return FileResponse(full.open("rb"))


def _in_private_collection(name):
    image = get_image_model().objects.filter(file=name).select_related("collection").first()
    return image is not None and image.collection.get_view_restrictions().exists()


def health(request):
    """For load balancers and probes: can this node serve, and what does it run without?

    200 while PostgreSQL answers: "ok", or "degraded" when the shared cache (Redis) does not
    (pages are still served, only slower: tenants/cache.py); 503 when PostgreSQL does not, so
    the balancer takes the node out. It also names the Python implementation through the stdlib
    `platform` module, which proves in the serving process that platform/ does not shadow it.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # any database failure is reported, not raised
        database = "unavailable"
    ping = getattr(caches["default"], "ping", None)  # a local cache has nothing to lose
    cache = "ok" if ping is None or ping() else "unavailable"
    if database != "ok":
        state, status = "unavailable", 503
    else:
        state, status = ("ok" if cache == "ok" else "degraded"), 200
    payload = {"status": state, "database": database, "cache": cache, "python": platform.python_implementation()}
    return JsonResponse(payload, status=status, headers={"Cache-Control": "no-store"})


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login, in the console and in every site's admin (429)."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes,
               "by_address": getattr(request, "login_address_throttled", False)}
    response = render(request, "tenants/lockout.html", context, status=429)
    response["Cache-Control"] = "no-store"
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """An account chooses its own password: the one page an account with an issued password may see.

    The same page on the console and in every site's admin (tenants.sessions.PasswordChangeMiddleware
    sends such an account here); Django's form, checked by every AUTH_PASSWORD_VALIDATORS rule.
    """

    template_name = "tenants/password_change.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=sessions.login_url(request))
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("console:sites" if sessions.in_console() else "wagtailadmin_home",
                       urlconf=getattr(self.request, "urlconf", None))

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop(sessions.MUST_CHANGE_PASSWORD, None)
        messages.success(self.request, "密码已修改。")
        return response

    def get_context_data(self, **kwargs):
        must = self.request.session.get(sessions.MUST_CHANGE_PASSWORD, False)
        return super().get_context_data(**kwargs, must_change=must, in_console=sessions.in_console(),
                                        expiry_days=settings.PASSWORD_EXPIRY_DAYS)
