"""The audit's checks, one module per family; codes by hundreds as in a linter (AUD1xx, AUD2xx, ...)."""
