"""The "API tokens" page: a person makes named, expiring tokens for their scripts, sees the new one once, and
revokes any of their own."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from . import tokens
from .forms import Form
from .http import post_only, render_form, saved, submitted


class ApiTokenForm(Form):
    name = forms.CharField(
        label="Name",
        max_length=tokens.NAME_MAX_LENGTH,
        help_text="What the token is for, like “Monthly risk export”, so you know which one to revoke.",
    )
    days = forms.TypedChoiceField(label="Expires after", coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = tokens.lifetime_choices()
        self.fields["days"].choices = [(days, f"{days} days") for days in choices]
        self.fields["days"].initial = choices[-1]


@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request):
    """The person's tokens, and the form for a new one; a new token is shown on this answer only."""
    form = ApiTokenForm(**submitted(request))
    issued = saved(request, form, lambda data: tokens.api_token_issue(user=request.user, **data))
    if issued:
        form = ApiTokenForm()
    context = {"form": form, "tokens": tokens.api_tokens_of(request.user), "issued": issued or None}
    response = render_form(request, "account/tokens.html", context)
    add_never_cache_headers(response)  # the one page that ever shows the token itself
    return response


@post_only(redirect_to=lambda request, public_id: "account:api_tokens")
def token_revoke(request, public_id):
    """Revoke one of the person's own tokens (404 for anyone else's)."""
    token = tokens.api_token_revoke(actor=request.user, public_id=public_id)
    messages.success(request, f"The token “{token.name}” has been revoked. It no longer works.")
    return redirect("account:api_tokens")
