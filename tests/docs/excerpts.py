#!/usr/bin/env python3
"""excerpts.py ROOT - the transcripts the documentation quotes are real.

A paragraph of README.md or docs/*.md that names a golden file
(tests/.../NAME.expect) and is followed by an indented block quotes that
file: every line of the block, except shell command lines ("$ ..."), must
be a line of the golden file, in the same order (the block may leave
lines out).  The goldens are what the tests compare runs with, so a
quotation that drifts from them is a stale document.
"""
import pathlib
import re
import sys

GOLDEN = re.compile(r"tests/[\w/.-]+\.expect")


def blocks(lines):
    """(line number, golden path, [(line number, text)]) per quoting block."""
    golden = None
    k = 0
    while k < len(lines):
        line = lines[k]
        refs = GOLDEN.findall(line)
        if refs and not line.startswith("    "):
            golden = refs[-1]
        elif golden and line.startswith("    "):
            block = []
            while k < len(lines) and (lines[k].startswith("    ") or lines[k].strip() == ""):
                if lines[k].strip():
                    block.append((k + 1, lines[k][4:].strip()))
                k += 1
            yield golden, block
            golden = None
            continue
        elif line.strip() == "" and golden and k + 1 < len(lines) and not lines[k + 1].startswith("    "):
            golden = None  # the paragraph ended without a block
        k += 1


def check(root, doc):
    errors = 0
    lines = doc.read_text(encoding="utf-8").splitlines()
    for golden, block in blocks(lines):
        path = root / golden
        if not path.exists():
            print(f"{doc.relative_to(root)}:{block[0][0]}: error: {golden} does not exist")
            errors += 1
            continue
        want = [g.strip() for g in path.read_text(encoding="utf-8").splitlines()]
        at = 0
        for number, text in block:
            if text.startswith("$ "):
                continue  # the command that made the transcript
            while at < len(want) and want[at] != text:
                at += 1
            if at == len(want):
                print(f"{doc.relative_to(root)}:{number}: error: not in {golden} (in this order): {text}")
                errors += 1
                break
            at += 1
    return errors


def main():
    root = pathlib.Path(sys.argv[1])
    docs = [root / "README.md"] + sorted((root / "docs").glob("*.md"))
    errors = sum(check(root, d) for d in docs)
    if errors == 0:
        print(f"ok: {len(docs)} documents")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
