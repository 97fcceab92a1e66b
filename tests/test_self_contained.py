"""The repository contains everything it runs on: no code or configuration names a path beside it.

A newcomer's bare `git clone` has nothing next to it, and CI's clean clone must not pass only
because a sibling folder happens to be there. Prose (Markdown) may mention the contract
documents; nothing that runs may read them.
"""
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# a path that climbs out of the repository into a folder beside it and names what such a folder
# of contract documents holds (any folder name: the rule is about leaving the clone, not a name)
OUTSIDE = re.compile(r"""\.\./[\w.-]+/(?:fixtures/|DESIGN\.md|API\.md)"""
                     r"""|["']\.\.["']\s*,\s*["'][\w.-]+["']\s*,\s*["'](?:fixtures|DESIGN\.md|API\.md)["']""")


def tracked_files():
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if listed.returncode == 0 and listed.stdout:
        return [name for name in listed.stdout.decode().split("\0") if name]
    skipped = {".git", ".venv", ".venv-store", "node_modules", "var", "test-artifacts"}
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in skipped]
        found += [os.path.relpath(os.path.join(folder, name), ROOT) for name in files]
    return found


def test_no_code_or_configuration_names_a_path_outside_the_repository():
    offenders = []
    for name in tracked_files():
        if name.endswith(".md"):
            continue
        path = os.path.join(ROOT, name)
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue  # binary files and files deleted in the working tree
        offenders += [f"{name}:{number}: {line.strip()}" for number, line in enumerate(text.splitlines(), 1)
                      if OUTSIDE.search(line)]
    assert offenders == []


def test_the_pattern_catches_what_it_must():
    parent, beside, data = "..", "contracts", "fixtures/national-platform.json"
    for line in (f'DATA = "{parent}/{beside}/{data}"', f'open("{parent}/{beside}/API.md")',
                 f'os.path.join(ROOT, "{parent}", "{beside}", "fixtures", "national-platform.json")',
                 f'Path(ROOT, "{parent}", "docs", "DESIGN.md")'):
        assert OUTSIDE.search(line), line
    for line in ('import Foo from "../components/Foo.vue"', 'os.path.join(HERE, "..", "portal", "dist")',
                 '"deploy/stubs/xjstubs/data/national-platform.json"'):
        assert not OUTSIDE.search(line), line
