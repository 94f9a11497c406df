/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "ptl-parent.h"

void
ptl_die_with_parent (pid_t parent)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (getppid () != parent)
    _exit (1);
}

void
ptl_die_with_spawner (void)
{
  const char *text = getenv (PTL_PARENT_PID_ENV);
  char *end;
  long parent = text != NULL ? strtol (text, &end, 10) : 0;

  if (text != NULL && *text != '\0' && *end == '\0' && parent > 0)
    ptl_die_with_parent ((pid_t) parent);
  else
    prctl (PR_SET_PDEATHSIG, SIGKILL);
}
