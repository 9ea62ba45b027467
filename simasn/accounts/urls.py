from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("otp/", views.otp_view, name="otp"),
    path("kata-sandi/", views.password_change, name="password_change"),
    path("perangkat/", views.devices, name="devices"),
]
