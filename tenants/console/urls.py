from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor, views

app_name = "console"

urlpatterns = [
    path("", views.site_tree, name="sites"),
    path("login/", auth_views.LoginView.as_view(template_name="console/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="console:login"), name="logout"),
    path("login/verify/", two_factor.verify, name="two_factor_verify"),
    path("two-factor/", two_factor.settings_page, name="two_factor"),
    path("two-factor/reset/", two_factor.reset, name="two_factor_reset"),
    path("sites/new/", views.provision, name="provision"),
    path("sites/<int:pk>/", views.site_detail, name="site"),
    path("sites/<int:pk>/suspend/", views.suspend, name="suspend"),
    path("sites/<int:pk>/resume/", views.resume, name="resume"),
    path("sites/<int:pk>/domains/", views.add_domain, name="add_domain"),
    path("sites/<int:pk>/domains/change/", views.domain_action, name="domain_action"),
    path("sites/<int:pk>/accounts/", views.site_accounts_view, name="site_accounts"),
    path("sites/<int:pk>/accounts/<str:username>/", views.site_account, name="site_account"),
    path("search-stats/", views.search_stats, name="search_stats"),
    path("audit/", views.audit_trail, name="audit"),
]
