/* cli.h: the command line entry point and its exit codes. */
#ifndef VERDICT_CLI_H
#define VERDICT_CLI_H

/* Exit codes (DESIGN.md, verdict(1)). */
#define CLI_EXIT_OK 0
#define CLI_EXIT_FAILURE 1     /* runtime failure */
#define CLI_EXIT_USAGE 2       /* usage or configuration error */
#define CLI_EXIT_PARTIAL 3     /* some queries failed; the output says which */

/* Parse argv, run the command, return the exit code. */
int cli_main(int argc, char **argv);

#endif /* VERDICT_CLI_H */
