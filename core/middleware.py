"""Middleware: our 404 page in DEBUG too, and for the benchmark only (BENCH_HEADERS=true) how many SQL queries each
request made."""

from django.db import connections
from django.http import Http404

from .views import page_not_found


class NotFoundPageMiddleware:
    """A view's 404 is our "Page not found" page even under DEBUG (`make run`), where Django would show its debug
    page: that lists every URL pattern and the access check's message ("No such partnership."), which tells an
    outsider that the record exists. An address that matches no pattern keeps Django's debug page in DEBUG."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None


class QueryCountHeaderMiddleware:
    """Adds `X-Query-Count` to every response, counting the queries of every database connection."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        wrappers = [connection.execute_wrapper(counter) for connection in connections.all()]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        response["X-Query-Count"] = str(count)
        return response
