# yes - print "y" lines for ever (quit-signal.sh: lde run yes.s | head).
    .include "ulib.s"
main:
1:  li   a0, 'y'
    call putc
    li   a0, 10
    call putc
    j    1b
