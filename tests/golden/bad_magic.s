# golden-image: magic
# An image whose magic is wrong is refused with one line.
        .text
_start: halt zero
