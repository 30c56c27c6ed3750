/* tui.h: the terminal interface, as the command line starts it (screens: app/tui/tui_int.h). */
#ifndef VERDICT_TUI_H
#define VERDICT_TUI_H

#include <stddef.h>

#include "verdict/session.h"

struct tui_options {
    int ascii;          /* --ascii: no Unicode glyphs (also when the locale is not UTF-8) */
    int no_color;       /* --no-color (NO_COLOR is read here too) */
    int no_mouse;       /* --no-mouse */
    double start_s;     /* CLOCK_MONOTONIC seconds when verdict started, for
                         * VERDICT_TUI_TIMING=1 (first-frame time on stderr at exit);
                         * 0: measure from tui_run */
};

/*
 * Run the TUI on an open session until the user quits.  Owns the terminal
 * for that time and restores it on every way out: quitting, SIGINT and
 * SIGTERM (the loop ends and the terminal is restored before returning),
 * and fatal errors (util_set_fatal_hook).  Standard input and output must
 * be a terminal.  Returns the exit code: 0, 1 when the terminal could not
 * be set up, 128 + signal number after SIGINT or SIGTERM.
 */
int tui_run(struct session *s, const struct tui_options *o);

#endif /* VERDICT_TUI_H */
