/*
 * perfetto.c - the timeline as Chrome Trace Event JSON (perfetto.h).
 * Events are written as the model closes them, one per line.
 */
#include "perfetto.h"

#include <inttypes.h>
#include <string.h>

#define PF_PID 1 /* the one "process" all tracks belong to */

/* Write s as a JSON string body (quotes not included). */
static void put_escaped(FILE *out, const char *s)
{
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            fprintf(out, "\\%c", c);
        } else if (c < 0x20 || c >= 0x7f) {
            fprintf(out, "\\u%04x", c);
        } else {
            fputc(c, out);
        }
    }
}

/* Start a new event line (with the comma the previous one needs). */
static void begin_event(struct pf_writer *w)
{
    fputs(w->any_event ? ",\n" : "\n", w->out);
    w->any_event = true;
}

/* Name the track of a row and fix its place (kernel first). */
static void on_row(void *ctx, const struct tl_model *m, unsigned row)
{
    struct pf_writer *w = ctx;
    char label[TL_NAME_MAX + 12];

    tl_row_label(m, row, label, sizeof label);
    begin_event(w);
    fprintf(w->out,
            "{\"ph\":\"M\",\"pid\":%d,\"tid\":%u,\"name\":\"thread_name\",\"args\":{\"name\":\"",
            PF_PID, row);
    put_escaped(w->out, label);
    fputs("\"}}", w->out);
    begin_event(w);
    fprintf(w->out,
            "{\"ph\":\"M\",\"pid\":%d,\"tid\":%u,\"name\":\"thread_sort_index\",\"args\":{"
            "\"sort_index\":%u}}",
            PF_PID, row, row);
}

static void on_segment(void *ctx, const struct tl_model *m, const struct tl_segment *s)
{
    struct pf_writer *w = ctx;
    const char *name = s->kind == TL_USER ? "user" : tl_reason_name(s->reason);

    (void)m;
    begin_event(w);
    fprintf(w->out,
            "{\"ph\":\"X\",\"pid\":%d,\"tid\":%u,\"ts\":%" PRIu64 ",\"dur\":%" PRIu64
            ",\"name\":\"%s\",\"cat\":\"%s\"}",
            PF_PID, (unsigned)s->row, s->start, s->end - s->start, name,
            s->kind == TL_USER ? "user" : "kernel");
}

static void on_mark(void *ctx, const struct tl_model *m, const struct tl_mark *k)
{
    struct pf_writer *w = ctx;
    char from[TL_NAME_MAX + 12], to[TL_NAME_MAX + 12];
    unsigned track = k->kind == TL_MARK_RETT ? k->to_row : k->from_row;

    tl_row_label(m, k->from_row, from, sizeof from);
    tl_row_label(m, k->to_row, to, sizeof to);
    begin_event(w);
    fprintf(w->out, "{\"ph\":\"i\",\"s\":\"t\",\"pid\":%d,\"tid\":%u,\"ts\":%" PRIu64 ",", PF_PID,
            track, k->cycle);
    if (k->kind == TL_MARK_TRAP) {
        fprintf(w->out, "\"name\":\"trap %s\",\"cat\":\"trap\"", cpu_cause_name(k->cause));
    } else if (k->kind == TL_MARK_RETT) {
        fputs("\"name\":\"rett\",\"cat\":\"rett\"", w->out);
    } else {
        fprintf(w->out, "\"name\":\"halt %u\",\"cat\":\"halt\"", (unsigned)k->cause);
    }
    fprintf(w->out, ",\"args\":{\"pc\":\"0x%08" PRIx32 "\",\"from\":\"", k->pc);
    put_escaped(w->out, from);
    fputs("\",\"to\":\"", w->out);
    put_escaped(w->out, to);
    fputs("\"}}", w->out);
}

void pf_start(struct pf_writer *w, struct tl_model *m, FILE *out)
{
    struct tl_sink sink = {on_row, on_segment, on_mark, w};

    w->out = out;
    w->any_event = false;
    fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"time unit\":\"1 us = 1 cycle\"},"
          "\"traceEvents\":[",
          out);
    begin_event(w);
    fprintf(out, "{\"ph\":\"M\",\"pid\":%d,\"name\":\"process_name\",\"args\":{\"name\":\"lde\"}}",
            PF_PID);
    for (unsigned r = 0; r < m->nrows; r++) {
        on_row(w, m, r);
    }
    tl_set_sink(m, &sink);
}

int pf_open(struct pf_writer *w, struct tl_model *m, const char *path, char *err, size_t errlen)
{
    FILE *out = fopen(path, "w");

    memset(w, 0, sizeof *w);
    if (out == NULL) {
        snprintf(err, errlen, "%s: cannot open the JSON trace for writing", path);
        return -1;
    }
    w->own_file = true;
    pf_start(w, m, out);
    return 0;
}

int pf_close(struct pf_writer *w, struct tl_model *m, uint64_t now)
{
    int failed;

    if (w->out == NULL) {
        return 0;
    }
    tl_finish(m, now);
    fputs("\n]}\n", w->out);
    failed = ferror(w->out) != 0 || fflush(w->out) != 0;
    if (w->own_file && fclose(w->out) != 0) {
        failed = 1;
    }
    m->sink = (struct tl_sink){NULL, NULL, NULL, NULL};
    w->out = NULL;
    return failed ? -1 : 0;
}
