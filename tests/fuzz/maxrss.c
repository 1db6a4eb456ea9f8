/*
 * maxrss.c - run a command and report the most memory it ever held.
 *
 *   maxrss OUTFILE COMMAND [ARG...]
 *
 * Runs COMMAND (stdin, stdout and stderr are inherited, so it can sit in
 * a pipeline), then writes its peak resident set size in KiB (getrusage's
 * ru_maxrss, from wait4) to OUTFILE and exits with COMMAND's exit status
 * (128 + signal if a signal ended it).  Used by limits.sh: a guest must
 * not make lde grow without bound.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: maxrss OUTFILE COMMAND [ARG...]\n");
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("maxrss: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid) {
        perror("maxrss: wait4");
        return 2;
    }
    FILE *out = fopen(argv[1], "w");
    if (out == NULL || fprintf(out, "%ld\n", ru.ru_maxrss) < 0 || fclose(out) != 0) {
        perror(argv[1]);
        return 2;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
