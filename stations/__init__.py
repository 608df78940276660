"""The exhibit modules. Each sub-package exports `Station` and is declared in pyproject.toml."""
