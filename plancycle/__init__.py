"""plancycle: keep planning documents honest with git."""

__version__ = "0.1.0"
