# stack - hostile: grow the stack without end.  With base and bounds there
# is no guard page: the stack runs down through the program itself and
# then below address 0, where the store is a protection fault.  (The loop
# sits at offsets 4..12 of a 16-byte block, so the 16-byte aligned stores
# never overwrite it on the way down.)
    .include "ulib.s"
main:
    j    grow
    .align 16
    nop
grow:
    addi sp, sp, -64
    sw   zero, 0(sp)
    j    grow
