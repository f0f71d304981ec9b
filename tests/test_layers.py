"""The import rules of STYLE.md: physics knows no Dask/Zarr/cards, the store knows no physics,
no module imports the package root, and each shared fact is defined in one module.

Read from the source with ``ast`` (every import statement, also those inside functions).
"""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).parents[1] / "ekodask"

PURE = [
    "physics",
    "interpolation.py",
    "mellin.py",
    "evolution.py",
    "matching.py",
    "options.py",
    "thresholds.py",
    "hashing.py",
    "contraction.py",
]
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
                "ekodask.recipes",
                "ekodask.compute",
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


# the plan and its computation: no Dask, Zarr, store or graph (they run in any worker)
@pytest.mark.parametrize("name", ["recipes.py", "compute.py", "thresholds.py", "options.py"])
def test_plan_knows_no_dask_or_store(name):
    banned = ("dask", "distributed", "zarr", "yaml", "ekodask.store", "ekodask.graph")
    bad = {n for n in _imports(PKG / name) if n.startswith(banned)}
    assert not bad, f"{name} imports {sorted(bad)}"


def test_options_import_nothing_from_ekodask():
    for name in ("options.py", "thresholds.py", "hashing.py", "_version.py"):
        assert not {n for n in _imports(PKG / name) if n.startswith("ekodask")}, name


def _submodule(name: str) -> bool:
    return (PKG / f"{name}.py").is_file() or (PKG / name / "__init__.py").is_file()


@pytest.mark.parametrize("path", sorted(PKG.rglob("*.py")), ids=str)
def test_no_module_imports_the_package_root(path):
    # the façade sits on top: importing ``ekodask`` itself from inside makes a hidden cycle
    rel = path.relative_to(PKG.parent).with_suffix("")
    package = list(rel.parts[:-1])
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            assert all(a.name != "ekodask" for a in node.names), f"{path.name}: import ekodask"
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            if mod == "ekodask":
                bad = [a.name for a in node.names if not _submodule(a.name)]
                assert not bad, f"{path.name} imports {bad} from the package root"


FACTS = {
    "PIDS": "pids.py",
    "MAX_ORDER": "options.py",
    "EVOLUTION_METHODS": "options.py",
    "INVERSION_METHODS": "options.py",
    "SCVAR_METHODS": "options.py",
    "METHODS": None,
    "BACKWARD_METHODS": None,
    "RTOL_THRESHOLD": None,
}


def _assigned(path: Path) -> set[str]:
    names = set()
    for node in ast.parse(path.read_text()).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def test_each_fact_is_defined_in_one_module():
    # PDG ids, orders and method names are assigned once; elsewhere they are imported
    where: dict[str, list[str]] = {k: [] for k in FACTS}
    for path in PKG.rglob("*.py"):
        for name in _assigned(path) & FACTS.keys():
            where[name].append(str(path.relative_to(PKG)))
    for name, home in FACTS.items():
        assert where[name] == ([home] if home else []), f"{name} defined in {where[name]}"


@pytest.mark.parametrize(
    ("needle", "home"),
    [
        ("hashlib.sha256(", "hashing.py"),
        ("json.dumps(obj, sort_keys=True", "hashing.py"),
        ("np.tensordot(", "contraction.py"),
        ("(1.0 + RTOL)", "thresholds.py"),
        ("rel_tol=RTOL)", "thresholds.py"),
    ],
)
def test_hash_contraction_and_threshold_tolerance_live_once(needle, home):
    found = [str(p.relative_to(PKG)) for p in PKG.rglob("*.py") if needle in p.read_text()]
    assert found == [home], f"{needle!r} in {found}"
