/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <sys/wait.h>

#include "ptl-waitpid.h"

pid_t
ptl_waitpid_retry (pid_t  pid,
                   int   *status)
{
  pid_t rc;

  do
    rc = waitpid (pid, status, 0);
  while (rc < 0 && errno == EINTR);
  return rc;
}
