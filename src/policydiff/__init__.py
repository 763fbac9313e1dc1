"""policydiff: keep written policies under version control and say exactly what changed."""

__version__ = "0.1.0"
