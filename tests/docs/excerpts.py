#!/usr/bin/env python3
"""excerpts.py ROOT [--update] - the transcripts the documentation quotes are real.

A paragraph of README.md or docs/*.md that names a golden file
(tests/.../NAME.expect) and is followed by an indented block quotes that
file: every line of the block, except shell command lines ("$ ..."), must
be a line of the golden file, in the same order (the block may leave
lines out).  The goldens are what the tests compare runs with, so a
quotation that drifts from them is a stale document.

--update rewrites a stale quoted line with the golden line that differs
from it only in numbers (cycles, addresses), in the same order: after a
change to the guest OS moves every cycle, the quotes follow the goldens;
a line that matches nothing is still an error.
"""
import pathlib
import re
import sys

NUMBER = re.compile(r"0x[0-9a-fA-F]+|[0-9]+")


def shape(text):
    """The line with every number (decimal or 0x hex) replaced by #."""
    return NUMBER.sub("#", text)

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


def check(root, doc, update):
    errors = 0
    lines = doc.read_text(encoding="utf-8").splitlines()
    changed = False
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
            k = at
            while k < len(want) and want[k] != text:
                k += 1
            if k == len(want) and update:  # the same line with other numbers?
                k = at
                while k < len(want) and shape(want[k]) != shape(text):
                    k += 1
                if k < len(want):
                    old = lines[number - 1]
                    lines[number - 1] = old[: len(old) - len(old.lstrip())] + want[k]
                    changed = True
            if k == len(want):
                print(f"{doc.relative_to(root)}:{number}: error: not in {golden} (in this order): {text}")
                errors += 1
                break
            at = k + 1
    if changed:
        doc.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{doc.relative_to(root)}: quotes updated from the goldens")
    return errors


def main():
    root = pathlib.Path(sys.argv[1])
    update = "--update" in sys.argv[2:]
    docs = [root / "README.md"] + sorted((root / "docs").glob("*.md"))
    errors = sum(check(root, d, update) for d in docs)
    if errors == 0:
        print(f"ok: {len(docs)} documents")
    elif not update:
        print("(after an intended change: python3 tests/docs/excerpts.py . --update fixes the quotes")
        print(" whose lines differ only in numbers; the others need the golden's new text by hand)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
