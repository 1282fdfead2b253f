"""The partnerships REST API (to be written)."""

urlpatterns = []
