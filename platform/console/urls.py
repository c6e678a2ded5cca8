"""The provincial console's URLs (the console hosts, public schema), composed by config.urls_public."""

from django.contrib.auth import views as auth_views
from django.urls import path

from tenants.views import PasswordChangeView

from .views import (
    accounts,
    audit,
    disclosure,
    distributions,
    health,
    jobs,
    lifecycle,
    security,
    sites,
    staff,
    statistics,
    tamper,
    two_factor,
    wording,
)

app_name = "console"

urlpatterns = [
    path("", sites.site_tree, name="sites"),
    path("login/", auth_views.LoginView.as_view(template_name="console/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="console:login"), name="logout"),
    path("login/verify/", two_factor.verify, name="two_factor_verify"),
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path("two-factor/", two_factor.settings_page, name="two_factor"),
    path("staff/", staff.staff_list, name="staff"),
    path("staff/<str:username>/", staff.staff_account, name="staff_account"),
    path("sites/new/", sites.provision, name="provision"),
    path("sites/<int:pk>/", sites.site_detail, name="site"),
    path("sites/<int:pk>/suspend/", lifecycle.lifecycle, {"op": "suspend"}, name="suspend"),
    path("sites/<int:pk>/resume/", lifecycle.lifecycle, {"op": "resume"}, name="resume"),
    path("sites/<int:pk>/archive/", lifecycle.lifecycle, {"op": "archive"}, name="archive"),
    path("sites/<int:pk>/unarchive/", lifecycle.lifecycle, {"op": "unarchive"}, name="unarchive"),
    path("sites/<int:pk>/fold/", lifecycle.lifecycle, {"op": "fold"}, name="fold"),
    path("sites/<int:pk>/delete/", lifecycle.lifecycle, {"op": "delete"}, name="delete"),
    path("sites/<int:pk>/backups/", lifecycle.site_backups_view, name="site_backups"),
    path("backups/", lifecycle.all_backups, name="backups"),
    path("backups/<int:backup_pk>/restore/", lifecycle.restore, name="restore"),
    path("backups/<int:backup_pk>/restore-new/", lifecycle.restore_new, name="restore_new"),
    path("jobs/", jobs.job_list, name="jobs"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job"),
    path("sites/<int:pk>/domains/", sites.add_domain, name="add_domain"),
    path("sites/<int:pk>/domains/change/", sites.domain_action, name="domain_action"),
    path("sites/<int:pk>/accounts/", accounts.site_accounts_view, name="site_accounts"),
    path("sites/<int:pk>/accounts/<str:username>/", accounts.site_account, name="site_account"),
    path("accounts/", accounts.find_accounts, name="find_accounts"),
    path("health/", health.dashboard, name="health"),
    path("health/<int:pk>/", health.site_health, name="site_health"),
    path("applications/", disclosure.applications, name="applications"),
    path("wording/", wording.lists, name="wording"),
    path("wording/terms/add/", wording.add_term, name="wording_add_term"),
    path("wording/terms/<int:pk>/delete/", wording.remove_term, name="wording_remove_term"),
    path("wording/terms/import/", wording.import_terms, name="wording_import"),
    path("wording/terms.csv", wording.export, name="wording_export"),
    path("wording/leaders/add/", wording.add_leader, name="wording_add_leader"),
    path("wording/leaders/<int:pk>/delete/", wording.remove_leader, name="wording_remove_leader"),
    path("tamper/", tamper.incidents, name="tamper"),
    path("tamper/<int:pk>/", tamper.incident, name="tamper_incident"),
    path("search-stats/", statistics.search_stats, name="search_stats"),
    path("analytics/", statistics.page_views, name="analytics"),
    path("distributions/", distributions.distributions, name="distributions"),
    path("distributions/<int:pk>/", distributions.distribution, name="distribution"),
    path("audit/", audit.audit_trail, name="audit"),
    path("security/", security.security, name="security"),
]
