"""Query expressions the ORM lacks."""

from django.db.models import Exists


class ProbedExists(Exists):
    """`EXISTS (…)` that PostgreSQL answers by probing an index once for each outer row.

    For a plain EXISTS the planner may instead read the whole inner table once and hash it (a "hashed SubPlan"), which
    it prefers whenever it expects many outer rows: on a list of 25 decisions, `has_challenge` read every challenge in
    the country. `OFFSET 0` keeps the subquery as it is written (PostgreSQL neither hashes nor flattens a subquery with
    an OFFSET), so its cost follows the rows asked about, not the size of the table. SQLite accepts and ignores it.
    """

    template = "EXISTS(%(subquery)s OFFSET 0)"
