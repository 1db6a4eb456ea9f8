# lde-args: --ram 0
# A bad option value: one line and status 121.
        .text
_start: halt zero
