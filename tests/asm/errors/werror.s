# With -Werror a warning is an error (the unused local label).
1:      nop
        .warning "deprecated"
