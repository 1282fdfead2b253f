"""The benchmark's URLs: the product's, plus the yardstick routes, which exist nowhere else. Selected as
ROOT_URLCONF only when BENCH_HEADERS is on (stp_portal/settings/base.py), which only `make bench` sets."""

from django.urls import path

from bench.views import PlainDecisionListView
from stp_portal.urls import handler400, handler403, handler404, handler500
from stp_portal.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("bench/partnerships/<str:code>/decisions/", PlainDecisionListView.as_view(), name="bench_plain_decisions"),
    *product_urlpatterns,
]

__all__ = ["urlpatterns", "handler400", "handler403", "handler404", "handler500"]
