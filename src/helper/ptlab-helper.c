/* SPDX-License-Identifier: GPL-3.0-or-later */

/* ptlab-helper: the small child program experiments start, so that what
 * they measure is the cost of a small process, not of forking the GUI.
 * It links nothing but libc. Each subcommand lives in its own
 * helper-NAME.c; add it to the table below and to meson.build. */

#include <stdio.h>
#include <string.h>

#include "helper-common.h"

/* GCC says __SANITIZE_ADDRESS__, clang __has_feature. */
#if defined(__SANITIZE_ADDRESS__)
# define HELPER_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define HELPER_ASAN 1
# endif
#endif
#ifdef HELPER_ASAN
/* AddressSanitizer builds (./build-aux/dev sanitize) read this before the
 * environment. LeakSanitizer checks at exit from a thread of its own, and
 * tests that lower RLIMIT_NPROC leave the helper no room for it: the
 * helper only computes, waits and exits, so its leak check goes, and its
 * memory errors are still caught. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "detect_leaks=0";
}
#endif

static const struct
{
  const char *name;
  HelperMain  main;
} subcommands[] = {
  { "work", helper_work_main },
  { "create", helper_create_main },
  { "exit", helper_exit_main },
  { "serve", helper_serve_main },
  { "crash", helper_crash_main },
  { "crash-threads", helper_crash_threads_main },
  { "idle", helper_idle_main },
  { "idle-threads", helper_idle_threads_main },
  { "idle-fork", helper_idle_fork_main },
  { "http-server", helper_http_server_main },
  { "http-load", helper_http_load_main },
};

int
main (int    argc,
      char **argv)
{
  if (argc >= 2)
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
      if (strcmp (argv[1], subcommands[i].name) == 0)
        return subcommands[i].main (argc - 1, argv + 1);

  fputs ("usage: ptlab-helper SUBCOMMAND ARGS...; subcommands:", stderr);
  for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
    fprintf (stderr, " %s", subcommands[i].name);
  fputc ('\n', stderr);
  return 2;
}
