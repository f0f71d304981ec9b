"""The import rules of STYLE.md: physics knows no Dask/Zarr/cards, the store knows no physics.

Read from the source with ``ast`` (every import statement, also those inside functions).
"""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).parents[1] / "ekodask"

PURE = ["physics", "interpolation.py", "mellin.py", "evolution.py", "matching.py"]
PURE_ALLOWED = (
    "numpy",
    "scipy",
    "ekodask.physics",
    "ekodask.interpolation",
    "ekodask.mellin",
    "ekodask.evolution",
    "ekodask.matching",
    "ekodask.pids",
    "ekodask.errors",
    "ekodask.options",
    "ekodask.contraction",
    "ekodask.thresholds",
)


def _modules(entry: str) -> list[Path]:
    path = PKG / entry
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _imports(path: Path) -> set[str]:
    """Absolute names of everything a module imports."""
    rel = path.relative_to(PKG.parent).with_suffix("")
    package = list(rel.parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            names.add(mod)
            names.update(f"{mod}.{a.name}" for a in node.names if mod.startswith("ekodask"))
    return names


def _stdlib(name: str) -> bool:
    import sys

    return name.split(".")[0] in sys.stdlib_module_names or name == "__future__"


@pytest.mark.parametrize("path", [p for e in PURE for p in _modules(e)], ids=str)
def test_physics_is_pure_numpy(path):
    bad = {n for n in _imports(path) if not _stdlib(n) and not n.startswith(PURE_ALLOWED)}
    assert not bad, f"{path.name} imports {sorted(bad)}"


@pytest.mark.parametrize("path", _modules("store"), ids=str)
def test_store_knows_no_physics_or_cards(path):
    bad = {
        n
        for n in _imports(path)
        if n.startswith(
            (
                "ekodask.physics",
                "ekodask.cards",
                "ekodask.operators",
                "ekodask.evolution",
                "ekodask.matching",
                "ekodask.graph",
            )
        )
    }
    assert not bad, f"{path.name} imports {sorted(bad)}"


def test_cards_import_no_physics():
    allowed = ("ekodask.errors", "ekodask.options", "ekodask.hashing", "ekodask.thresholds")
    assert not {
        n
        for n in _imports(PKG / "cards.py")
        if n.startswith("ekodask.") and not n.startswith(allowed)
    }


@pytest.mark.parametrize("path", sorted(PKG.rglob("*.py")), ids=str)
def test_eko_only_in_benchmarks(path):
    if "benchmarks" in path.parts:
        return
    assert not {n for n in _imports(path) if n.split(".")[0] in ("eko", "ekobox")}
