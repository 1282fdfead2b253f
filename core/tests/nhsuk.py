"""Helpers for the tests that hold our Python-written NHS.UK markup to the NHS.UK macros' own."""

import re

from django.template import engines


def macro_output(path: str, name: str, params) -> str:
    """What the NHS.UK macro `name` in `path` renders for `params`."""
    template = engines["jinja2"].env.from_string(f'{{% from "{path}" import {name} %}}{{{{ {name}(params) }}}}')
    return template.render(params=params)


def normalised(html: str) -> str:
    """Whitespace that a browser ignores (around tags and inside them) taken away, quotes in one style."""
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r"\s*(<|>)\s*", r"\1", html)
    html = re.sub(r"\s*(/?)>", r"\1>", html)
    return html.replace("&#34;", "&quot;").replace("&#39;", "'").strip()
