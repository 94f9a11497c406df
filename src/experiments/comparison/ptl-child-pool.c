/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-child-pool"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptl-child-pool.h"
#include "ptl-proc-child.h"
#include "ptl-types.h"
#include "ptl-waitpid.h"

/* Children are started with posix_spawn (), which glibc implements with
 * a vfork-style clone: its cost does not grow with the size of the parent
 * (a GUI is tens of MiB), and exec failures come back as its return value.
 * GSubprocess would add GLib's child-watch bookkeeping, and reap through
 * GLib's worker thread, to every child. */

typedef struct
{
  GPid     pid;
  int      fd;      /* read end of the child's stdout */
  GString *output;
} Child;

static void
child_clear (Child *child)
{
  if (child->fd >= 0)
    close (child->fd);
  child->fd = -1;
  if (child->output != NULL)
    g_string_free (child->output, TRUE);
  child->output = NULL;
}

static void
kill_and_reap (GArray *running)
{
  for (guint i = 0; i < running->len; i++)
    kill (g_array_index (running, Child, i).pid, SIGKILL);
  for (guint i = 0; i < running->len; i++)
    {
      Child *child = &g_array_index (running, Child, i);

      ptl_waitpid_retry (child->pid, NULL);
      child_clear (child);
    }
  g_array_set_size (running, 0);
}

static gboolean
spawn_child (const PtlChildJob  *job,
             Child              *child,
             GError            **error)
{
  char iterations[32], sleep_ns[32], seed[32];
  char *argv[] = { (char *) job->helper, (char *) "work", iterations, sleep_ns, seed, NULL };
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  sigset_t no_signals, default_signals;
  g_auto(GStrv) envp = NULL;
  int fds[2];
  int rc;

  g_snprintf (iterations, sizeof iterations, "%" G_GUINT64_FORMAT, job->iterations);
  g_snprintf (sleep_ns, sizeof sleep_ns, "%" G_GINT64_FORMAT, job->sleep_ns);
  g_snprintf (seed, sizeof seed, "%" G_GUINT64_FORMAT, job->seed);

  /* Close-on-exec, so a sibling started meanwhile does not hold our write
   * end open and delay our end of file. */
  if (pipe2 (fds, O_CLOEXEC) != 0)
    {
      int saved = errno;

      g_set_error (error, PTL_ERROR,
                   saved == EMFILE || saved == ENFILE ? PTL_ERROR_LIMIT : PTL_ERROR_FAILED,
                   _("Could not create a pipe to a helper process: %s"), g_strerror (saved));
      return FALSE;
    }

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2 (&actions, fds[1], STDOUT_FILENO);

  /* Whatever this thread blocks or ignores (GTK ignores SIGPIPE) must
   * not leak into the child. */
  sigemptyset (&no_signals);
  sigemptyset (&default_signals);
  sigaddset (&default_signals, SIGPIPE);
  posix_spawnattr_init (&attr);
  posix_spawnattr_setsigmask (&attr, &no_signals);
  posix_spawnattr_setsigdefault (&attr, &default_signals);
  posix_spawnattr_setflags (&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  envp = ptl_proc_dup_helper_environ ();
  rc = posix_spawn (&child->pid, job->helper, &actions, &attr, argv, envp);

  posix_spawnattr_destroy (&attr);
  posix_spawn_file_actions_destroy (&actions);
  close (fds[1]);

  if (rc != 0)
    {
      close (fds[0]);
      g_set_error (error, PTL_ERROR,
                   rc == EAGAIN || rc == ENOMEM ? PTL_ERROR_LIMIT : PTL_ERROR_FAILED,
                   _("Could not start the helper program %s: %s"), job->helper, g_strerror (rc));
      return FALSE;
    }

  child->fd = fds[0];
  child->output = g_string_new (NULL);
  return TRUE;
}

static gboolean
parse_report (const PtlChildJob  *job,
              const char         *output,
              PtlChildTotals     *totals,
              GError            **error)
{
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);
  gint64 cpu_ns = -1, maxrss = -1;
  guint64 checksum = 0;
  gboolean have_checksum = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *value = strchr (lines[i], '=');
      char *end;

      if (value == NULL)
        continue;
      value++;
      if (g_str_has_prefix (lines[i], "cpu_ns="))
        cpu_ns = g_ascii_strtoll (value, &end, 10);
      else if (g_str_has_prefix (lines[i], "maxrss_bytes="))
        maxrss = g_ascii_strtoll (value, &end, 10);
      else if (g_str_has_prefix (lines[i], "checksum="))
        {
          checksum = g_ascii_strtoull (value, &end, 10);
          have_checksum = end != value && *end == '\0';
        }
    }

  if (cpu_ns < 0 || maxrss < 0 || !have_checksum)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("The helper program %s did not report what it measured; is it from another version of ptlab?"),
                   job->helper);
      return FALSE;
    }
  if (checksum != job->expected_checksum)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("The helper program %s computed a different result than the lab; is it from another version of ptlab?"),
                   job->helper);
      return FALSE;
    }

  totals->cpu_ns += cpu_ns;
  totals->maxrss_bytes += maxrss;
  return TRUE;
}

