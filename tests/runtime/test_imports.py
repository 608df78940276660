"""The runtime's import graph, read from the source: kiosk/ modules import each other without a cycle
(counting imports inside functions and type-only imports, which would otherwise hide one), an import
inside a function is the entry point's choice only, and nothing but the entry point holds the App."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KIOSK = ROOT / "kiosk"
ENTRY_POINT = "kiosk.__main__"
# Imports inside functions that are allowed, with the reason. Each `kiosk` command imports what it
# needs when it runs, so `kiosk stats` or `kiosk hash-pin` start without pygame or the stations.
FUNCTION_IMPORTS_ALLOWED = {
    "kiosk.__main__": "the entry point: each command loads only what it needs",
    "kiosk.sync.cli": "`kiosk sync` and `kiosk export`: each loads the uploader or the bundle writer when run",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(KIOSK.rglob("*.py"))}


def imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The full names an import statement names (`from a import b` names a.b and a)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[:len(package) - node.level + 1]
        base = ".".join(package + ([base] if base else []))
    return [base] + [f"{base}.{alias.name}" for alias in node.names]


def kiosk_module(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> list[tuple[str, bool, int]]:
    """(imported kiosk module, inside a function, line) for every import of the module, whatever guards it."""
    path = MODULES[module]
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for name in imported(child, module, path.name == "__init__.py"):
                    target = kiosk_module(name) if name.startswith("kiosk") else name
                    if target and target != module:
                        found.append((target, inside, child.lineno))
            visit(child, inside)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a list of modules, or None."""
    state: dict[str, int] = {}      # 1: on the current path, 2: done
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = walk(nxt)
                if cycle:
                    return cycle
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state:
            cycle = walk(start)
            if cycle:
                return cycle
    return None


def test_the_scan_reads_the_runtime():
    assert {"kiosk.app", "kiosk.navigation", "kiosk.config", "kiosk.groups.manager"} <= set(MODULES)
    assert ("kiosk.navigation", False) in {(t, f) for t, f, _ in imports_of("kiosk.app")}
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_kiosk_modules_import_each_other_without_a_cycle():
    graph = {m: {t for t, _inside, _line in imports_of(m) if t in MODULES} for m in MODULES}
    cycle = find_cycle(graph)
    assert cycle is None, "an import cycle: " + " -> ".join(cycle)


def test_imports_inside_functions_are_the_entry_points_only():
    found = sorted({f"{MODULES[m].relative_to(ROOT)}:{line} imports {target}"
                    for m in MODULES if m not in FUNCTION_IMPORTS_ALLOWED
                    for target, inside, line in imports_of(m) if inside})
    assert not found, "imports inside functions (move them to the top of the module):\n" + "\n".join(found)


def test_only_the_entry_point_imports_the_app():
    sources = [p for package in ("kiosk", "stations", "hardware", "hub") for p in sorted((ROOT / package).rglob("*.py"))]
    holders = []
    for path in sources:
        module = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and module != ENTRY_POINT:
                names = imported(node, module, path.name == "__init__.py")
                if "kiosk.app" in names or any(n.startswith("kiosk.app.") for n in names):
                    holders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not holders, "modules that import kiosk.app: " + ", ".join(holders)
