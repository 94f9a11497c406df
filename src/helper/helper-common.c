/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "helper-common.h"

int
helper_parse_u64 (const char *text,
                  uint64_t   *value)
{
  char *end;

  if (*text < '0' || *text > '9')
    return 0;
  errno = 0;
  *value = strtoull (text, &end, 10);
  return errno == 0 && *end == '\0';
}

/* VmHWM, not getrusage ()'s ru_maxrss: a child started by posix_spawn ()
 * or vfork () runs on its parent's memory until exec, and Linux carries
 * that peak (the parent's, tens of MiB for the GUI) into ru_maxrss. */
int
helper_read_peak_rss (long long *bytes)
{
  FILE *status = fopen ("/proc/self/status", "re");
  char line[256];
  int found = 0;

  if (status == NULL)
    return 0;
  while (!found && fgets (line, sizeof line, status) != NULL)
    found = sscanf (line, "VmHWM: %lld kB", bytes) == 1;
  fclose (status);
  *bytes *= 1024;
  return found;
}

long long
helper_cpu_ns (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_SELF, &usage) != 0)
    return -1;
  return ((long long) usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000LL +
         ((long long) usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000LL;
}

void
helper_sleep_ns (uint64_t ns)
{
  struct timespec left = { (time_t) (ns / 1000000000u), (long) (ns % 1000000000u) };

  while (nanosleep (&left, &left) != 0 && errno == EINTR)
    ;
}
