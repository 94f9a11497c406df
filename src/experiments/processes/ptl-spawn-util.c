/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-spawn-util"

#include "config.h"

/* PRIu64 rather than G_GUINT64_FORMAT in translatable strings: xgettext
 * understands only the <inttypes.h> macros. */
#include <inttypes.h>

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptl-proc-child.h"
#include "ptl-spawn-util.h"
#include "ptl-waitpid.h"

#define POLL_INTERVAL_MS 100

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

static gboolean
make_pipe (int      fds[2],
           GError **error)
{
  if (pipe2 (fds, O_CLOEXEC) == 0)
    return TRUE;

  {
    int saved = errno;

    g_set_error (error, PTL_ERROR,
                 saved == EMFILE || saved == ENFILE ? PTL_ERROR_LIMIT : PTL_ERROR_FAILED,
                 _("Could not create a pipe to a child process: %s"), g_strerror (saved));
  }
  return FALSE;
}

gboolean
ptl_spawn_child_start (const char * const  *argv,
                       gboolean             pipe_stdin,
                       PtlSpawnChild       *child,
                       GError             **error)
{
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  sigset_t no_signals, default_signals;
  int out_fds[2], in_fds[2] = { -1, -1 };
  g_auto(GStrv) envp = NULL;
  int rc;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, FALSE);
  g_return_val_if_fail (child != NULL && child->pid == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!make_pipe (out_fds, error))
    return FALSE;
  if (pipe_stdin && !make_pipe (in_fds, error))
    {
      close (out_fds[0]);
      close (out_fds[1]);
      return FALSE;
    }

  posix_spawn_file_actions_init (&actions);
  if (pipe_stdin)
    posix_spawn_file_actions_adddup2 (&actions, in_fds[0], STDIN_FILENO);
  else
    posix_spawn_file_actions_addopen (&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2 (&actions, out_fds[1], STDOUT_FILENO);

  /* Whatever this thread blocks or ignores (GTK ignores SIGPIPE, the
   * pool blocks it while writing) must not leak into the child. */
  sigemptyset (&no_signals);
  sigemptyset (&default_signals);
  sigaddset (&default_signals, SIGPIPE);
  posix_spawnattr_init (&attr);
  posix_spawnattr_setsigmask (&attr, &no_signals);
  posix_spawnattr_setsigdefault (&attr, &default_signals);
  posix_spawnattr_setflags (&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  envp = ptl_proc_dup_helper_environ ();
  rc = posix_spawn (&child->pid, argv[0], &actions, &attr, (char * const *) argv, envp);

  posix_spawnattr_destroy (&attr);
  posix_spawn_file_actions_destroy (&actions);
  close (out_fds[1]);
  if (pipe_stdin)
    close (in_fds[0]);

  if (rc != 0)
    {
      child->pid = 0;
      close (out_fds[0]);
      if (pipe_stdin)
        close (in_fds[1]);
      if (ptl_spawn_errno_is_limit (rc))
        {
          g_autofree char *limit = ptl_spawn_dup_nproc_limit ();

          g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                       _("Could not start %s: %s — %s"), argv[0], g_strerror (rc), limit);
        }
      else
        g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                     _("Could not start the helper program %s: %s"), argv[0], g_strerror (rc));
      return FALSE;
    }

  child->out_fd = out_fds[0];
  child->in_fd = pipe_stdin ? in_fds[1] : -1;
  return TRUE;
}

gboolean
ptl_spawn_child_finish (PtlSpawnChild  *child,
                        const char     *name,
                        GError        **error)
{
  int status = 0;
  GPid pid;

  g_return_val_if_fail (child != NULL && child->pid > 0, FALSE);

  /* Closing stdin is how a pool worker learns that it is done. */
  close_fd (&child->in_fd);
  pid = child->pid;
  child->pid = 0;
  if (ptl_waitpid_retry (pid, &status) < 0)
    {
      int saved = errno;

      close_fd (&child->out_fd);
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("Could not wait for a child process: %s"), g_strerror (saved));
      return FALSE;
    }
  close_fd (&child->out_fd);

  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return TRUE;
  if (WIFSIGNALED (status))
    g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                 _("The helper program %s was killed by signal %d (%s)"),
                 name, WTERMSIG (status), g_strsignal (WTERMSIG (status)));
  else
    g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                 _("The helper program %s failed with exit status %d"), name, WEXITSTATUS (status));
  return FALSE;
}