/* The child closed its stdout, so it has exited or is about to: reap it
 * and account for its report. */
static gboolean
finish_child (const PtlChildJob  *job,
              Child              *child,
              PtlChildTotals     *totals,
              GError            **error)
{
  int status = 0;

  close (child->fd);
  child->fd = -1;

  if (ptl_waitpid_retry (child->pid, &status) < 0)
    {
      int saved = errno;

      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("Could not wait for a helper process: %s"), g_strerror (saved));
      return FALSE;
    }

  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      if (WIFSIGNALED (status))
        g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                     _("The helper program %s was killed by signal %d (%s)"),
                     job->helper, WTERMSIG (status), g_strsignal (WTERMSIG (status)));
      else
        g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                     _("The helper program %s failed with exit status %d"),
                     job->helper, WEXITSTATUS (status));
      return FALSE;
    }

  return parse_report (job, child->output->str, totals, error);
}

/* Reads what is ready on @child's pipe: 1 at end of file, 0 when more
 * is to come, -1 on error. */
static int
read_child (Child   *child,
            GError **error)
{
  char buffer[512];
  gssize n;

  do
    n = read (child->fd, buffer, sizeof buffer);
  while (n < 0 && errno == EINTR);

  if (n < 0)
    {
      int saved = errno;

      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("Could not read from a helper process: %s"), g_strerror (saved));
      return -1;
    }
  if (n > 0)
    g_string_append_len (child->output, buffer, n);
  return n == 0 ? 1 : 0;
}

gboolean
ptl_child_pool_run (const PtlChildJob  *job,
                    guint               n_children,
                    guint               max_running,
                    GCancellable       *cancellable,
                    PtlChildTotals     *totals,
                    GError            **error)
{
  g_autoptr(GArray) running = NULL;
  g_autoptr(GArray) pfds = NULL;
  GPollFD cancel_fd = { -1, G_IO_IN, 0 };
  gboolean have_cancel_fd;
  guint started = 0, finished = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (job != NULL && job->helper != NULL, FALSE);
  g_return_val_if_fail (max_running > 0, FALSE);
  g_return_val_if_fail (totals != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  running = g_array_sized_new (FALSE, TRUE, sizeof (Child), MIN (n_children, max_running));
  pfds = g_array_new (FALSE, TRUE, sizeof (struct pollfd));
  have_cancel_fd = g_cancellable_make_pollfd (cancellable, &cancel_fd);

  while (ok && finished < n_children)
    {
      guint n_polled;
      int n_ready;

      while (ok && started < n_children && running->len < max_running)
        {
          Child child = { 0, -1, NULL };

          ok = spawn_child (job, &child, error);
          if (ok)
            {
              g_array_append_val (running, child);
              started++;
            }
        }
      if (!ok || g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }

      g_array_set_size (pfds, 0);
      for (guint i = 0; i < running->len; i++)
        {
          struct pollfd pfd = { g_array_index (running, Child, i).fd, POLLIN, 0 };
          g_array_append_val (pfds, pfd);
        }
      n_polled = pfds->len;
      if (have_cancel_fd)
        {
          struct pollfd pfd = { cancel_fd.fd, POLLIN, 0 };
          g_array_append_val (pfds, pfd);
        }

      /* The timeout bounds how late a cancellation without a pollable
       * file descriptor is seen. */
      n_ready = poll ((struct pollfd *) (gpointer) pfds->data, pfds->len, 100);
      if (n_ready < 0 && errno != EINTR)
        {
          int saved = errno;

          g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                       _("Could not wait for helper processes: %s"), g_strerror (saved));
          ok = FALSE;
          break;
        }
      if (n_ready <= 0)
        continue;

      /* Walk backwards: finished children are removed in place. */
      for (guint i = n_polled; ok && i-- > 0;)
        {
          struct pollfd *pfd = &g_array_index (pfds, struct pollfd, i);
          Child *child = &g_array_index (running, Child, i);
          int state;

          if (pfd->revents == 0)
            continue;
          state = read_child (child, error);
          if (state == 0)
            continue;
          if (state < 0)
            {
              ok = FALSE;
              break;
            }
          ok = finish_child (job, child, totals, error);
          child_clear (child);
          g_array_remove_index_fast (running, i);
          finished++;
        }
    }

  if (!ok)
    kill_and_reap (running);
  if (have_cancel_fd)
    g_cancellable_release_fd (cancellable);
  return ok;
}
