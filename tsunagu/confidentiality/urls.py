from django.urls import path

from . import views

app_name = "confidentiality"

urlpatterns = [
    path("privacy/", views.privacy, name="privacy"),
]
