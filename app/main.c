/* main.c: verdict's entry point. */
#include <locale.h>

#include "verdict/cli.h"

int main(int argc, char **argv)
{
    /* character handling follows the user; numbers stay "C" so reports are
     * the same on every machine */
    setlocale(LC_CTYPE, "");
    return cli_main(argc, argv);
}
