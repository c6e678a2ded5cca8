"""URLs of every government site (any site host). The console has its own (urls_public)."""

from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from analytics.views import beacon
from interaction import error_reports
from reports.urls import disclosure_urlpatterns as disclosure_reports_urls
from search.views import search
from tenants.two_factor_views import SettingsView as TwoFactorSettingsView
from tenants.two_factor_views import VerifyView as TwoFactorVerifyView
from tenants.views import PasswordChangeView, serve_media

urlpatterns = [
    # Before Wagtail's admin: an editor's own new password (also the page an issued password leads to).
    path("admin/password/", PasswordChangeView.as_view(), name="govsites_password_change"),
    # Also before it: the code after the password, and one's own second factor (tenants/two_factor.py).
    path("admin/two-factor/verify/", TwoFactorVerifyView.as_view(), name="govsites_two_factor_verify"),
    path("admin/two-factor/", TwoFactorSettingsView.as_view(), name="govsites_two_factor"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    re_path(r"^media/(?P<path>.+)$", serve_media, name="site_media"),
    # The mailbox captcha's images (drawn here; no outside service).
    path("captcha/", include("captcha.urls")),
    # The page-view beacon (analytics): no cookie, no personal data, counters per page and day.
    path("_count/<int:page_id>/", beacon, name="count_view"),
    # 纠错: the public's error report about a page (every page links here with its address), and its look-up.
    path("jiucuo/", error_reports.report, name="error_report"),
    path("jiucuo/query/", error_reports.query, name="error_report_query"),
    # Chinese search over this site, the sites below it, or the whole province.
    path("search/", search, name="site_search"),
    # 年度报表汇总: the annual reports of this site and the sites below it (sites with sites below only).
    path("ndbb/", include("reports.urls")),
    # 政府信息公开工作年度报告汇总, the same for the disclosure reports, with each site's deadline.
    path("gknb/", include(disclosure_reports_urls)),
    # 网站地图, sitemap.xml, RSS feeds; robots.txt and the pattern library (DEBUG only).
    path("", include("columns.urls")),
    path("", include("themes.urls")),
    path("", include(wagtail_urls)),
]
