# lde-args: --ram 1
# A section that does not fit in RAM (1 MiB here) is refused.
        .text
_start: halt zero
        .bss
        .space 0x100000
