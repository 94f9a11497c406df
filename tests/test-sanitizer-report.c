/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The sanitizer builds' check of their own wrapper
 * (build-aux/sanitizers/test-wrapper): `test-sanitizer-report KIND` starts
 * itself as a child that makes one sanitizer report of KIND (address,
 * undefined, leak or thread; none makes none), ignores how the child
 * ended, as a test that does not look at its children would, and exits 0.
 * tests/test-sanitizer-wrapper.sh runs it with and without the wrapper.
 * Built in sanitizer builds only; nothing here ships. */

#include "config.h"

#include <glib.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>

static volatile int racy_counter;

static void *
race_cb (void *data)
{
  for (int i = 0; i < 1000; i++)
    racy_counter++;
  return NULL;
}

/* Each case is the smallest defect its sanitizer reports. */
static int
make_report (const char *kind)
{
  if (g_str_equal (kind, "address"))
    {
      volatile char *block = malloc (8);
      char byte = block[8];

      free ((void *) block);
      return byte;
    }
  if (g_str_equal (kind, "undefined"))
    {
      volatile int big = INT_MAX;

      return big + 1 > 0;
    }
  if (g_str_equal (kind, "leak"))
    {
      /* Several, dropped one after another: a stale copy of a pointer
       * left in a register or a dead stack slot would hide just one. */
      void *volatile block;

      for (int i = 0; i < 8; i++)
        block = malloc (64);
      block = NULL;
      return block != NULL;
    }
  if (g_str_equal (kind, "thread"))
    {
      pthread_t threads[2];

      for (int i = 0; i < 2; i++)
        pthread_create (&threads[i], NULL, race_cb, NULL);
      for (int i = 0; i < 2; i++)
        pthread_join (threads[i], NULL);
      return 0;
    }
  if (g_str_equal (kind, "none"))
    return 0;
  g_printerr ("unknown report kind %s\n", kind);
  return 2;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  if (argc == 3 && g_str_equal (argv[1], "--child"))
    return make_report (argv[2]);
  if (argc != 2)
    {
      g_printerr ("usage: %s address|undefined|leak|thread|none\n", argv[0]);
      return 2;
    }

  const char *child_argv[] = { argv[0], "--child", argv[1], NULL };
  if (!g_spawn_sync (NULL, (char **) child_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     NULL, NULL, &wait_status, &error))
    {
      g_printerr ("cannot start the child: %s\n", error->message);
      return 2;
    }
  g_print ("the child ended with wait status %d; this parent passes regardless\n", wait_status);
  return 0;
}
