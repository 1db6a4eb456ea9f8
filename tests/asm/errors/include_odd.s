# An include that names something other than a file: a directory, a
# device, or nothing at all.
        .include "/tmp"
        .include "/dev/null"
        .include "no_such_file.s"
