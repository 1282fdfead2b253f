"""The one page size of every API list (named in settings as DRF's DEFAULT_PAGINATION_CLASS)."""

from rest_framework import pagination


class Pagination(pagination.PageNumberPagination):
    # Larger than the pages' 25 (core.http.PAGE_SIZE): a program reads every page, and may ask for up to 200.
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
