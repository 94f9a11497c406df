/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-machine"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
/* PRIu64 rather than G_GUINT64_FORMAT in translatable strings: xgettext
 * understands only the <inttypes.h> macros. */
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ptl-machine.h"
#include "ptl-types.h"

/* First "key : value" line of a /proc-style file whose key is @key. */
static char *
read_keyed_line (const char *path,
                 const char *key)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gsize key_len = strlen (key);

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon;

      if (strncmp (lines[i], key, key_len) != 0)
        continue;
      colon = strchr (lines[i], ':');
      if (colon == NULL)
        continue;
      return g_strstrip (g_strdup (colon + 1));
    }
  return NULL;
}

static char *
read_trimmed_file (const char *path)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return g_strstrip (g_steal_pointer (&contents));
}

/* Names only a hypervisor's virtual firmware carries, in the DMI product
 * name or system vendor. Vendor names alone ("Microsoft Corporation",
 * "Google", "Amazon EC2") are not enough: Surface laptops, Chromebooks
 * and EC2 metal instances carry them on bare metal. */
static const struct
{
  const char *product; /* prefix of product_name, or NULL */
  const char *vendor;  /* sys_vendor, exactly, or NULL */
  const char *name;
} hypervisors[] = {
  { "KVM", NULL, "kvm" },
  { "Standard PC (", NULL, "qemu" },
  { NULL, "QEMU", "qemu" },
  { "VMware", NULL, "vmware" },
  { NULL, "VMware, Inc.", "vmware" },
  { "VirtualBox", NULL, "oracle" },
  { NULL, "innotek GmbH", "oracle" },
  { "HVM domU", NULL, "xen" },
  { NULL, "Xen", "xen" },
  { "Virtual Machine", "Microsoft Corporation", "microsoft" },
  { "Google Compute Engine", NULL, "google" },
  { "Parallels Virtual Platform", NULL, "parallels" },
  { "BHYVE", NULL, "bhyve" },
  { "Bochs", NULL, "bochs" },
  { "Firecracker", NULL, "firecracker" },
  { "OpenStack", NULL, "openstack" },
};

char *
ptl_machine_classify_virtualization (const char *sys_vendor,
                                     const char *product_name,
                                     const char *cpuinfo)
{
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (hypervisors); i++)
    {
      gboolean product_matches = hypervisors[i].product == NULL ||
        (product_name != NULL && g_str_has_prefix (product_name, hypervisors[i].product));
      gboolean vendor_matches = hypervisors[i].vendor == NULL ||
        (sys_vendor != NULL && g_str_equal (sys_vendor, hypervisors[i].vendor));

      if (product_matches && vendor_matches)
        return g_strdup (hypervisors[i].name);
    }
  /* EC2 names the instance type: a virtual one unless it is "….metal". */
  if (g_strcmp0 (sys_vendor, "Amazon EC2") == 0 && product_name != NULL &&
      !g_str_has_suffix (product_name, ".metal"))
    return g_strdup ("amazon");

  if (cpuinfo == NULL)
    return g_strdup ("unknown");
  /* The CPUID bit every hypervisor sets for its guests (Linux shows it as
   * the "hypervisor" flag), firmware names or not. */
  lines = g_strsplit (cpuinfo, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');
      g_auto(GStrv) words = NULL;

      if (!g_str_has_prefix (lines[i], "flags") || colon == NULL)
        continue;
      words = g_strsplit_set (colon + 1, " \t", -1);
      return g_strdup (g_strv_contains ((const char * const *) words, "hypervisor") ? "vm" : "none");
    }
  /* No flags line (ARM shows "Features", without such a bit): cannot tell. */
  return g_strdup ("unknown");
}

static char *
detect_virtualization (void)
{
  g_autofree char *vendor = read_trimmed_file ("/sys/class/dmi/id/sys_vendor");
  g_autofree char *product = read_trimmed_file ("/sys/class/dmi/id/product_name");
  g_autofree char *cpuinfo = NULL;

  if (g_file_test ("/proc/xen", G_FILE_TEST_EXISTS))
    return g_strdup ("xen");
  g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL);
  return ptl_machine_classify_virtualization (vendor, product, cpuinfo);
}

