"""The banner in a site's admin: editors are told of their site's vetoes and near-vetoes, once a day."""

from django.contrib import messages
from django.utils import timezone

from .models import SiteHealth

SESSION_KEY = "monitoring_notice_day"


class SiteHealthNoticeMiddleware:
    """On an editor's first admin page of the day, a warning message if the site has vetoes or warnings.

    Wagtail shows messages at the top of every admin page. One indexed look-up, once per
    session and day; nothing on public pages or the console.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        site = getattr(request, "site_tenant", None)
        if (site is not None and request.method == "GET" and request.path.startswith("/admin/")
                and request.user.is_authenticated):
            today = timezone.localdate().isoformat()
            if request.session.get(SESSION_KEY) != today:
                request.session[SESSION_KEY] = today
                health = SiteHealth.objects.filter(site=site).only("vetoes", "warnings").first()
                if health is not None and (health.vetoes or health.warnings):
                    messages.warning(
                        request,
                        f"网站监测：本站有 {health.vetoes} 项单项否决、{health.warnings} 项临近否决，"
                        "详见控制面板的“网站监测”，请尽快处理。",
                    )
        return self.get_response(request)
