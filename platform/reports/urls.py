from django.urls import path

from . import views

urlpatterns = [
    path("", views.latest, name="annual_reports"),
    path("<int:year>/", views.year_view, name="annual_reports_year"),
]
