#!/usr/bin/env python3
"""ulib.py ROOT - docs/syscalls.md documents every system call and every
function of the user library.

Every line "\\m name, SYS_NAME, number" of the list SYSCALLS in
guestos/include/sysnum.s must have its row "| number | name |" in the
document's table.  Each function of guestos/user/ulib.s and
guestos/include/streq.s has a header comment "# name(arguments)..."; its
"name(arguments)" must appear in the document exactly (so a changed
signature changes the document).
"""
import pathlib
import re
import sys

HEADER = re.compile(r"^# ([a-z_]+\([^)]*\))")
SYSCALL = re.compile(r"^\s*\\m\s+([a-z_]+),\s*SYS_[A-Z_]+,\s*(\d+)")


def matches(root, src, pattern):
    """(line number, match) for every line of src that pattern matches."""
    for number, line in enumerate((root / src).read_text(encoding="utf-8").splitlines(), 1):
        m = pattern.match(line)
        if m is not None:
            yield number, m


def check_syscalls(root, doc):
    """Errors for system calls of sysnum.s missing from the table."""
    src = "guestos/include/sysnum.s"
    found = list(matches(root, src, SYSCALL))
    errors = 0 if found else 1
    if not found:
        print(f"{src}: error: no system calls found")
    for number, m in found:
        row = f"| {m.group(2)} | {m.group(1)} |"
        if row not in doc:
            print(f"{src}:{number}: error: docs/syscalls.md has no row '{row}'")
            errors += 1
    return errors


def main():
    root = pathlib.Path(sys.argv[1])
    doc = (root / "docs" / "syscalls.md").read_text(encoding="utf-8")
    errors = check_syscalls(root, doc)
    count = 0
    for src in ["guestos/user/ulib.s", "guestos/include/streq.s"]:
        for number, m in matches(root, src, HEADER):
            count += 1
            if f"`{m.group(1)}" not in doc:
                print(f"{src}:{number}: error: docs/syscalls.md does not document {m.group(1)}")
                errors += 1
    if count == 0:
        print("error: no function headers found")
        return 1
    if errors == 0:
        print(f"ok: {count} functions")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
