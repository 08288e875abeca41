"""Our own account pages, beside allauth's under /accounts/ (and /fr/accounts/)."""

from django.urls import URLPattern, path

from accounts import views

app_name = "accounts"

urlpatterns: list[URLPattern] = [
    path("welcome/", views.welcome, name="welcome"),
]
