# .error stops the build with a message; .warning does not on its own.
        .equ VERSION, 3
        .if VERSION < 4
        .error "VERSION must be at least 4"
        .endif
        .warning "this is only a warning"
