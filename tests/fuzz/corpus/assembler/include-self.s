        .include "self.s"
