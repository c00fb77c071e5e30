"""The exceptions and warnings of LDN Atlas.

::

    AtlasError                      base of every error the CLI reports in one line
    ├── InputError                  a file or record cannot be read (path, line, field)
    │   └── EvidenceValidationError an evidence record breaks the model
    ├── StoreError                  the store cannot be opened, migrated or written
    └── NotFoundError               an id that is not in the store

    AtlasWarning                    base of the warnings
    ├── DecodingWarning             text decoded with replacement characters
    └── DataWarning                 rows dropped, values adjusted

Statistical warnings (``ConvergenceWarning``, ``StatisticalWarning``) live in
:mod:`ldn_atlas.stats`, beside the code that raises them.
"""

from __future__ import annotations


class AtlasError(Exception):
    """An error with a one-line message meant for the user."""


class InputError(AtlasError, ValueError):
    """Input that cannot be read. ``location`` is ``file:line`` when known."""

    def __init__(self, message: str, *, location: str | None = None, field: str | None = None) -> None:
        self.location = location
        self.field = field
        parts = [p for p in (location, field) if p]
        super().__init__(": ".join([*parts, message]))


class EvidenceValidationError(InputError):
    """An evidence record that breaks the evidence model."""


class StoreError(AtlasError):
    """The store cannot be opened, migrated or written."""


class NotFoundError(AtlasError, KeyError):
    """An identifier that is not in the store."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it plain
        return str(self.args[0]) if self.args else ""


class AtlasWarning(UserWarning):
    """Base class of LDN Atlas warnings."""


class DecodingWarning(AtlasWarning):
    """Text was not valid UTF-8 and was decoded with replacement characters."""


class DataWarning(AtlasWarning):
    """Rows were dropped or values adjusted."""
