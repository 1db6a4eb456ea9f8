# An include file that does not exist, and a bad .include line.
        .include "no_such_file.inc"
        .include no_quotes.inc
        nop
