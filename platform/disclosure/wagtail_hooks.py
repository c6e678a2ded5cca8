"""依申请公开 in each site's Wagtail admin, for the disclosure office (and the site's administrators)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .models import Application

app_name = "disclosure_admin"
urlpatterns = [
    path("", admin_views.inbox, name="inbox"),
    path("register/", admin_views.register, name="register"),
    path("<int:pk>/", admin_views.detail, name="detail"),
    path("<int:pk>/files/<int:file_pk>/", admin_views.download, name="download"),
    path("<int:pk>/notice.pdf", admin_views.notice, name="notice"),
]


@hooks.register("register_admin_urls")
def register_urls():
    return [path("disclosure/", include((urlpatterns, app_name), namespace=app_name))]


class InboxMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)

    def render_component(self, request):
        component = super().render_component(request)
        overdue = Application.objects.overdue().count()
        if overdue:
            component.label = f"{self.label}（{overdue} 件超期）"
        return component


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return InboxMenuItem("依申请公开", reverse("disclosure_admin:inbox"), icon_name="doc-full", order=252)