gboolean
ptl_machine_is_virtual (JsonObject  *machine,
                        const char **name)
{
  const char *virtualization = NULL;

  if (machine != NULL)
    virtualization = json_object_get_string_member_with_default (machine, "virtualization", NULL);
  if (name != NULL)
    *name = virtualization;
  return virtualization != NULL && !g_str_equal (virtualization, "none") &&
         !g_str_equal (virtualization, "unknown");
}

guint
ptl_machine_get_n_cpus (void)
{
  cpu_set_t set;

  if (sched_getaffinity (0, sizeof set, &set) == 0 && CPU_COUNT (&set) > 0)
    return CPU_COUNT (&set);
  return MAX (1, g_get_num_processors ());
}

/* The keys stay English in JSON and CSV; people read these labels. */
static const struct
{
  const char *name;
  const char *label;
} fact_labels[] = {
  { "cpu_model", NC_("machine fact", "CPU model") },
  { "cores", NC_("machine fact", "Cores") },
  { "cores_online", NC_("machine fact", "Cores online") },
  { "kernel", NC_("machine fact", "Kernel") },
  { "memory_bytes", NC_("machine fact", "Memory") },
  { "glib_version", NC_("machine fact", "GLib version") },
  { "date", NC_("machine fact", "Date") },
  { "virtualization", NC_("machine fact", "Virtualization") },
  { "governor", NC_("machine fact", "CPU governor") },
  { "load_average_1m", NC_("machine fact", "Load average (1 min)") },
};

const char *
ptl_machine_get_fact_label (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fact_labels); i++)
    if (g_str_equal (fact_labels[i].name, name))
      return g_dpgettext2 (NULL, "machine fact", fact_labels[i].label);
  return NULL;
}

JsonObject *
ptl_machine_collect (void)
{
  JsonObject *machine = json_object_new ();
  g_autofree char *model = NULL;
  g_autofree char *mem_total = NULL;
  g_autofree char *governor = NULL;
  g_autofree char *loadavg = NULL;
  g_autofree char *virt = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format_iso8601 (now);
  g_autofree char *glib_version = g_strdup_printf ("%u.%u.%u", glib_major_version,
                                                   glib_minor_version, glib_micro_version);
  struct utsname uts;

  model = read_keyed_line ("/proc/cpuinfo", "model name");
  if (model == NULL)
    model = read_keyed_line ("/proc/cpuinfo", "Model");
  /* What the history and comparisons name a machine by. */
  json_object_set_string_member (machine, "hostname", g_get_host_name ());
  json_object_set_string_member (machine, "cpu_model", model ? model : "unknown");
  json_object_set_int_member (machine, "cores", ptl_machine_get_n_cpus ());
  json_object_set_int_member (machine, "cores_online", g_get_num_processors ());

  if (uname (&uts) == 0)
    {
      g_autofree char *kernel = g_strdup_printf ("%s %s %s", uts.sysname, uts.release, uts.machine);
      json_object_set_string_member (machine, "kernel", kernel);
    }

  mem_total = read_keyed_line ("/proc/meminfo", "MemTotal");
  if (mem_total != NULL)
    json_object_set_int_member (machine, "memory_bytes",
                                g_ascii_strtoll (mem_total, NULL, 10) * 1024);

  json_object_set_string_member (machine, "glib_version", glib_version);
  json_object_set_string_member (machine, "date", date);

  virt = detect_virtualization ();
  json_object_set_string_member (machine, "virtualization", virt);

  governor = read_trimmed_file ("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  json_object_set_string_member (machine, "governor", governor ? governor : "unknown");

  loadavg = read_trimmed_file ("/proc/loadavg");
  if (loadavg != NULL)
    json_object_set_double_member (machine, "load_average_1m", g_ascii_strtod (loadavg, NULL));

  return machine;
}

guint
ptl_machine_count_user_tasks (guint uid)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *status = NULL;
      const char *uid_line, *threads_line;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "status", NULL);
      /* Processes that end meanwhile no longer count. */
      if (!g_file_get_contents (path, &status, NULL, NULL))
        continue;
      uid_line = strstr (status, "\nUid:");
      threads_line = strstr (status, "\nThreads:");
      if (uid_line != NULL && threads_line != NULL &&
          g_ascii_strtoull (uid_line + strlen ("\nUid:"), NULL, 10) == uid)
        n += (guint) g_ascii_strtoull (threads_line + strlen ("\nThreads:"), NULL, 10);
    }
  return n;
}

