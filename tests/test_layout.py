"""The tree shows the layers: app → blueprints → core → models, features never import each other's views, and no
module imports itself round a cycle. Read from the source with ast, so a late import inside a function counts too."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "blueprints", "core", "models")


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources():
    yield ROOT / "app.py"
    for package in PACKAGES[1:]:
        yield from sorted((ROOT / package).rglob("*.py"))


def imports_of(path):
    """Every project module ``path`` imports (``from x import y`` counts x.y when x.y is a module)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in PACKAGES and name in MODULES}


MODULES = {module_name(path): path for path in sources()}
GRAPH = {name: imports_of(path) for name, path in MODULES.items()}


def layer(name):
    return PACKAGES.index(name.split(".")[0])


def feature(name):
    parts = name.split(".")
    return parts[1] if parts[0] == "blueprints" and len(parts) > 1 else None


def test_the_graph_is_read():
    assert "blueprints.events.views" in GRAPH and "core.policy" in GRAPH["blueprints.events.operations"]


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_imports_point_down_only(name):
    """app → blueprints → core → models: nothing imports a layer above its own."""
    upward = sorted(other for other in GRAPH[name] if layer(other) < layer(name))
    assert not upward, f"{name} imports {upward}"


@pytest.mark.parametrize("name", sorted(n for n in GRAPH if feature(n)))
def test_features_do_not_import_each_others_views(name):
    foreign = sorted(
        other for other in GRAPH[name]
        if feature(other) not in (None, feature(name)) and other.rsplit(".", 1)[-1].endswith("views")
    )
    assert not foreign, f"{name} imports another feature's views: {foreign} (move the shared piece to core or a model)"


def test_blueprints_holds_feature_packages_only():
    loose = sorted(p.name for p in (ROOT / "blueprints").glob("*.py") if p.name != "__init__.py")
    assert not loose, f"shared modules belong in core/: {loose}"


def test_no_import_cycles():
    """No module reaches itself through the modules it imports (a package's __init__ importing its own views, which
    import the package's ``bp`` back, is how Flask blueprints are built, so a package and its own modules are one)."""

    def unit(name):
        parts = name.split(".")
        return ".".join(parts[:2]) if parts[0] == "blueprints" else name

    edges = {}
    for name, targets in GRAPH.items():
        edges.setdefault(unit(name), set()).update(unit(t) for t in targets if unit(t) != unit(name))
    cycles, state = [], {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles: " + "; ".join(" → ".join(c) for c in cycles)
