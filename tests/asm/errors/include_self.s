# A file that includes itself.
        nop
        .include "include_self.s"
