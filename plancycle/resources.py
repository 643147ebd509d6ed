"""Where the shipped `templates/` and `hooks/` folders are, installed or in a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def shipped_dir(name: str) -> Path:
    """The shipped folder ``name``: inside the package when installed from a wheel,
    at the top of the source tree when running from a checkout or an editable install."""
    packaged = resources.files("plancycle").joinpath(name)
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"plancycle's {name}/ folder is missing from this installation")
