"""The application's URLs plus one trivial authenticated view: the baseline of web_bench."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from trading_strategy.urls import urlpatterns as application


@login_required
def trivial(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/trivial", trivial), *application]
