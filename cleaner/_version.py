"""The package's version: one place, read by pyproject.toml (setuptools' dynamic version), by
``cleaner.__version__`` and ``cleaner --version``, and by the compiled-rules cache key."""

__version__ = "0.2.0"
