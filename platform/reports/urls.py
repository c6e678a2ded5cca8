from django.urls import path

from library.models import ReportKind

from . import views

urlpatterns = [
    path("", views.latest, name="annual_reports"),
    path("<int:year>/", views.year_view, name="annual_reports_year"),
]

disclosure_urlpatterns = [
    path("", views.latest, {"kind": ReportKind.DISCLOSURE}, name="disclosure_reports"),
    path("<int:year>/", views.year_view, {"kind": ReportKind.DISCLOSURE}, name="disclosure_reports_year"),
]