gboolean
ptl_machine_check_limits (guint    tasks,
                          GError **error)
{
  struct rlimit limit;

  /* Linux does not apply RLIMIT_NPROC to root (nor to CAP_SYS_RESOURCE
   * or CAP_SYS_ADMIN, which root stands for here). */
  if (getrlimit (RLIMIT_NPROC, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
      getuid () != 0 && geteuid () != 0)
    {
      guint64 used = ptl_machine_count_user_tasks (getuid ());

      if (used + tasks > limit.rlim_cur)
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                       _("RLIMIT_NPROC (ulimit -u) is %" PRIu64 " and this user already runs %" PRIu64
                         " threads and processes: ptlab needs room for at least %u more"),
                       (guint64) limit.rlim_cur, used, tasks);
          return FALSE;
        }
    }

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    {
      g_autoptr(GDir) fds = g_dir_open ("/proc/self/fd", 0, NULL);
      guint64 open_fds = 0;

      while (fds != NULL && g_dir_read_name (fds) != NULL)
        open_fds++;
      /* The folder's own descriptor was counted too. */
      open_fds = open_fds > 0 ? open_fds - 1 : 0;
      if (open_fds + PTL_MACHINE_MIN_FDS > limit.rlim_cur)
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                       _("RLIMIT_NOFILE (ulimit -n) is %" PRIu64 " with %" PRIu64
                         " descriptors open: ptlab needs at least %d free"),
                       (guint64) limit.rlim_cur, open_fds, PTL_MACHINE_MIN_FDS);
          return FALSE;
        }
    }

  if (getrlimit (RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY &&
      limit.rlim_cur < PTL_MACHINE_MIN_ADDRESS_SPACE)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                   _("RLIMIT_AS (ulimit -v) is %" PRIu64 " KiB: ptlab needs at least %" PRIu64
                     " KiB of address space"),
                   (guint64) limit.rlim_cur / 1024, PTL_MACHINE_MIN_ADDRESS_SPACE / 1024);
      return FALSE;
    }
  return TRUE;
}

char *
ptl_machine_find_program (const char  *name,
                          const char  *env_var,
                          GError     **error)
{
  const char *from_env = g_getenv (env_var);
  g_autofree char *self_path = NULL;
  g_autofree char *installed = NULL;

  if (from_env != NULL && *from_env != '\0')
    {
      if (g_file_test (from_env, G_FILE_TEST_IS_EXECUTABLE))
        return g_strdup (from_env);
      g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
                   _("The program named by %s (%s) is not executable"), env_var, from_env);
      return NULL;
    }

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self_path);
      g_autofree char *sibling = g_build_filename (dir, name, NULL);

      if (g_file_test (sibling, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&sibling);
    }

  installed = g_build_filename (LIBEXECDIR, name, NULL);
  if (g_file_test (installed, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&installed);

  g_set_error (error, PTL_ERROR, PTL_ERROR_FAILED,
               _("The program %s was not found beside ptlab nor in %s; reinstall ptlab"),
               name, LIBEXECDIR);
  return NULL;
}

gboolean
ptl_machine_exec_program (const char  *name,
                          const char  *env_var,
                          char       **argv,
                          GError     **error)
{
  g_autofree char *path = ptl_machine_find_program (name, env_var, error);
  int saved_errno;

  if (path == NULL)
    return FALSE;
  execv (path, argv);
  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               _("Could not start %s: %s"), path, g_strerror (saved_errno));
  return FALSE;
}

char *
ptl_machine_find_helper (GError **error)
{
  return ptl_machine_find_program (HELPER_NAME, "PTLAB_HELPER", error);
}

gboolean
ptl_machine_read_cpu_times (gint64 *busy_ns,
                            gint64 *total_ns)
{
  g_autofree char *stat = NULL;
  guint64 v[8] = { 0 };
  long ticks_per_s = sysconf (_SC_CLK_TCK);
  double ns_per_tick;

  g_return_val_if_fail (busy_ns != NULL && total_ns != NULL, FALSE);

  if (ticks_per_s <= 0 || !g_file_get_contents ("/proc/stat", &stat, NULL, NULL) ||
      sscanf (stat, "cpu %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
              " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
              " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
              &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
    return FALSE;

  /* user nice system idle iowait irq softirq steal */
  ns_per_tick = 1e9 / ticks_per_s;
  *busy_ns = (gint64) ((v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) * ns_per_tick);
  *total_ns = *busy_ns + (gint64) ((v[3] + v[4]) * ns_per_tick);
  return TRUE;
}
