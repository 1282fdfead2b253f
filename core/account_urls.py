"""Password change and reset, with Django's views and our NHS.UK templates."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import second_factor_views, session_views, token_views, views

app_name = "account"

urlpatterns = [
    path(
        "password/",
        views.PasswordChangeView.as_view(success_url=reverse_lazy("account:password_change_done")),
        name="password_change",
    ),
    path("password/changed/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password/reset/",
        views.PasswordResetView.as_view(success_url=reverse_lazy("account:password_reset_done")),
        name="password_reset",
    ),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("account:password_reset_complete")),
        name="password_reset_confirm",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        views.InvitationAcceptView.as_view(success_url=reverse_lazy("account:password_reset_complete")),
        name="invitation_accept",
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns += [
    path("tokens/", token_views.token_list, name="api_tokens"),
    path("tokens/<uuid:public_id>/revoke/", token_views.token_revoke, name="api_token_revoke"),
]

urlpatterns += [
    path("sessions/", session_views.session_list, name="sessions"),
    path("sessions/<int:pk>/sign-out/", session_views.session_revoke, name="session_revoke"),
    path("sessions/sign-out-others/", session_views.sessions_revoke_others, name="sessions_revoke_others"),
    path("session/", session_views.session_status, name="session_status"),
    path("session/keep-alive/", session_views.session_keep_alive, name="session_keep_alive"),
]

urlpatterns += [
    path("two-factor/", second_factor_views.overview, name="second_factor"),
    path("two-factor/set-up/", second_factor_views.setup, name="second_factor_setup"),
    path("two-factor/code/", second_factor_views.verify, name="second_factor_verify"),
    path("two-factor/recovery-codes/", second_factor_views.recovery_codes_renew, name="second_factor_recovery_codes"),
    path("two-factor/turn-off/", second_factor_views.turn_off, name="second_factor_turn_off"),
]
