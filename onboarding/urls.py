from django.urls import path

from . import views

urlpatterns = [
    path("accounts/register/", views.register_view, name="register"),
    path("accounts/register/verify/<str:token>/", views.verify_view, name="register_verify"),
]
