from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("kalkulator/", views.calculators, name="calculators"),
    path("kalkulator/<slug:name>/", views.calculator, name="calculator"),
    path("audit/", views.audit_log, name="audit_log"),
    path("healthz", views.health, name="health"),
]
