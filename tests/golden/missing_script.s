# lde-args: -x /nonexistent/lde-monitor-script.cmds
# A monitor script that cannot be read: one line and status 121, before
# the monitor shows anything.
        .text
_start: halt zero