void
ptl_spawn_child_kill (PtlSpawnChild *child)
{
  g_return_if_fail (child != NULL);

  if (child->pid > 0)
    {
      kill (child->pid, SIGKILL);
      ptl_waitpid_retry (child->pid, NULL);
      child->pid = 0;
    }
  close_fd (&child->in_fd);
  close_fd (&child->out_fd);
}

gboolean
ptl_spawn_run_helper (const char          *helper,
                      const char * const  *args,
                      GCancellable        *cancellable,
                      char               **output,
                      GError             **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  PtlSpawnChild child = PTL_SPAWN_CHILD_INIT;
  GPollFD cancel_fd = { -1, G_IO_IN, 0 };
  gboolean have_cancel_fd;
  gboolean ok = TRUE;

  g_return_val_if_fail (helper != NULL && args != NULL && output != NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  g_ptr_array_add (argv, (gpointer) helper);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (!ptl_spawn_child_start ((const char * const *) argv->pdata, FALSE, &child, error))
    return FALSE;

  have_cancel_fd = g_cancellable_make_pollfd (cancellable, &cancel_fd);
  for (;;)
    {
      struct pollfd pfds[2] = { { child.out_fd, POLLIN, 0 }, { cancel_fd.fd, POLLIN, 0 } };
      char buffer[4096];
      gssize n;
      int ready;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      /* The timeout bounds how late a cancellation without a pollable
       * descriptor is seen. */
      ready = poll (pfds, have_cancel_fd ? 2 : 1, POLL_INTERVAL_MS);
      if (ready < 0 && errno != EINTR)
        {
          int saved = errno;

          g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                       _("Could not wait for the helper program: %s"), g_strerror (saved));
          ok = FALSE;
          break;
        }
      if (ready <= 0 || pfds[0].revents == 0)
        continue;

      do
        n = read (child.out_fd, buffer, sizeof buffer);
      while (n < 0 && errno == EINTR);
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                       _("Could not read from the helper program: %s"), g_strerror (saved));
          ok = FALSE;
          break;
        }
      if (n == 0)
        break;
      g_string_append_len (text, buffer, n);
    }
  if (have_cancel_fd)
    g_cancellable_release_fd (cancellable);

  if (!ok)
    {
      ptl_spawn_child_kill (&child);
      return FALSE;
    }
  if (!ptl_spawn_child_finish (&child, helper, error))
    return FALSE;
  *output = g_string_free (g_steal_pointer (&text), FALSE);
  return TRUE;
}

gboolean
ptl_spawn_get_nproc_limit (guint64 *limit)
{
  struct rlimit rlimit;

  g_return_val_if_fail (limit != NULL, FALSE);

  /* Linux does not apply the limit to root or to a process with
   * CAP_SYS_RESOURCE or CAP_SYS_ADMIN; root stands for those here. */
  if (getrlimit (RLIMIT_NPROC, &rlimit) != 0 || rlimit.rlim_cur == RLIM_INFINITY ||
      getuid () == 0 || geteuid () == 0)
    return FALSE;
  *limit = rlimit.rlim_cur;
  return TRUE;
}

char *
ptl_spawn_dup_nproc_limit (void)
{
  struct rlimit rlimit;

  if (getrlimit (RLIMIT_NPROC, &rlimit) != 0 || rlimit.rlim_cur == RLIM_INFINITY)
    return g_strdup (_("RLIMIT_NPROC is unlimited"));
  if (getuid () == 0 || geteuid () == 0)
    return g_strdup_printf (_("RLIMIT_NPROC is %" PRIu64 " but does not apply to root"),
                            (guint64) rlimit.rlim_cur);
  return g_strdup_printf (_("RLIMIT_NPROC is %" PRIu64), (guint64) rlimit.rlim_cur);
}

