/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-proc-monitor"

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ptl-clock.h"
#include "ptl-proc-monitor.h"
#include "ptl-stats.h"

/* The live monitor. Each sample reads one file per entity,
 * /proc/self/task/TID/stat for the lab's threads and /proc/PID/stat for
 * its processes: that one line holds the name, state, parent, CPU ticks
 * (utime + stime), start time and resident pages (the same count statm
 * and status give), so nothing else is opened.
 *
 * Descendants are found by parent PID, every level deep (children of the
 * helper too). A process that does not descend from the lab never will,
 * so it is remembered and not read again while its /proc entry keeps the
 * same inode: a recycled PID gets a new inode, and is read afresh. Once
 * seen, a descendant stays watched while it lives, even when it is
 * orphaned and re-parented. A sample thus costs one stat read per
 * lab entity plus one directory listing of /proc.
 *
 * CPU % is the tick delta over the real time between two samples, so a
 * late timeout does not distort it; ticks are 1/CLK_TCK s (10 ms), which
 * bounds the precision of one point.
 *
 * The charts show the run, not the program around it. The window's own
 * threads (main, GL, D-Bus, disk cache) all exist before the monitor
 * starts, while a run's threads are born after it, except the pooled
 * thread the core runs the experiment on, which may be reused from an
 * earlier run: the core marks it (ptl_proc_monitor_mark_run_thread ()).
 * Names cannot tell them apart (GLib pools name GUI and run threads
 * alike), creation order can. */

/* The plot palette has eight colours: more series would repeat them. */
#define MAX_CHART_SERIES 8

/* A stat line is about 300 bytes; 52 fields of 20 digits still fit. */
#define STAT_BUFFER_SIZE 2048

/* What one stat line says. */
typedef struct
{
  int     id;
  int     ppid;
  char    state;
  char    name[16];
  gint64  cpu_ticks;
  gint64  start_ticks;
  gint64  rss_pages;
  ino_t   ino;
  gboolean descendant;
} ProcStat;

struct _PtlProcEntity
{
  PtlProcKind kind;
  int         id;
  char        name[16];
  char        state;
  gboolean    is_self;
  gboolean    is_run;
  gboolean    alive;
  guint       serial;      /* of the latest sample that saw it */
  gint64      start_ticks; /* tells a recycled id from the same entity */
  gint64      cpu_ticks;   /* utime + stime at the latest sample */
  double      cpu_seconds;
  double      peak_rss;
  double      first_seen;
  double      last_seen;
  GArray     *samples;     /* PtlProcSample */
};

/* A process known not to descend from the lab. */
typedef struct
{
  ino_t ino;
  guint serial;
} Foreign;

struct _PtlProcMonitor
{
  GObject       parent_instance;

  /* owned */
  GMainContext *context;
  GSource      *source;
  DIR          *proc_dir;
  DIR          *task_dir;
  GPtrArray    *entities;    /* PtlProcEntity, in the order first seen */
  GHashTable   *threads;     /* TID -> live PtlProcEntity */
  GHashTable   *processes;   /* PID -> live PtlProcEntity */
  GHashTable   *foreign;     /* PID -> Foreign */
  GHashTable   *descendants; /* PIDs, scratch space of one sample */
  GArray       *scan;        /* ProcStat, scratch space of one sample */

  guint         interval_ms;
  int           self_pid;
  double        ticks_per_s;
  double        page_size;
  double        max_process_cpu;
  gint64        started_ns;  /* CLOCK_BOOTTIME, the clock of stat's starttime */
  gint64        last_ns;
  guint         n_samples;
  guint         serial;
  gint64        cost_ns;
};

enum {
  PROP_0,
  PROP_INTERVAL_MS,
  PROP_RUNNING,
  N_PROPS
};

