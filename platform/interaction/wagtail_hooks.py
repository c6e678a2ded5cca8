"""The 群众留言 inbox in each site's Wagtail admin, for accounts that may handle messages."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .models import Message

app_name = "interaction_admin"
urlpatterns = [
    path("", admin_views.inbox, name="inbox"),
    path("<int:pk>/", admin_views.detail, name="detail"),
    path("<int:pk>/attachment/", admin_views.attachment, name="attachment"),
    path("consultations/", admin_views.consultations, name="consultations"),
    path("consultations/<int:pk>/", admin_views.consultation_feedback, name="consultation_feedback"),
    path("consultations/<int:pk>/csv/", admin_views.consultation_feedback_csv, name="consultation_feedback_csv"),
]


@hooks.register("register_admin_urls")
def register_urls():
    return [path("messages/", include((urlpatterns, app_name), namespace=app_name))]


class InboxMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)

    def render_component(self, request):
        component = super().render_component(request)
        overdue = Message.objects.overdue().count()
        if overdue:
            component.label = f"{self.label}（{overdue} 条超期）"
        return component


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return InboxMenuItem("群众留言", reverse("interaction_admin:inbox"), icon_name="mail", order=250)


class ConsultationsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_consultations_menu_item():
    return ConsultationsMenuItem(
        "征集意见", reverse("interaction_admin:consultations"), icon_name="list-ul", order=251
    )
