from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core.http import post_only
from core.views import SignInView

urlpatterns = [
    path("", include("core.urls")),
    path("sign-in/", SignInView.as_view(), name="login"),
    # Signing out is a button, never a link (a GET that signed people out could be triggered by any page); a GET
    # of its address goes to the start page, whose header has the button.
    path("sign-out/", post_only(redirect_to="core:start")(auth_views.LogoutView.as_view()), name="logout"),
    path("account/", include("core.account_urls")),
    # Single sign-on (core/oidc.py): 404 unless configured.
    path("oidc/", include("core.oidc_urls")),
    path("", include("partnerships.urls")),
    path("", include("workstreams.urls")),
    path("", include("engagement.urls")),
    path("", include("governance.urls")),
    path("", include("reporting.urls")),
    path("api/v1/", include(("stp_portal.api_urls", "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, so the CSP needs no inline script.
    # Signed-in people only, like the schema (SERVE_PERMISSIONS); a browser is sent to sign in rather than refused.
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/docs.html")),
        name="api_docs",
    ),
    path("admin/", admin.site.urls),
]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