enum {
  SAMPLED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (PtlProcMonitor, ptl_proc_monitor, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* TIDs of the threads running an experiment now, for every monitor. */
static GMutex run_threads_lock;
static GHashTable *run_threads;

static gint64
boottime_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_BOOTTIME, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static void
ptl_proc_entity_free (gpointer data)
{
  PtlProcEntity *entity = data;

  g_array_unref (entity->samples);
  g_free (entity);
}

/* Parses "pid (comm) state ppid …". The name may hold blanks and
 * parentheses, so it ends at the last ')'. */
static gboolean
parse_stat (const char *text,
            ProcStat   *stat)
{
  const char *open = strchr (text, '(');
  const char *close = strrchr (text, ')');
  const char *p;
  char *end;
  gsize name_len;

  if (open == NULL || close == NULL || close < open)
    return FALSE;

  stat->id = (int) g_ascii_strtoll (text, &end, 10);
  if (end == text)
    return FALSE;

  name_len = MIN ((gsize) (close - open - 1), sizeof stat->name - 1);
  memcpy (stat->name, open + 1, name_len);
  stat->name[name_len] = '\0';

  p = close + 1;
  while (*p == ' ')
    p++;
  if (*p == '\0')
    return FALSE;
  stat->state = *p++;

  /* Fields 4 (ppid) to 24 (rss), numbered as in proc(5). */
  for (guint field = 4; field <= 24; field++)
    {
      gint64 value = g_ascii_strtoll (p, &end, 10);

      if (end == p)
        return FALSE;
      p = end;

      switch (field)
        {
        case 4:
          stat->ppid = (int) value;
          break;
        case 14:
          stat->cpu_ticks = value;
          break;
        case 15:
          stat->cpu_ticks += value;
          break;
        case 22:
          stat->start_ticks = value;
          break;
        case 24:
          stat->rss_pages = value;
          break;
        default:
          break;
        }
    }
  return TRUE;
}

/* Reads DIR/stat under @dir_fd; FALSE when the entity is gone. */
static gboolean
read_stat (int         dir_fd,
           const char *dir,
           ProcStat   *stat)
{
  char path[64];
  char buffer[STAT_BUFFER_SIZE];
  ssize_t n;
  int fd;

  g_snprintf (path, sizeof path, "%s/stat", dir);
  fd = openat (dir_fd, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;

  do
    n = read (fd, buffer, sizeof buffer - 1);
  while (n < 0 && errno == EINTR);
  close (fd);

  if (n <= 0)
    return FALSE;
  buffer[n] = '\0';
  return parse_stat (buffer, stat);
}

static gboolean
is_pid_name (const char *name)
{
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return *name != '\0';
}

/* Folds one stat line into its entity, making the entity on first sight. */
static void
ptl_proc_monitor_update (PtlProcMonitor *self,
                         GHashTable     *live,
                         PtlProcKind     kind,
                         const ProcStat *stat,
                         gint64          now_ns,
                         double          t)
{
  PtlProcEntity *entity = g_hash_table_lookup (live, GINT_TO_POINTER (stat->id));
  PtlProcSample sample = { t, NAN, NAN };
  gint64 ticks = 0;
  double seconds = 0;

  /* The id was recycled between two samples: a new entity. */
  if (entity != NULL && entity->start_ticks != stat->start_ticks)
    {
      entity->alive = FALSE;
      g_hash_table_remove (live, GINT_TO_POINTER (stat->id));
      entity = NULL;
    }

  if (entity == NULL)
    {
      entity = g_new0 (PtlProcEntity, 1);
      entity->kind = kind;
      entity->id = stat->id;
      entity->is_self = kind == PTL_PROC_KIND_PROCESS && stat->id == self->self_pid;
      /* Only threads of the host were there before the first sample; every
       * descendant process is the run's. */
      entity->is_run = kind == PTL_PROC_KIND_PROCESS ? !entity->is_self : self->n_samples > 0;
      entity->start_ticks = stat->start_ticks;
      entity->first_seen = t;
      entity->peak_rss = NAN;
      entity->samples = g_array_new (FALSE, FALSE, sizeof (PtlProcSample));
      g_ptr_array_add (self->entities, entity);
      g_hash_table_insert (live, GINT_TO_POINTER (stat->id), entity);

      /* The first sample of the monitor has no interval behind it. A
       * later newcomer was born since the previous sample: all its ticks
       * are new, spent since its start. */
      if (self->n_samples > 0)
        {
          gint64 born_ns = (gint64) (stat->start_ticks / self->ticks_per_s * 1e9);

          ticks = stat->cpu_ticks;
          seconds = (now_ns - MAX (born_ns, self->last_ns)) / 1e9;
        }
    }
  else
    {
      ticks = MAX (stat->cpu_ticks - entity->cpu_ticks, 0);
      seconds = (now_ns - self->last_ns) / 1e9;
    }

  if (self->n_samples > 0)
    {
      /* Ticks are whole: over a span shorter than one, a single tick
       * would read as more than a core. */
      double max = kind == PTL_PROC_KIND_THREAD ? 100.0 : self->max_process_cpu;

      seconds = MAX (seconds, 1.0 / self->ticks_per_s);
      sample.cpu = CLAMP (100.0 * ticks / self->ticks_per_s / seconds, 0.0, max);
      entity->cpu_seconds += ticks / self->ticks_per_s;
    }

  if (kind == PTL_PROC_KIND_PROCESS)
    {
      sample.rss = stat->rss_pages * self->page_size;
      if (isnan (entity->peak_rss) || sample.rss > entity->peak_rss)
        entity->peak_rss = sample.rss;
    }

  memcpy (entity->name, stat->name, sizeof entity->name);
  entity->state = stat->state;
  entity->cpu_ticks = stat->cpu_ticks;
  entity->alive = TRUE;
  entity->serial = self->serial;
  entity->last_seen = t;
  g_array_append_val (entity->samples, sample);
}

static void
ptl_proc_monitor_scan_threads (PtlProcMonitor *self,
                               gint64          now_ns,
                               double          t)
{
  struct dirent *entry;

  g_mutex_lock (&run_threads_lock);
  rewinddir (self->task_dir);
  while ((entry = readdir (self->task_dir)) != NULL)
    {
      ProcStat stat = { 0 };

      if (is_pid_name (entry->d_name) &&
          read_stat (dirfd (self->task_dir), entry->d_name, &stat))
        {
          ptl_proc_monitor_update (self, self->threads, PTL_PROC_KIND_THREAD, &stat, now_ns, t);
          if (run_threads != NULL && g_hash_table_contains (run_threads, GINT_TO_POINTER (stat.id)))
            {
              PtlProcEntity *entity = g_hash_table_lookup (self->threads, GINT_TO_POINTER (stat.id));

              entity->is_run = TRUE;
            }
        }
    }
  g_mutex_unlock (&run_threads_lock);
}

static void
ptl_proc_monitor_scan_processes (PtlProcMonitor *self,
                                 gint64          now_ns,
                                 double          t)
{
  struct dirent *entry;
  gboolean changed;

  g_array_set_size (self->scan, 0);
  g_hash_table_remove_all (self->descendants);
  g_hash_table_add (self->descendants, GINT_TO_POINTER (self->self_pid));

  rewinddir (self->proc_dir);
  while ((entry = readdir (self->proc_dir)) != NULL)
    {
      ProcStat stat = { 0 };
      Foreign *foreign;
      PtlProcEntity *known;

      if (!is_pid_name (entry->d_name))
        continue;

      foreign = g_hash_table_lookup (self->foreign, GINT_TO_POINTER (atoi (entry->d_name)));
      if (foreign != NULL && foreign->ino == entry->d_ino)
        {
          foreign->serial = self->serial;
          continue;
        }

      if (!read_stat (dirfd (self->proc_dir), entry->d_name, &stat))
        continue;

      stat.ino = entry->d_ino;
      known = g_hash_table_lookup (self->processes, GINT_TO_POINTER (stat.id));
      stat.descendant = stat.id == self->self_pid ||
                        (known != NULL && known->start_ticks == stat.start_ticks);
      if (stat.descendant)
        g_hash_table_add (self->descendants, GINT_TO_POINTER (stat.id));
      g_array_append_val (self->scan, stat);
    }

  /* Parents may be listed after their children (PIDs wrap), so spread
   * descent until nothing changes. */
  do
    {
      changed = FALSE;
      for (guint i = 0; i < self->scan->len; i++)
        {
          ProcStat *stat = &g_array_index (self->scan, ProcStat, i);

          if (!stat->descendant &&
              g_hash_table_contains (self->descendants, GINT_TO_POINTER (stat->ppid)))
            {
              stat->descendant = TRUE;
              g_hash_table_add (self->descendants, GINT_TO_POINTER (stat->id));
              changed = TRUE;
            }
        }
    }
  while (changed);

  for (guint i = 0; i < self->scan->len; i++)
    {
      const ProcStat *stat = &g_array_index (self->scan, ProcStat, i);

      if (stat->descendant)
        {
          ptl_proc_monitor_update (self, self->processes, PTL_PROC_KIND_PROCESS, stat, now_ns, t);
        }
      else
        {
          Foreign *foreign = g_new (Foreign, 1);

          foreign->ino = stat->ino;
          foreign->serial = self->serial;
          g_hash_table_replace (self->foreign, GINT_TO_POINTER (stat->id), foreign);
        }
    }
}

static gboolean
remove_foreign_gone_cb (gpointer key,
                        gpointer value,
                        gpointer user_data)
{
  const Foreign *foreign = value;
  const PtlProcMonitor *self = user_data;

  return foreign->serial != self->serial;
}

static gboolean
remove_entity_gone_cb (gpointer key,
                       gpointer value,
                       gpointer user_data)
{
  PtlProcEntity *entity = value;
  const PtlProcMonitor *self = user_data;

  if (entity->serial == self->serial)
    return FALSE;
  entity->alive = FALSE;
  return TRUE;
}

static void
ptl_proc_monitor_sample (PtlProcMonitor *self)
{
  gint64 cost_start = ptl_clock_thread_cpu_ns ();
  gint64 now_ns = boottime_ns ();
  double t = (now_ns - self->started_ns) / 1e9;

  g_assert (self->proc_dir != NULL && self->task_dir != NULL);

  self->serial++;
  ptl_proc_monitor_scan_threads (self, now_ns, t);
  ptl_proc_monitor_scan_processes (self, now_ns, t);

  g_hash_table_foreach_remove (self->threads, remove_entity_gone_cb, self);
  g_hash_table_foreach_remove (self->processes, remove_entity_gone_cb, self);
  g_hash_table_foreach_remove (self->foreign, remove_foreign_gone_cb, self);

  self->last_ns = now_ns;
  self->n_samples++;
  self->cost_ns += ptl_clock_thread_cpu_ns () - cost_start;
}

static gboolean
ptl_proc_monitor_timeout_cb (gpointer user_data)
{
  PtlProcMonitor *self = user_data;

  ptl_proc_monitor_sample (self);
  g_signal_emit (self, signals[SAMPLED], 0);
  return G_SOURCE_CONTINUE;
}

static void
ptl_proc_monitor_add_timeout (PtlProcMonitor *self)
{
  g_assert (self->source == NULL);
  g_assert (self->context != NULL);

  self->source = g_timeout_source_new (self->interval_ms);
  g_source_set_name (self->source, "[ptlab] process monitor");
  g_source_set_callback (self->source, ptl_proc_monitor_timeout_cb, self, NULL);
  g_source_attach (self->source, self->context);
}

static void
ptl_proc_monitor_remove_timeout (PtlProcMonitor *self)
{
  if (self->source != NULL)
    g_source_destroy (self->source);
  g_clear_pointer (&self->source, g_source_unref);
}

static void
ptl_proc_monitor_close (PtlProcMonitor *self)
{
  ptl_proc_monitor_remove_timeout (self);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->proc_dir, closedir);
  g_clear_pointer (&self->task_dir, closedir);
}

/* The busiest entities with data for one chart, busiest first. */
static int
compare_cpu_cb (gconstpointer a,
                gconstpointer b)
{
  const PtlProcEntity *ea = *(const PtlProcEntity * const *) a;
  const PtlProcEntity *eb = *(const PtlProcEntity * const *) b;

  if (ea->cpu_seconds != eb->cpu_seconds)
    return ea->cpu_seconds > eb->cpu_seconds ? -1 : 1;
  return ea->first_seen < eb->first_seen ? -1 : ea->first_seen > eb->first_seen;
}

static int
compare_rss_cb (gconstpointer a,
                gconstpointer b)
{
  const PtlProcEntity *ea = *(const PtlProcEntity * const *) a;
  const PtlProcEntity *eb = *(const PtlProcEntity * const *) b;

  if (ea->peak_rss != eb->peak_rss)
    return ea->peak_rss > eb->peak_rss ? -1 : 1;
  return ea->first_seen < eb->first_seen ? -1 : ea->first_seen > eb->first_seen;
}

/* Whether @entity has a line in the CPU chart (@rss FALSE) or the memory
 * chart: the run's entities; the lab's own process only for memory, as
 * its CPU time sums the host's threads too. */
static gboolean
entity_has_data (const PtlProcEntity *entity,
                 gboolean             rss)
{
  if (!(entity->is_run || (rss && entity->is_self)))
    return FALSE;

  for (guint i = 0; i < entity->samples->len; i++)
    {
      const PtlProcSample *sample = &g_array_index (entity->samples, PtlProcSample, i);

      if (isfinite (rss ? sample->rss : sample->cpu))
        return TRUE;
    }
  return FALSE;
}

static void
ptl_proc_monitor_add_chart (PtlProcMonitor *self,
                            PtlResult      *result,
                            gboolean        rss)
{
  g_autoptr(GPtrArray) picked = g_ptr_array_new ();
  PtlChart *chart;

  for (guint i = 0; i < self->entities->len; i++)
    if (entity_has_data (g_ptr_array_index (self->entities, i), rss))
      g_ptr_array_add (picked, g_ptr_array_index (self->entities, i));
  g_ptr_array_sort (picked, rss ? compare_rss_cb : compare_cpu_cb);
  if (picked->len > MAX_CHART_SERIES)
    g_ptr_array_set_size (picked, MAX_CHART_SERIES);

  if (rss)
    {
      chart = ptl_result_add_chart (result, PTL_PROC_MONITOR_RSS_CHART, PTL_CHART_LINE,
                                    _("Live monitor: resident memory"));
      ptl_chart_set_y_axis (chart, _("Resident memory"), "B", FALSE);
    }
  else
    {
      chart = ptl_result_add_chart (result, PTL_PROC_MONITOR_CPU_CHART, PTL_CHART_LINE,
                                    _("Live monitor: CPU use"));
      ptl_chart_set_y_axis (chart, _("CPU (100 % = one core)"), "%", FALSE);
      /* The scale for a CPU share: from 0 (never below, however flat the
       * data) to at least one core. */
      ptl_chart_add_reference (chart, PTL_REFERENCE_HORIZONTAL, 100, _("One core"));
    }
  ptl_chart_set_x_axis (chart, _("Time since the start"), "s", FALSE);

  for (guint i = 0; i < picked->len; i++)
    {
      const PtlProcEntity *entity = g_ptr_array_index (picked, i);
      g_autofree char *label = ptl_proc_entity_dup_label (entity);
      PtlSeries *series = ptl_chart_add_series (chart, label);

      for (guint j = 0; j < entity->samples->len; j++)
        {
          const PtlProcSample *sample = &g_array_index (entity->samples, PtlProcSample, j);
          double y = rss ? sample->rss : sample->cpu;

          if (isfinite (y))
            ptl_series_add_point (series, sample->t, y);
        }
    }
}

static void
ptl_proc_monitor_dispose (GObject *object)
{
  PtlProcMonitor *self = PTL_PROC_MONITOR (object);

  ptl_proc_monitor_close (self);

  G_OBJECT_CLASS (ptl_proc_monitor_parent_class)->dispose (object);
}

static void
ptl_proc_monitor_finalize (GObject *object)
{
  PtlProcMonitor *self = PTL_PROC_MONITOR (object);

  g_clear_pointer (&self->threads, g_hash_table_unref);
  g_clear_pointer (&self->processes, g_hash_table_unref);
  g_clear_pointer (&self->foreign, g_hash_table_unref);
  g_clear_pointer (&self->descendants, g_hash_table_unref);
  g_clear_pointer (&self->entities, g_ptr_array_unref);
  g_clear_pointer (&self->scan, g_array_unref);

  G_OBJECT_CLASS (ptl_proc_monitor_parent_class)->finalize (object);
}

static void
ptl_proc_monitor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PtlProcMonitor *self = PTL_PROC_MONITOR (object);

  switch (prop_id)
    {
    case PROP_INTERVAL_MS:
      g_value_set_uint (value, self->interval_ms);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, ptl_proc_monitor_get_running (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_proc_monitor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PtlProcMonitor *self = PTL_PROC_MONITOR (object);

  switch (prop_id)
    {
    case PROP_INTERVAL_MS:
      ptl_proc_monitor_set_interval (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_proc_monitor_class_init (PtlProcMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ptl_proc_monitor_dispose;
  object_class->finalize = ptl_proc_monitor_finalize;
  object_class->get_property = ptl_proc_monitor_get_property;
  object_class->set_property = ptl_proc_monitor_set_property;

  properties[PROP_INTERVAL_MS] =
    g_param_spec_uint ("interval-ms", NULL, NULL,
                       PTL_PROC_MONITOR_MIN_INTERVAL_MS,
                       PTL_PROC_MONITOR_MAX_INTERVAL_MS,
                       PTL_PROC_MONITOR_DEFAULT_INTERVAL_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted in the monitor's main context after every sample. */
  signals[SAMPLED] =
    g_signal_new ("sampled",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
ptl_proc_monitor_init (PtlProcMonitor *self)
{
  long ticks = sysconf (_SC_CLK_TCK);
  long page = sysconf (_SC_PAGESIZE);

  self->interval_ms = PTL_PROC_MONITOR_DEFAULT_INTERVAL_MS;
  self->self_pid = getpid ();
  self->ticks_per_s = ticks > 0 ? ticks : 100;
  self->page_size = page > 0 ? page : 4096;
  self->max_process_cpu = 100.0 * g_get_num_processors ();
  self->entities = g_ptr_array_new_with_free_func (ptl_proc_entity_free);
  self->threads = g_hash_table_new (NULL, NULL);
  self->processes = g_hash_table_new (NULL, NULL);
  self->foreign = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->descendants = g_hash_table_new (NULL, NULL);
  self->scan = g_array_new (FALSE, FALSE, sizeof (ProcStat));
}

PtlProcMonitor *
ptl_proc_monitor_new (guint interval_ms)
{
  return g_object_new (PTL_TYPE_PROC_MONITOR,
                       "interval-ms", CLAMP (interval_ms,
                                             PTL_PROC_MONITOR_MIN_INTERVAL_MS,
                                             PTL_PROC_MONITOR_MAX_INTERVAL_MS),
                       NULL);
}

guint
ptl_proc_monitor_get_interval (PtlProcMonitor *self)
{
  g_return_val_if_fail (PTL_IS_PROC_MONITOR (self), 0);

  return self->interval_ms;
}

void
ptl_proc_monitor_set_interval (PtlProcMonitor *self,
                               guint           interval_ms)
{
  g_return_if_fail (PTL_IS_PROC_MONITOR (self));

  interval_ms = CLAMP (interval_ms, PTL_PROC_MONITOR_MIN_INTERVAL_MS, PTL_PROC_MONITOR_MAX_INTERVAL_MS);
  if (self->interval_ms == interval_ms)
    return;

  self->interval_ms = interval_ms;
  if (self->source != NULL)
    {
      ptl_proc_monitor_remove_timeout (self);
      ptl_proc_monitor_add_timeout (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL_MS]);
}

gboolean
ptl_proc_monitor_start (PtlProcMonitor  *self,
                        GError         **error)
{
  static const char *paths[] = { "/proc", "/proc/self/task" };
  DIR *dirs[G_N_ELEMENTS (paths)] = { NULL };
  gboolean was_running;

  g_return_val_if_fail (PTL_IS_PROC_MONITOR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      dirs[i] = opendir (paths[i]);
      if (dirs[i] == NULL)
        {
          int saved_errno = errno;

          for (guint j = 0; j < i; j++)
            closedir (dirs[j]);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("The live monitor cannot read %s: %s"), paths[i], g_strerror (saved_errno));
          return FALSE;
        }
    }

  was_running = self->source != NULL;
  ptl_proc_monitor_close (self);
  self->proc_dir = dirs[0];
  self->task_dir = dirs[1];
  self->context = g_main_context_ref_thread_default ();

  g_hash_table_remove_all (self->threads);
  g_hash_table_remove_all (self->processes);
  g_hash_table_remove_all (self->foreign);
  g_ptr_array_set_size (self->entities, 0);
  self->n_samples = 0;
  self->cost_ns = 0;
  self->started_ns = boottime_ns ();
  self->last_ns = self->started_ns;

  ptl_proc_monitor_sample (self);
  ptl_proc_monitor_add_timeout (self);

  if (!was_running)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_signal_emit (self, signals[SAMPLED], 0);
  return TRUE;
}

void
ptl_proc_monitor_stop (PtlProcMonitor *self)
{
  gboolean sampled;

  g_return_if_fail (PTL_IS_PROC_MONITOR (self));

  if (self->source == NULL)
    return;

  /* A last sample covers the tail of the run, unless one was just taken;
   * "sampled" follows a sample, never its absence. */
  sampled = boottime_ns () - self->last_ns >= G_GINT64_CONSTANT (1000000);
  if (sampled)
    ptl_proc_monitor_sample (self);
  ptl_proc_monitor_close (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  if (sampled)
    g_signal_emit (self, signals[SAMPLED], 0);
}

gboolean
ptl_proc_monitor_get_running (PtlProcMonitor *self)
{
  g_return_val_if_fail (PTL_IS_PROC_MONITOR (self), FALSE);

  return self->source != NULL;
}

guint
ptl_proc_monitor_get_n_samples (PtlProcMonitor *self)
{
  g_return_val_if_fail (PTL_IS_PROC_MONITOR (self), 0);

  return self->n_samples;
}

double
ptl_proc_monitor_get_elapsed (PtlProcMonitor *self)
{
  g_return_val_if_fail (PTL_IS_PROC_MONITOR (self), 0);

  return (self->last_ns - self->started_ns) / 1e9;
}

gint64
ptl_proc_monitor_get_cost_ns (PtlProcMonitor *self)
{
  g_return_val_if_fail (PTL_IS_PROC_MONITOR (self), 0);

  return self->cost_ns;
}

guint
ptl_proc_monitor_get_n_entities (PtlProcMonitor *self)
{
  g_return_val_if_fail (PTL_IS_PROC_MONITOR (self), 0);

  return self->entities->len;
}

const PtlProcEntity *
ptl_proc_monitor_get_entity (PtlProcMonitor *self,
                             guint           index)
{
  g_return_val_if_fail (PTL_IS_PROC_MONITOR (self), NULL);
  g_return_val_if_fail (index < self->entities->len, NULL);

  return g_ptr_array_index (self->entities, index);
}

void
ptl_proc_monitor_add_to_result (PtlProcMonitor *self,
                                PtlResult      *result)
{
  g_autofree char *threads = NULL;
  g_autofree char *processes = NULL;
  g_autofree char *cost = NULL;
  g_autofree char *tick = NULL;
  guint n_threads = 0;
  guint n_processes = 0;
  double elapsed;

  g_return_if_fail (PTL_IS_PROC_MONITOR (self));
  g_return_if_fail (PTL_IS_RESULT (result));
  g_return_if_fail (ptl_result_find_chart (result, "monitor-cpu") == NULL);

  if (self->n_samples < PTL_PROC_MONITOR_MIN_CHART_SAMPLES)
    return;

  ptl_proc_monitor_add_chart (self, result, FALSE);
  ptl_proc_monitor_add_chart (self, result, TRUE);

  for (guint i = 0; i < self->entities->len; i++)
    {
      const PtlProcEntity *entity = g_ptr_array_index (self->entities, i);

      if (entity->kind == PTL_PROC_KIND_THREAD)
        n_threads++;
      else
        n_processes++;
    }

  elapsed = ptl_proc_monitor_get_elapsed (self);
  threads = g_strdup_printf (ngettext ("%u thread", "%u threads", n_threads), n_threads);
  processes = g_strdup_printf (ngettext ("%u process", "%u processes", n_processes), n_processes);
  cost = ptl_format_value (elapsed > 0 ? 100.0 * self->cost_ns / 1e9 / elapsed : NAN, "%");
  tick = ptl_format_value (1.0 / self->ticks_per_s, "s");
  ptl_result_add_note (result,
                       /* TRANSLATORS: the first %s is "12 threads", the second "3 processes", then
                        * an interval in ms, a number of charted entities, a duration such as
                        * "10 ms" and a percentage such as "0.4 %" */
                       _("Live monitor: %s of the lab and %s (the lab and its descendants) seen, "
                         "sampled every %u ms; the monitor charts show at most the %u busiest, by CPU "
                         "time and by peak memory. CPU time comes in ticks of %s, so a point is only as "
                         "exact as one tick per interval. Sampling cost %s of one core."),
                       threads, processes, self->interval_ms, (guint) MAX_CHART_SERIES, tick, cost);
}

void
ptl_proc_monitor_mark_run_thread (gboolean running)
{
  gpointer tid = GINT_TO_POINTER (gettid ());

  g_mutex_lock (&run_threads_lock);
  if (run_threads == NULL)
    run_threads = g_hash_table_new (NULL, NULL);
  if (running)
    g_hash_table_add (run_threads, tid);
  else
    g_hash_table_remove (run_threads, tid);
  g_mutex_unlock (&run_threads_lock);
}

PtlProcKind
ptl_proc_entity_get_kind (const PtlProcEntity *entity)
{
  g_return_val_if_fail (entity != NULL, PTL_PROC_KIND_THREAD);

  return entity->kind;
}

int
ptl_proc_entity_get_id (const PtlProcEntity *entity)
{
  g_return_val_if_fail (entity != NULL, 0);

  return entity->id;
}

const char *
ptl_proc_entity_get_name (const PtlProcEntity *entity)
{
  g_return_val_if_fail (entity != NULL, NULL);

  return entity->name;
}

char *
ptl_proc_entity_dup_label (const PtlProcEntity *entity)
{
  g_return_val_if_fail (entity != NULL, NULL);

  if (entity->kind == PTL_PROC_KIND_THREAD)
    /* TRANSLATORS: a thread's name and its thread id, e.g. "gmain (TID 1234)" */
    return g_strdup_printf (_("%s (TID %d)"), entity->name, entity->id);
  /* TRANSLATORS: a process's name and its process id, e.g. "ptlab-helper (PID 1234)" */
  return g_strdup_printf (_("%s (PID %d)"), entity->name, entity->id);
}

char
ptl_proc_entity_get_state (const PtlProcEntity *entity)
{
  g_return_val_if_fail (entity != NULL, '?');

  return entity->state;
}

gboolean
ptl_proc_entity_get_is_self (const PtlProcEntity *entity)
{
  g_return_val_if_fail (entity != NULL, FALSE);

  return entity->is_self;
}

gboolean
ptl_proc_entity_get_is_run (const PtlProcEntity *entity)
{
  g_return_val_if_fail (entity != NULL, FALSE);

  return entity->is_run;
}

gboolean
ptl_proc_entity_get_alive (const PtlProcEntity *entity)
{
  g_return_val_if_fail (entity != NULL, FALSE);

  return entity->alive;
}

double
ptl_proc_entity_get_first_seen (const PtlProcEntity *entity)
{
  g_return_val_if_fail (entity != NULL, NAN);

  return entity->first_seen;
}

double
ptl_proc_entity_get_last_seen (const PtlProcEntity *entity)
{
  g_return_val_if_fail (entity != NULL, NAN);

  return entity->last_seen;
}

double
ptl_proc_entity_get_cpu_seconds (const PtlProcEntity *entity)
{
  g_return_val_if_fail (entity != NULL, NAN);

  return entity->cpu_seconds;
}

double
ptl_proc_entity_get_peak_rss (const PtlProcEntity *entity)
{
  g_return_val_if_fail (entity != NULL, NAN);

  return entity->peak_rss;
}

const PtlProcSample *
ptl_proc_entity_get_samples (const PtlProcEntity *entity,
                             guint               *n_samples)
{
  g_return_val_if_fail (entity != NULL, NULL);
  g_return_val_if_fail (n_samples != NULL, NULL);

  *n_samples = entity->samples->len;
  return (const PtlProcSample *) (gpointer) entity->samples->data;
}

const PtlProcSample *
ptl_proc_entity_get_last_sample (const PtlProcEntity *entity)
{
  g_return_val_if_fail (entity != NULL, NULL);

  if (entity->samples->len == 0)
    return NULL;
  return &g_array_index (entity->samples, PtlProcSample, entity->samples->len - 1);
}
