# cat NAME... - print files from the disk (readfile reads at most 4 KiB here).
    .include "ulib.s"
main:
    la   a2, cat_file
    la   a3, msg_cat
    j    for_each_arg                # "cat: NAME: error N", status 1

# cat_file(a0 = name) -> a0 = 0, or the error readfile returned.
cat_file:
    push ra
    la   a1, buf
    li   a2, 4096
    call readfile
    bltz a0, 1f
    mv   a2, a0
    li   a0, 1
    la   a1, buf
    call write
    li   a0, 0
1:  pop  ra
    ret

    .data
msg_cat:   .asciz "cat: "

    .bss
buf:       .space 4096
