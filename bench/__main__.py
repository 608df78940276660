"""Run every benchmark module in bench/ (or those named), each a module with main()."""
from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time
import traceback

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

ORDER = ["kiosk", "store", "crowd", "traffic", "hardware", "hub"]


def main(argv: list[str]) -> int:
    here = os.path.dirname(__file__)
    helpers = {"common"}  # shared by the benchmarks, not one of them
    names = [m.name for m in pkgutil.iter_modules([here]) if not m.name.startswith("_") and m.name not in helpers]
    names.sort(key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    chosen = [n for n in names if not argv or n in argv]
    failed = []
    for name in chosen:
        print(f"\n=== bench {name} ===", flush=True)
        start = time.perf_counter()
        try:
            importlib.import_module(f"bench.{name}").main()
        except Exception:
            traceback.print_exc()
            failed.append(name)
        print(f"--- {name}: {time.perf_counter() - start:.1f} s", flush=True)
    if failed:
        print("benchmarks that crashed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
