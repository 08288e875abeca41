from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_required
@require_GET
def welcome(request: HttpRequest) -> HttpResponse:
    """Where a new member lands once their address is confirmed: what to do first."""
    return render(request, "accounts/welcome.html")
