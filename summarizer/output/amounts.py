"""A quantity's figure as text, in the two forms our outputs write it.

`amount(q)` is for people (the Markdown summary): digits grouped, up to 12 significant digits, an
en dash between a range's ends, "malformed figure \u201c11,00\u201d (not read)". `amount(q, compact=True)`
is the digest's (its item texts and keys): `%g` (6 significant digits, so 15,000,000,000 is
"1.5e+10"), a hyphen, "11,00 (malformed)". Digests are keyed on the compact form, so changing it
changes which items merge.
"""

from __future__ import annotations

from summarizer.output.summary import Quantity


def amount(q: Quantity, *, compact: bool = False) -> str:
    """The figure with its range end and unit (600; 30\u201340 percent; 40,000,000,000 USD)."""
    if q.value is None and compact:
        return f"{q.written} (malformed)"
    if q.value is None:
        return f"malformed figure \u201c{q.written}\u201d (not read)"
    number, dash = ("g", "-") if compact else (",.12g", "\u2013")
    high = f"{dash}{q.range_high:{number}}" if q.range_high is not None else ""
    figure = f"{q.value:{number}}{high}"
    return f"{figure} {q.unit}" if q.unit else figure
