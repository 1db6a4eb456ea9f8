# golden-image: truncate-40
# An image cut short is refused with one line.
        .text
_start: halt zero
