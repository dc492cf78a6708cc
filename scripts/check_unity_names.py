#!/usr/bin/env python3
"""Fails when two source files of one library or test executable define the same name in an
anonymous namespace of the same enclosing namespace.

Each library and test executable is compiled in batches of files (SB_UNITY_BUILD,
CMakeLists.txt): the files of a batch share one translation unit, so their anonymous namespaces
merge. Two helpers of one name then either fail to compile or, worse, become overloads of each
other and a call silently picks the other file's helper. Which files share a batch changes as
files are added, so the rule is checked for the whole target. Prints each clash as `target namespace name: files`.
"""
import collections
import os
import re
import sys

TEST_FOLDERS = ['support', 'storage', 'functional', 'crash', 'contract']
LIBRARIES = ['common', 'crypto', 'domain', 'app', 'storage', 'jobs', 'http', 'cli', 'notify', 'main']
DEFINITION = re.compile(
    r'^(?!return\b|if\b|for\b|while\b|using\b|template\b|case\b|static_assert\b|else\b)'
    r'[A-Za-z_][^;\n=(]*?\b([A-Za-z_]\w*)\s*\([^;{]*\)\s*(?:const\s*)?(?:noexcept\s*)?(?:->[^{;]*)?\{',
    re.M)
CONSTANT = re.compile(r'^(?:inline\s+)?(?:static\s+)?(?:constexpr|const)\s[^=;(]*?\b(\w+)\s*(?:\[[^\]]*\])?\s*[{=]', re.M)
TYPE = re.compile(r'^(?:struct|class|enum class|enum|union)\s+(\w+)', re.M)


def anonymous_blocks(text):
    """The text of each `namespace {` ... `}  // namespace` block and its enclosing namespace."""
    blocks = []
    for m in re.finditer(r'^namespace \{\n', text, re.M):
        end = text.find('\n}  // namespace\n', m.end())
        if end < 0:
            end = len(text)
        outer = re.findall(r'^namespace ([\w:]+) \{', text[:m.start()], re.M)
        blocks.append((outer[-1] if outer else '', text[m.end():end]))
    return blocks


def targets(root):
    """Each target compiled in batches and its source files: a library per layer of src, its
    test executable (the layer's `_test.cc` files), and the executables of tests/."""
    for lib in LIBRARIES:
        lib_files, test_files = [], []
        for folder, _, files in os.walk(os.path.join(root, 'src', lib)):
            for f in files:
                if f.endswith('_test.cc'):
                    test_files.append(os.path.join(folder, f))
                elif f.endswith('.cc'):
                    lib_files.append(os.path.join(folder, f))
        yield lib, lib_files
        yield lib + '_test', test_files
    for folder in TEST_FOLDERS:
        path = os.path.join(root, 'tests', folder)
        yield 'tests/' + folder, [os.path.join(path, f) for f in os.listdir(path) if f.endswith('.cc')]


def main(root):
    clashes = 0
    for target, paths in targets(root):
        names = collections.defaultdict(set)
        for path in paths:
            with open(path, encoding='utf-8') as fh:
                text = fh.read()
            for outer, block in anonymous_blocks(text):
                for pattern in (DEFINITION, CONSTANT, TYPE):
                    for m in pattern.finditer(block):
                        names[(outer, m.group(1))].add(os.path.relpath(path, root))
        for (outer, name), files in sorted(names.items()):
            if len(files) > 1:
                clashes += 1
                print(f'{target} {outer} {name}: {" ".join(sorted(files))}')
    return 1 if clashes else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')))
