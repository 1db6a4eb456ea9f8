# divz - hostile: divide by zero.  The DIV_ZERO trap kills the process.
    .include "ulib.s"
main:
    li   t0, 7
    div  a0, t0, zero
    ret
