"""Single sign-on's two addresses: the start (to the provider) and the callback (back from it). Both are 404 unless
single sign-on is configured."""

from django.urls import path

from . import oidc

app_name = "oidc"

urlpatterns = [
    path("authenticate/", oidc.SignInStartView.as_view(), name="sign_in"),
    path("callback/", oidc.SignInCallbackView.as_view(), name="callback"),
]
