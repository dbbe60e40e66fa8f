"""Test modules import helpers from ``conftest`` only at module level.

Every test folder has its own conftest.py and pytest imports each one as the module ``conftest``:
while a file is collected, ``from conftest import x`` finds that folder's conftest, but by the time a
test runs, ``conftest`` is whichever folder was collected last. An import inside a test then picks the
wrong file and fails only when the whole suite runs in one command, as CI does (stop 20's red run).
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def late_conftest_imports(source: str) -> list[int]:
    """Lines of ``conftest`` imports that sit inside a function or class body."""
    late: list[int] = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            if nested and isinstance(child, ast.ImportFrom) and child.module == "conftest":
                late.append(child.lineno)
            if nested and isinstance(child, ast.Import) and any(a.name == "conftest" for a in child.names):
                late.append(child.lineno)
            visit(child, inner)

    visit(ast.parse(source), False)
    return late


def test_the_check_sees_an_import_inside_a_test():
    source = "from conftest import a\n\ndef test_x():\n    from conftest import b\n    import conftest\n"
    assert late_conftest_imports(source) == [4, 5]


def test_no_test_module_imports_conftest_inside_a_function():
    found = {
        str(path.relative_to(TESTS)): lines
        for path in sorted(TESTS.rglob("*.py"))
        if (lines := late_conftest_imports(path.read_text(encoding="utf-8")))
    }
    assert not found, (
        "import conftest helpers at the top of the module (inside a test, 'conftest' is another "
        f"folder's conftest.py when the whole suite runs): {found}"
    )
