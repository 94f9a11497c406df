/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-proc-child"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptl-parent.h"
#include "ptl-proc-child.h"

/* posix_spawn (), as the "models" experiment's child pool uses it: glibc
 * implements it with a vfork-style clone, so starting a thousand children
 * from a large GUI process costs what it costs from a small one, and a
 * failure (EAGAIN at RLIMIT_NPROC) comes back as its return value. */

int
ptl_proc_spawn (const char * const *argv,
                int                 stdin_fd,
                int                 stdout_fd,
                GPid               *pid)
{
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  sigset_t no_signals, default_signals;
  g_auto(GStrv) envp = ptl_proc_dup_helper_environ ();
  pid_t child;
  int rc;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, EINVAL);
  g_return_val_if_fail (stdout_fd >= 0, EINVAL);
  g_return_val_if_fail (pid != NULL, EINVAL);

  posix_spawn_file_actions_init (&actions);
  if (stdin_fd >= 0)
    posix_spawn_file_actions_adddup2 (&actions, stdin_fd, STDIN_FILENO);
  else
    posix_spawn_file_actions_addopen (&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2 (&actions, stdout_fd, STDOUT_FILENO);

  /* Whatever this thread blocks or ignores (GTK ignores SIGPIPE) must not
   * leak into the child. */
  sigemptyset (&no_signals);
  sigemptyset (&default_signals);
  sigaddset (&default_signals, SIGPIPE);
  posix_spawnattr_init (&attr);
  posix_spawnattr_setsigmask (&attr, &no_signals);
  posix_spawnattr_setsigdefault (&attr, &default_signals);
  posix_spawnattr_setflags (&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  rc = posix_spawn (&child, argv[0], &actions, &attr, (char * const *) argv, envp);

  posix_spawnattr_destroy (&attr);
  posix_spawn_file_actions_destroy (&actions);
  if (rc == 0)
    *pid = child;
  return rc;
}

char **
ptl_proc_dup_helper_environ (void)
{
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());

  return g_environ_setenv (g_get_environ (), PTL_PARENT_PID_ENV, pid, TRUE);
}

GPid
ptl_proc_wait (GPid  pid,
               int  *status,
               int   options)
{
  GPid rc;

  g_return_val_if_fail (pid > 0, -1);

  do
    rc = waitpid (pid, status, options);
  while (rc < 0 && errno == EINTR);
  return rc;
}

void
ptl_proc_kill_and_reap (GArray *pids)
{
  g_return_if_fail (pids != NULL);

  /* All killed first, then all reaped: they die in parallel. */
  for (guint i = 0; i < pids->len; i++)
    kill (g_array_index (pids, GPid, i), SIGKILL);
  for (guint i = 0; i < pids->len; i++)
    ptl_proc_wait (g_array_index (pids, GPid, i), NULL, 0);
  g_array_set_size (pids, 0);
}

char *
ptl_proc_dup_signal_name (int signo)
{
  const char *abbrev = sigabbrev_np (signo);

  if (abbrev == NULL)
    return g_strdup_printf (_("signal %d"), signo);
  return g_strconcat ("SIG", abbrev, NULL);
}

char *
ptl_proc_dup_errno_name (int errsv)
{
  const char *name = strerrorname_np (errsv);

  if (name == NULL)
    return g_strdup_printf (_("error %d"), errsv);
  return g_strdup (name);
}

char *
ptl_proc_describe_status (int status)
{
  if (WIFEXITED (status))
    return g_strdup_printf (_("exit %d"), WEXITSTATUS (status));
  if (WIFSIGNALED (status))
    {
      g_autofree char *name = ptl_proc_dup_signal_name (WTERMSIG (status));

      if (WCOREDUMP (status))
        return g_strdup_printf (_("signal %s (core dumped)"), name);
      return g_strdup_printf (_("signal %s"), name);
    }
  /* Stopped or continued: only with WUNTRACED or WCONTINUED, which we never pass. */
  return g_strdup_printf (_("wait status %#x"), (unsigned int) status);
}

int
ptl_proc_read_lines (int        fd,
                     GString   *pending,
                     GPtrArray *lines)
{
  char buffer[4096];
  gssize n;
  char *newline;

  g_return_val_if_fail (fd >= 0, -1);
  g_return_val_if_fail (pending != NULL && lines != NULL, -1);

  do
    n = read (fd, buffer, sizeof buffer);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return errno == EAGAIN ? 0 : -1;
  if (n == 0)
    return 1;

  g_string_append_len (pending, buffer, n);
  while ((newline = memchr (pending->str, '\n', pending->len)) != NULL)
    {
      gsize length = newline - pending->str;

      g_ptr_array_add (lines, g_strndup (pending->str, length));
      g_string_erase (pending, 0, length + 1);
    }
  return 0;
}
