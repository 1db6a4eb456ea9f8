# golden-image: missing
# A missing image file.
        .text
_start: halt zero
