/*
 * perfetto.h - write the timeline (timeline.h) as a Chrome Trace Event
 * JSON file, which ui.perfetto.dev and chrome://tracing open.
 *
 * One track (a "thread" of the single process "lde") per timeline row:
 * tid 0 is the kernel, tid N the N-th process row.  A complete event ("X")
 * per segment, named by what ran ("user" or the kernel's reason: "timer",
 * "syscall", ...); an instant event ("i") per trap, return-from-trap and
 * halt.  Timestamps are cycles: the viewer's 1 us is one cycle.  The
 * output depends only on the events, so a run always writes the same file.
 */
#ifndef LDE_PERFETTO_H
#define LDE_PERFETTO_H

#include <stdbool.h>
#include <stdio.h>

#include "timeline.h"

struct pf_writer {
    FILE *out;      /* the JSON file */
    bool own_file;  /* opened by pf_open (closed by pf_close) */
    bool any_event; /* an event was written: the next needs a comma */
};

/* Open `path` for writing and attach the writer to the model's sink.
 * 0, or -1 with a one-line reason in err. */
int pf_open(struct pf_writer *w, struct tl_model *m, const char *path, char *err, size_t errlen);
/* The same on an already open stream (the tests use a memory stream). */
void pf_start(struct pf_writer *w, struct tl_model *m, FILE *out);
/* Close the model's open segment at `now`, end the JSON, close the file.
 * 0, or -1 if writing failed. */
int pf_close(struct pf_writer *w, struct tl_model *m, uint64_t now);

#endif /* LDE_PERFETTO_H */
