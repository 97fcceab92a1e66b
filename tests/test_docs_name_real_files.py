"""The project's documents name files and modules that exist.

A newcomer follows docs/architecture.md, the READMEs and the operations guide into the code: a path
or an ``xjkit`` module they name that is not there (renamed, moved, deleted) is a defect. Each
backticked path is looked for among the files git tracks, as the whole path or as its tail (the
documents often write ``ca/crls.py`` in a paragraph about identity-svc).
"""
import pathlib
import re
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOCUMENTS = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md")),
             "bench/README.md", "portal/README.md", "miniprogram/README.md"]
PATH = re.compile(r"`([\w.-]+(?:/[\w.-]+)+\.(?:py|ts|vue|js|json|yml|yaml|sh|toml|md|ini|txt|html|css))`")
MODULE = re.compile(r"`(xjkit(?:\.\w+)+)")


def tracked_files():
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return listed.split()


def module_exists(dotted):
    parts = dotted.split(".")
    base = ROOT / "services"
    # the longest prefix that is a module or package; what follows may be an attribute
    for length in range(len(parts), 1, -1):
        path = base.joinpath(*parts[:length])
        if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file():
            return True
    return False


@pytest.mark.parametrize("document", [d for d in DOCUMENTS if (ROOT / d).is_file()])
def test_every_file_and_xjkit_module_a_document_names_exists(document):
    files = tracked_files()
    text = (ROOT / document).read_text(encoding="utf-8")
    missing_paths = sorted({path for path in PATH.findall(text)
                            if not any(f == path or f.endswith("/" + path) for f in files)
                            and not path.startswith(("../", "var/", "test-artifacts/", "bench/results/"))})
    missing_modules = sorted({name for name in MODULE.findall(text) if not module_exists(name)})
    assert missing_paths == [] and missing_modules == []
