"""What core.tables, core.tags and core.fields share in writing out NHS.UK markup."""

from collections.abc import Iterable, Mapping

from markupsafe import escape


def refuse_unknown(component: str, given: Iterable[str], known: frozenset[str]) -> None:
    """Refuse, on the first render, a parameter the Python version of an NHS.UK component has not written."""
    unknown = set(given) - known
    if unknown:
        names = ", ".join(sorted(unknown))
        raise TypeError(f"The {component} takes no {names} (it knows {sorted(known)}).")


def attributes(values: Mapping | None) -> str:
    """` name="value"` for each attribute; values are strings or numbers (the macros' richer forms are not used)."""
    if not values:
        return ""
    for name, value in values.items():
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise TypeError(f"The attribute {name} must be a string or a number, not {value!r}.")
    return "".join(f' {name}="{escape(value)}"' for name, value in values.items())
