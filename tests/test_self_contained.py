"""The repository contains everything it runs on: no code or configuration names a path beside it.

A newcomer's bare `git clone` has nothing next to it, and CI's clean clone must not pass only
because a sibling folder happens to be there. Prose (Markdown) may mention the shared contract
documents; nothing that runs may read them.
"""
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# the folder beside the repository, spelt in parts so that this file names no such path itself
SIBLING = "shared"
OUTSIDE = re.compile(r"\.\./" + SIBLING + "|/work/" + SIBLING + r"""|["']""" + SIBLING + r"""["']\s*,\s*["']fixtures["']""")


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
    parent, data = "..", "fixtures/national-platform.json"
    for line in (f'DATA = "{parent}/{SIBLING}/{data}"', f"Path('/work/{SIBLING}/x')",
                 f'os.path.join(ROOT, "{parent}", "{SIBLING}", "fixtures", "national-platform.json")'):
        assert OUTSIDE.search(line), line
    assert not OUTSIDE.search("the shared kit lives in services/")
