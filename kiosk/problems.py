"""A problem found in a configuration or content file, named by file and key path; the error that
carries them. A module of its own: the config, the content checks and the headless scripts all report
problems, and none of them needs the others to do it."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ConfigProblem:
    file: str
    key: str
    found: str
    expected: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.found}; expected {self.expected}"


class ConfigError(Exception):
    def __init__(self, problems: list[ConfigProblem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file, or raise ConfigError naming the file and the line."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError([ConfigProblem(str(path), "(file)", "no such file", "a readable TOML file")]) from None
    except OSError as exc:
        raise ConfigError([ConfigProblem(str(path), "(file)", f"cannot read it ({exc.strerror})",
                                         "a readable TOML file")]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError([ConfigProblem(str(path), "(syntax)", str(exc), "valid TOML")]) from None