gint64
ptl_spawn_get_mem_available (void)
{
  g_autofree char *meminfo = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/meminfo", &meminfo, NULL, NULL))
    return -1;
  line = strstr (meminfo, "MemAvailable:");
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen ("MemAvailable:"), NULL, 10) * 1024;
}

gboolean
ptl_spawn_errno_is_limit (int errsv)
{
  return errsv == EAGAIN || errsv == ENOMEM;
}

char *
ptl_spawn_describe_failure (const char *call,
                            int         errsv,
                            guint       in_flight)
{
  g_autofree char *limit = ptl_spawn_dup_nproc_limit ();
  const char *name = strerrorname_np (errsv);

  g_return_val_if_fail (call != NULL, NULL);

  if (errsv == ENOMEM)
    {
      g_autofree char *available = ptl_format_value (ptl_spawn_get_mem_available (), "B");

      return g_strdup_printf (_("%s failed with %u already in flight: %s (%s) — MemAvailable is %s, %s"),
                              call, in_flight, g_strerror (errsv), name != NULL ? name : "?",
                              available, limit);
    }
  return g_strdup_printf (_("%s failed with %u already in flight: %s (%s) — %s"),
                          call, in_flight, g_strerror (errsv), name != NULL ? name : "?", limit);
}

gboolean
ptl_spawn_pin_thread (cpu_set_t  *saved,
                      int        *cpu,
                      GError    **error)
{
  cpu_set_t one;
  int rc;

  g_return_val_if_fail (saved != NULL && cpu != NULL, FALSE);

  rc = pthread_getaffinity_np (pthread_self (), sizeof *saved, saved);
  if (rc == 0)
    {
      *cpu = sched_getcpu ();
      if (*cpu < 0)
        rc = errno;
    }
  if (rc == 0)
    {
      CPU_ZERO (&one);
      CPU_SET (*cpu, &one);
      rc = pthread_setaffinity_np (pthread_self (), sizeof one, &one);
    }
  if (rc != 0)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_NOT_PERMITTED,
                   _("Could not pin the measuring thread to one CPU: %s"), g_strerror (rc));
      return FALSE;
    }
  return TRUE;
}

void
ptl_spawn_unpin_thread (const cpu_set_t *saved)
{
  g_return_if_fail (saved != NULL);

  pthread_setaffinity_np (pthread_self (), sizeof *saved, saved);
}

gint64
ptl_spawn_get_peak_rss (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "\nVmHWM:");
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen ("\nVmHWM:"), NULL, 10) * 1024;
}

gint64
ptl_spawn_count_mappings (void)
{
  g_autofree char *maps = NULL;
  gint64 n = 0;

  if (!g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL))
    return -1;
  for (const char *c = maps; *c != '\0'; c++)
    n += *c == '\n';
  return n;
}

/* A new parameters object with one more member: the result's may be
 * copied by another thread at any time, so it is replaced, not changed. */
static void
record_member (PtlResult  *result,
               const char *name,
               JsonNode   *value)
{
  JsonObject *old = ptl_result_get_parameters (result);
  g_autoptr(JsonObject) parameters = json_object_new ();
  g_autoptr(GList) members = NULL;

  if (old != NULL)
    members = json_object_get_members (old);
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (parameters, l->data, json_node_copy (json_object_get_member (old, l->data)));
  json_object_set_member (parameters, name, value);
  ptl_result_set_parameters (result, parameters);
}

void
ptl_spawn_record_string (PtlResult  *result,
                         const char *name,
                         const char *value)
{
  JsonNode *node;

  g_return_if_fail (PTL_IS_RESULT (result));

  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, value);
  record_member (result, name, node);
}

void
ptl_spawn_record_int (PtlResult  *result,
                      const char *name,
                      gint64      value)
{
  JsonNode *node;

  g_return_if_fail (PTL_IS_RESULT (result));

  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_int (node, value);
  record_member (result, name, node);
}
