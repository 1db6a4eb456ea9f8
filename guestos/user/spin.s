# spin - loop forever without a system call: only the timer takes the
# processor back (in cooperative mode it never comes back).
    .include "ulib.s"
main:
1:  j    1b
