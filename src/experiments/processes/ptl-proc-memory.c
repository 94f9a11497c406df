/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-proc-memory"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ptl-proc-memory.h"
#include "ptl-types.h"

/* /proc readers. smaps_rollup sums every mapping of a process in one
 * read, unlike smaps, which prints each mapping and takes ~100 times
 * longer on a process with a thousand thread stacks. */

gint64
ptl_proc_parse_kib_field (const char *text,
                          const char *key)
{
  gsize key_length;

  g_return_val_if_fail (text != NULL, -1);
  g_return_val_if_fail (key != NULL, -1);

  key_length = strlen (key);
  for (const char *line = text; line != NULL; line = strchr (line, '\n'))
    {
      const char *value;
      char *end;
      gint64 kib;

      if (*line == '\n')
        line++;
      if (strncmp (line, key, key_length) != 0 || line[key_length] != ':')
        continue;

      value = line + key_length + 1;
      while (*value == ' ' || *value == '\t')
        value++;
      kib = g_ascii_strtoll (value, &end, 10);
      if (end == value || kib < 0 || kib > G_MAXINT64 / 1024)
        return -1;
      return kib * 1024;
    }
  return -1;
}

gboolean
ptl_proc_parse_smaps_rollup (const char    *text,
                             PtlProcMemory *memory)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (memory != NULL, FALSE);

  memory->rss = ptl_proc_parse_kib_field (text, "Rss");
  memory->pss = ptl_proc_parse_kib_field (text, "Pss");
  return memory->rss >= 0 && memory->pss >= 0;
}

gboolean
ptl_proc_read_memory (GPid            pid,
                      PtlProcMemory  *memory,
                      GError        **error)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/smaps_rollup", (int) pid);
  g_autofree char *status_path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  g_autofree char *status = NULL;

  g_return_val_if_fail (pid > 0, FALSE);
  g_return_val_if_fail (memory != NULL, FALSE);

  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  if (!ptl_proc_parse_smaps_rollup (text, memory))
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("%s has no Rss or Pss line; is this Linux 4.14 or newer?"), path);
      return FALSE;
    }
  /* A missing VmPTE (a kernel thread, an exotic kernel) is not worth failing for. */
  if (g_file_get_contents (status_path, &status, NULL, NULL))
    memory->page_tables = MAX (0, ptl_proc_parse_kib_field (status, "VmPTE"));
  else
    memory->page_tables = 0;
  return TRUE;
}

gint64
ptl_proc_read_mem_available (void)
{
  g_autofree char *meminfo = NULL;

  if (!g_file_get_contents ("/proc/meminfo", &meminfo, NULL, NULL))
    return -1;
  return ptl_proc_parse_kib_field (meminfo, "MemAvailable");
}

static guint64
read_u64_file (const char *path)
{
  g_autofree char *text = NULL;
  guint64 value;

  if (!g_file_get_contents (path, &text, NULL, NULL) ||
      !g_ascii_string_to_unsigned (g_strstrip (text), 10, 0, G_MAXUINT64, &value, NULL))
    return G_MAXUINT64;
  return value;
}

/* Tasks (threads) of every process whose real user is @uid. */
static guint64
count_user_tasks (uid_t uid)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint64 n = 0;

  if (proc == NULL)
    return 0;
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *status = NULL;
      const char *line;
      unsigned int real_uid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "status", NULL);
      /* Processes exit while we look: skip what is gone. */
      if (!g_file_get_contents (path, &status, NULL, NULL))
        continue;
      line = strstr (status, "\nUid:");
      if (line == NULL || sscanf (line, "\nUid: %u", &real_uid) != 1 || real_uid != uid)
        continue;
      line = strstr (status, "\nThreads:");
      n += line != NULL ? g_ascii_strtoull (line + strlen ("\nThreads:"), NULL, 10) : 1;
    }
  return n;
}

/* The fourth field of /proc/loadavg is "running/total" tasks. */
static guint64
count_system_tasks (void)
{
  g_autofree char *loadavg = NULL;
  const char *slash;

  if (!g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    return 0;
  slash = strchr (loadavg, '/');
  return slash != NULL ? g_ascii_strtoull (slash + 1, NULL, 10) : 0;
}

void
ptl_proc_read_task_limits (PtlProcTaskLimits *limits)
{
  struct rlimit nproc;

  g_return_if_fail (limits != NULL);

  if (getrlimit (RLIMIT_NPROC, &nproc) != 0 || nproc.rlim_cur == RLIM_INFINITY)
    limits->nproc_limit = G_MAXUINT64;
  else
    limits->nproc_limit = nproc.rlim_cur;
  /* Root (precisely: CAP_SYS_RESOURCE or CAP_SYS_ADMIN) is exempt. */
  limits->nproc_exempt = geteuid () == 0;
  limits->user_tasks = count_user_tasks (getuid ());
  limits->threads_max = read_u64_file ("/proc/sys/kernel/threads-max");
  limits->system_tasks = count_system_tasks ();
}

static guint64
headroom (guint64 limit,
          guint64 used,
          guint64 reserve)
{
  if (limit == G_MAXUINT64)
    return G_MAXUINT64;
  return limit > used + reserve ? limit - used - reserve : 0;
}

guint64
ptl_proc_task_headroom (const PtlProcTaskLimits  *limits,
                        guint64                   reserve,
                        const char              **limit_name)
{
  guint64 by_nproc, by_threads;

  g_return_val_if_fail (limits != NULL, 0);

  /* The lab honours RLIMIT_NPROC even for root: it is what the user set. */
  by_nproc = headroom (limits->nproc_limit, limits->user_tasks, reserve);
  by_threads = headroom (limits->threads_max, limits->system_tasks, reserve);

  if (limit_name != NULL)
    *limit_name = by_nproc <= by_threads ? "RLIMIT_NPROC" : "kernel.threads-max";
  return MIN (by_nproc, by_threads);
}

char *
ptl_proc_describe_task_limits (const PtlProcTaskLimits *limits)
{
  g_autofree char *nproc = NULL;
  g_autofree char *threads = NULL;

  g_return_val_if_fail (limits != NULL, NULL);

  if (limits->nproc_limit == G_MAXUINT64)
    nproc = g_strdup (_("RLIMIT_NPROC is unlimited"));
  else if (limits->nproc_exempt)
    nproc = g_strdup_printf (_("RLIMIT_NPROC is %llu (not enforced for root; your user runs %llu tasks)"),
                             (unsigned long long) limits->nproc_limit,
                             (unsigned long long) limits->user_tasks);
  else
    nproc = g_strdup_printf (_("RLIMIT_NPROC is %llu (your user runs %llu tasks)"),
                             (unsigned long long) limits->nproc_limit,
                             (unsigned long long) limits->user_tasks);

  if (limits->threads_max == G_MAXUINT64)
    return g_steal_pointer (&nproc);
  threads = g_strdup_printf (_("kernel.threads-max is %llu (%llu tasks run on the system)"),
                             (unsigned long long) limits->threads_max,
                             (unsigned long long) limits->system_tasks);
  return g_strdup_printf ("%s; %s", nproc, threads);
}
