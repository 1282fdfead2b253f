"""The site's addresses plus a local OpenID Connect provider (django-oauth-toolkit), for
core/tests/test_single_sign_on.py: the tests sign in through a provider they start, never an outside one."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from oauth2_provider import views as provider

from stp_portal import urls as site

provider_urls = [
    # The provider's own sign-in: our sign-in page, as LoginRequiredMiddleware and the view's mixin both require.
    path("authorize/", provider.AuthorizationView.as_view(), name="authorize"),
    # Called server to server by the relying party, with no session.
    path("token/", login_not_required(provider.TokenView.as_view()), name="token"),
    path("userinfo/", login_not_required(provider.UserInfoView.as_view()), name="user-info"),
    path(".well-known/jwks.json", login_not_required(provider.JwksInfoView.as_view()), name="jwks-info"),
]

urlpatterns = [
    path("o/", include((provider_urls, "oauth2_provider"))),
    *site.urlpatterns,
]

handler400 = site.handler400
handler403 = site.handler403
handler404 = site.handler404
handler500 = site.handler500
