"""Reads for the governance pages, the API and the exports: each in a fixed number of queries."""
