"""Find the top-level `prompts/` and `schemas/` folders, in a wheel or in a source checkout.

A wheel carries them inside the package (hatch force-include); an editable install or a plain
checkout has them beside the package, at the repository's top level.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


def resource_dir(name: str) -> Traversable:
    packaged = resources.files("summarizer") / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name
