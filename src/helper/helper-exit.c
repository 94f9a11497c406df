/* SPDX-License-Identifier: GPL-3.0-or-later */

/*   ptlab-helper exit
 *
 * exits at once with status 0: the smallest program a creation-cost
 * measurement can exec (the dynamic loader and libc, nothing else). */

#include "helper-common.h"

int
helper_exit_main (int    argc,
                  char **argv)
{
  return argc == 1 ? 0 : 2;
}
