"""The second-factor pages: setting up an authenticator app, giving a code (at sign-in, and again before signing a
decision), recovery codes, and turning it off for someone who need not have one."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from . import second_factor
from .forms import Form
from .http import next_address, post_only, render_form, saved, submitted
from .models import SecondFactorMethod


class CodeForm(Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        error_messages={"required": "Enter the code from your authenticator app, or a recovery code"},
    )


class SetupCodeForm(Form):
    code = forms.CharField(
        label="Code from the app",
        max_length=20,
        help_text="The 6-digit code the app shows for STP Portal once you have added it.",
        error_messages={"required": "Enter the 6-digit code your authenticator app shows"},
    )


def ask_for_code(request, page: str = "account:second_factor_verify", *, form_page: bool = False):
    """Send the person to the code page (or the set-up `page`), to come back afterwards to the page they asked for:
    after a GET, or a POST of a `form_page` (whose address shows the form again); any other POST cannot be replayed,
    so the person starts again from where they choose."""
    address = reverse(page)
    if form_page or request.method in ("GET", "HEAD"):
        address += "?" + urlencode({"next": request.get_full_path()})
    return redirect(address)


@require_GET
def overview(request):
    user = request.user
    context = {
        "has_app": second_factor.has_second_factor(user),
        "must": second_factor.must_use_second_factor(user),
        "codes_left": second_factor.recovery_codes_left(user),
        "step_up_minutes": settings.SECOND_FACTOR_STEP_UP_MINUTES,
    }
    return render(request, "account/second_factor.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def setup(request):
    """Scan the QR code (or type the key), then prove it with a code. Someone who owes a code at sign-in must give
    it first: otherwise a password alone could replace the app."""
    if second_factor.pending(request) == second_factor.VERIFY:
        return redirect("account:second_factor_verify")
    form = SetupCodeForm(**submitted(request))
    codes = saved(request, form, lambda data: second_factor.app_setup_confirm(user=request.user, code=data["code"]))
    if codes:
        second_factor.mark_verified(request, SecondFactorMethod.APP)
        return _recovery_codes_page(request, codes, set_up=True)
    device = second_factor.app_setup_start(request.user)
    context = {
        "form": form,
        "qr_svg": second_factor.app_qr_svg(device),
        "key": second_factor.app_key_text(device),
        "replacing": second_factor.has_second_factor(request.user),
        "must": second_factor.pending(request) == second_factor.ENROL,
        "next": next_address(request),
    }
    response = render_form(request, "account/second_factor_setup.html", context)
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """Give a code: at sign-in (the person can do nothing else until then), or before signing a decision when the
    last code is older than the step-up limit."""
    if not second_factor.has_second_factor(request.user):
        return redirect("account:second_factor_setup")
    form = CodeForm(**submitted(request))
    method = saved(request, form, lambda data: second_factor.check_code(request.user, data["code"]))
    if method:
        second_factor.mark_verified(request, method)
        if method == SecondFactorMethod.RECOVERY_CODE:
            left = second_factor.recovery_codes_left(request.user)
            messages.warning(
                request,
                f"You used a recovery code: {left} left. If you have lost your phone, set up your app again and make "
                "new recovery codes on the Sign-in security page.",
            )
        return redirect(next_address(request, default="core:start"))
    context = {
        "form": form,
        "at_sign_in": second_factor.pending(request) == second_factor.VERIFY,
        "step_up_minutes": settings.SECOND_FACTOR_STEP_UP_MINUTES,
        "next": next_address(request),
    }
    return render_form(request, "account/second_factor_verify.html", context)


@post_only(redirect_to="account:second_factor")
def recovery_codes_renew(request):
    form = Form(data={})
    codes = saved(request, form, lambda data: second_factor.recovery_codes_renew(user=request.user))
    if not codes:
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect("account:second_factor")
    return _recovery_codes_page(request, codes, set_up=False)


@post_only(redirect_to="account:second_factor")
def turn_off(request):
    form = Form(data={})
    if saved(request, form, lambda data: second_factor.second_factor_turn_off(user=request.user)):
        messages.success(request, "Your second factor is turned off. You sign in with your password alone.")
    else:
        messages.error(request, " ".join(form.non_field_errors()))
    return redirect("account:second_factor")


def _recovery_codes_page(request, codes: list[str], *, set_up: bool):
    """The codes, shown on this answer only (never stored where the page could show them again)."""
    context = {"codes": codes, "set_up": set_up, "next": next_address(request)}
    response = render(request, "account/second_factor_recovery_codes.html", context)
    add_never_cache_headers(response)
    return response
