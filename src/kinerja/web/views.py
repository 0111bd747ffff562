from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .queries import agency_summaries


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"agencies": agency_summaries(request.user)})
