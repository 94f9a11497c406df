/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-ipc-experiment"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptl-ipc.h"
#include "ptl-ipc-experiment.h"
#include "ptl-spawn-util.h"
#include "ptl-placement.h"

/* "Inter-process communication": round trips and bandwidth of seven
 * mechanisms between the lab and a peer (a forked child or a thread).
 *
 * Timing method. Every pair (channel and peer) is set up first, then the
 * mechanisms take turns: the round trips of each are split into rounds,
 * round 1 runs every mechanism, then round 2…, so a slow spell of the
 * shared machine hits them all alike; bandwidth goes size by size, every
 * mechanism at each size. Each round trip is timed on its own with
 * CLOCK_MONOTONIC (one clock read per round trip), after a warm-up at the
 * start of every round. The lab gives the peer its orders in commands of
 * about 10 ms, and checks for cancellation between them; the first round
 * trip of each command, which also wakes the peer for it, is dropped. A
 * transfer is timed from the lab's first send to the peer's own stamp of
 * the last byte, so no reply latency counts; it streams from one buffer
 * larger than the cache into another, as fresh data would flow, and the
 * memcpy ceiling is a copy between the same two buffers, measured in the
 * same run on the lab's CPU. CPU time is what both sides read from their
 * own CLOCK_THREAD_CPUTIME_ID. */

struct _PtlIpcExperiment
{
  PtlExperiment   parent_instance;

  /* parameters */
  char           *mechanisms;
  PtlIpcPeerKind  peer;
  PtlPlacement    placement;
  guint           round_trips;
  guint           message_size;
  gboolean        bandwidth;
  guint           bandwidth_mib;
};

enum {
  PROP_0,
  PROP_MECHANISMS,
  PROP_PEER,
  PROP_PLACEMENT,
  PROP_ROUND_TRIPS,
  PROP_MESSAGE_SIZE,
  PROP_BANDWIDTH,
  PROP_BANDWIDTH_MIB,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (PtlIpcExperiment, ptl_ipc_experiment, PTL_TYPE_EXPERIMENT)

static GParamSpec *properties[N_PROPS];

#define KIB                 1024
#define MIB                 (1024 * 1024)
#define NS_PER_S            1e9
#define N_ROUNDS            4
#define COMMAND_NS          1e7  /* how long one command should take */
#define MAX_BATCH           5000
#define WARMUP_MIN          50
#define WARMUP_BYTES        MIB
#define MIN_COMMANDS        5    /* per size, for a spread */
#define MEMCPY_COPIES       7
#define MEMCPY_MIN_BYTES    (64 * MIB)

/* 64 B … 1 MiB in powers of 4. */
static const gsize transfer_sizes[] = {
  64, 256, KIB, 4 * KIB, 16 * KIB, 64 * KIB, 256 * KIB, MIB,
};

/* One mechanism through the run. */
typedef struct
{
  const PtlIpcMechanism *mechanism;
  PtlIpcPair            *pair;
  double                *round_trip_s; /* the timed round trips so far */
  guint                  n_round_trips;
  gint64                 cpu_ns;       /* both sides, over cpu_round_trips */
  guint64                cpu_round_trips;
  double                 estimate_ns;  /* a typical round trip, to size commands */
  int                    cpus[2];      /* where the lab side and the peer last ran, -1 unknown */
  PtlSeries             *bandwidth;
  double                 largest_bandwidth;
} Subject;

/* Everything a run holds, released by lab_clear () whatever happened. */
typedef struct
{
  /* borrowed */
  PtlIpcExperiment *self;
  PtlRun           *run;
  PtlResult        *result;

  /* owned */
  Subject          *subjects;
  guint             n_subjects;
  PtlIpcStream     *stream;
  sigset_t          sigmask;
  cpu_set_t         affinity;
  gboolean          pinned;
  gint64           *batch_ns;     /* one command's round trips */
  guint             batch_room;

  /* progress */
  guint             step;
  guint             n_steps;

  /* where the figures go */
  PtlSeries        *latency;
  PtlSeries        *latency_cpu;
  PtlChart         *distribution;
  PtlChart         *bandwidth_chart;
  PtlTable         *summary;
  GArray           *memcpy_rates; /* B/s of each ceiling copy */
} Lab;

enum {
  COLUMN_MECHANISM,
  COLUMN_MEDIAN,
  COLUMN_P5,
  COLUMN_P95,
  COLUMN_P99,
  COLUMN_MEAN,
  COLUMN_CPU,
  COLUMN_BANDWIDTH,
};

static void
lab_clear (Lab *lab)
{
  for (guint i = 0; i < lab->n_subjects; i++)
    {
      g_clear_pointer (&lab->subjects[i].pair, ptl_ipc_pair_free);
      g_free (lab->subjects[i].round_trip_s);
    }
  g_clear_pointer (&lab->subjects, g_free);
  g_clear_pointer (&lab->stream, ptl_ipc_stream_free);
  g_clear_pointer (&lab->memcpy_rates, g_array_unref);
  g_clear_pointer (&lab->batch_ns, g_free);
  if (lab->pinned)
    ptl_placement_restore (0, &lab->affinity);
  ptl_ipc_restore_sigpipe (&lab->sigmask);
}

/* Message sizes are round: "64 B", "8 KiB", "1 MiB", not "64.0 B". */
static char *
dup_size_text (gsize bytes)
{
  if (bytes >= MIB && bytes % MIB == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " MiB", bytes / MIB);
  if (bytes >= KIB && bytes % KIB == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " KiB", bytes / KIB);
  if (bytes < KIB)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " B", bytes);
  return ptl_format_value (bytes, "B");
}

static double
median_ns (const gint64 *values,
           guint         n)
{
  g_autofree double *copy = g_new (double, n);

  for (guint i = 0; i < n; i++)
    copy[i] = values[i];
  return ptl_stats_median (copy, n);
}

static void
progress (Lab        *lab,
          const char *format,
          ...) G_GNUC_PRINTF (2, 3);

static void
progress (Lab        *lab,
          const char *format,
          ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  ptl_run_progress (lab->run, lab->n_steps ? MIN (1.0, (double) lab->step / lab->n_steps) : 0, "%s", message);
}

/* The machine */

/* The largest cache of CPU 0, from sysfs; 0 when unknown. */
static gsize
read_largest_cache (void)
{
  gsize largest = 0;

  for (guint index = 0; index < 8; index++)
    {
      g_autofree char *path = g_strdup_printf ("/sys/devices/system/cpu/cpu0/cache/index%u/size", index);
      g_autofree char *text = NULL;
      char *end;
      guint64 value;

      if (!g_file_get_contents (path, &text, NULL, NULL))
        break;
      value = g_ascii_strtoull (text, &end, 10);
      if (*end == 'K')
        value *= KIB;
      else if (*end == 'M')
        value *= MIB;
      largest = MAX (largest, (gsize) value);
    }
  return largest;
}

static gint64
read_mem_available (void)
{
  g_autofree char *meminfo = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/meminfo", &meminfo, NULL, NULL))
    return -1;
  line = strstr (meminfo, "MemAvailable:");
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen ("MemAvailable:"), NULL, 10) * KIB;
}

/* The other CPU's half of the ceiling copy, in step with the lab's half. */
typedef struct
{
  PtlIpcStream      *stream;
  PtlPlacement       placement;
  pthread_barrier_t  barrier;
  gint64             start[MEMCPY_COPIES + 1];
  gint64             end[MEMCPY_COPIES + 1];
  GError            *error;
} CopyHalf;

static gpointer
copy_half_thread (gpointer data)
{
  CopyHalf *half = data;

  /* A failure is reported after the copies: the lab waits at the barrier. */
  ptl_placement_apply (half->placement, 1, 0, NULL, &half->error);
  for (guint i = 0; i <= MEMCPY_COPIES; i++)
    {
      pthread_barrier_wait (&half->barrier);
      ptl_ipc_stream_copy (half->stream, 1, 2, &half->start[i], &half->end[i]);
    }
  return NULL;
}

/* Two sides on two CPUs can draw on memory together: then the ceiling is
 * two CPUs copying half each. */
static gboolean
ceiling_uses_two_cpus (Lab *lab)
{
  return lab->self->placement != PTL_PLACEMENT_SAME_CPU &&
         ptl_placement_check (PTL_PLACEMENT_DIFFERENT_CPUS, NULL);
}

/* MEMCPY_COPIES timed copies of the whole stream, after one that warms up,
 * by the CPUs the pairs run on; appends their rates to lab->memcpy_rates. */
static gboolean
time_copies (Lab     *lab,
             GError **error)
{
  gboolean two = ceiling_uses_two_cpus (lab);
  gsize size = ptl_ipc_stream_get_size (lab->stream);
  CopyHalf half = { lab->stream, lab->self->placement };
  GThread *thread = NULL;
  gint64 start[MEMCPY_COPIES + 1], end[MEMCPY_COPIES + 1];

  if (two)
    {
      g_autoptr(GError) local_error = NULL;

      pthread_barrier_init (&half.barrier, NULL, 2);
      thread = g_thread_try_new ("ptl-ipc-copy", copy_half_thread, &half, &local_error);
      if (thread == NULL)
        {
          pthread_barrier_destroy (&half.barrier);
          g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                       _("Could not start a thread for the memcpy ceiling: %s"), local_error->message);
          return FALSE;
        }
    }

  for (guint i = 0; i <= MEMCPY_COPIES; i++)
    {
      if (two)
        pthread_barrier_wait (&half.barrier);
      ptl_ipc_stream_copy (lab->stream, 0, two ? 2 : 1, &start[i], &end[i]);
    }

  if (two)
    {
      g_thread_join (thread);
      pthread_barrier_destroy (&half.barrier);
      if (half.error != NULL)
        {
          g_propagate_error (error, half.error);
          return FALSE;
        }
    }

  /* Each side stamped its own start and end: a copy lasts from the first
   * start to the last end. */
  for (guint i = 1; i <= MEMCPY_COPIES; i++)
    {
      gint64 first = two ? MIN (start[i], half.start[i]) : start[i];
      gint64 last = two ? MAX (end[i], half.end[i]) : end[i];
      double rate = size * NS_PER_S / MAX (1, last - first);

      g_array_append_val (lab->memcpy_rates, rate);
    }
  return !ptl_run_set_error_if_cancelled (lab->run, error);
}

/* The buffers transfers stream through, larger than the last-level cache
 * so the data comes from memory, and the first copies for the ceiling. */
static gboolean
prepare_stream (Lab     *lab,
                GError **error)
{
  gsize cache = read_largest_cache ();
  gsize size = MAX (MEMCPY_MIN_BYTES, 2 * cache);
  gint64 available = read_mem_available ();

  /* Two buffers, and room to spare for everything else. */
  if (available > 0 && (gint64) (8 * size) > available)
    size = MAX (MIB, (gsize) (available / 8) / MIB * MIB);

  progress (lab, _("Measuring the memcpy ceiling"));
  lab->stream = ptl_ipc_stream_new (size, error);
  if (lab->stream == NULL)
    return FALSE;
  lab->memcpy_rates = g_array_new (FALSE, FALSE, sizeof (double));

  ptl_result_add_note (lab->result, "%s",
                       _("Transfers stream from one buffer larger than the cache into another, each message "
                         "where the last one ended, so the data comes from memory and goes to memory as fresh "
                         "data would. Tools that send one small buffer again and again keep it in the cache "
                         "and report more."));
  if (cache > 0 && size < 2 * cache)
    ptl_result_add_note (lab->result, _("There was too little free memory for buffers larger than the cache: "
                                        "the transfers and the memcpy line partly ran from the cache."));
  return time_copies (lab, error);
}

/* The ceiling is the fastest copy, from before and after the transfers:
 * other work only ever slows a copy down. */
static void
publish_ceiling (Lab *lab)
{
  const double *rates = (const double *) (gpointer) lab->memcpy_rates->data;
  guint n = lab->memcpy_rates->len;
  g_autofree char *size_text = dup_size_text (ptl_ipc_stream_get_size (lab->stream));
  g_autofree char *rate_text = NULL;
  double best = 0;

  for (guint i = 0; i < n; i++)
    best = MAX (best, rates[i]);
  ptl_chart_add_reference (lab->bandwidth_chart, PTL_REFERENCE_HORIZONTAL, best, _("memcpy ()"));
  ptl_result_add_samples (lab->result, "memcpy", "B/s", rates, n);

  rate_text = ptl_format_value (best, "B/s");
  if (ceiling_uses_two_cpus (lab))
    ptl_result_add_note (lab->result, _("The memcpy line is two CPUs copying half each of the first %s buffer "
                                        "into the second at once, as the two sides of a pair can draw on memory "
                                        "together: %s, the fastest of %u copies made before and after the "
                                        "transfers. Every mechanism moves the same bytes and copies them once "
                                        "more on the way (into the kernel or the ring), but across two CPUs it "
                                        "can pipeline the copies — one CPU reads memory while the other writes "
                                        "it — and come close to the line or even pass it."),
                         size_text, rate_text, n);
  else
    ptl_result_add_note (lab->result, _("The memcpy line is one CPU copying the first %s buffer into the second: "
                                        "%s, the fastest of %u copies made before and after the transfers. "
                                        "Every mechanism moves the same bytes and copies them once more on the "
                                        "way (into the kernel or the ring), so it stays below the line, or "
                                        "close to it when its copies take turns reading and writing memory."),
                         size_text, rate_text, n);
}

/* Setting up */

static gboolean
start_pairs (Lab        *lab,
             GPtrArray  *mechanisms,
             GError    **error)
{
  PtlIpcExperiment *self = lab->self;
  GCancellable *cancellable = ptl_run_get_cancellable (lab->run);

  lab->subjects = g_new0 (Subject, mechanisms->len);
  for (guint i = 0; i < mechanisms->len; i++)
    {
      Subject *subject = &lab->subjects[lab->n_subjects];
      g_autoptr(GError) local_error = NULL;

      subject->mechanism = g_ptr_array_index (mechanisms, i);
      progress (lab, _("%s: starting the peer"), ptl_ipc_mechanism_get_name (subject->mechanism));
      subject->pair = ptl_ipc_pair_new (subject->mechanism, self->peer, self->placement, self->message_size,
                                        lab->stream, cancellable, &local_error);
      if (subject->pair == NULL)
        {
          if (g_error_matches (local_error, PTL_ERROR, PTL_ERROR_LIMIT) && lab->n_subjects > 0)
            {
              ptl_result_add_note (lab->result,
                                   _("Only %u of %u mechanisms were measured: setting up %s hit a limit: %s"),
                                   lab->n_subjects, mechanisms->len,
                                   ptl_ipc_mechanism_get_name (subject->mechanism), local_error->message);
              break;
            }
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ",
                                      ptl_ipc_mechanism_get_name (subject->mechanism));
          return FALSE;
        }
      subject->round_trip_s = g_new (double, self->round_trips);
      lab->n_subjects++;
      if (ptl_run_set_error_if_cancelled (lab->run, error))
        return FALSE;
    }
  return TRUE;
}

/* How many round trips (or messages) make one command of about
 * COMMAND_NS, given what one takes. */
static guint64
command_length (double  each_ns,
                guint64 at_most)
{
  double n = each_ns > 0 ? COMMAND_NS / each_ns : 1;

  return (guint64) CLAMP (n, 1, (double) at_most);
}

/* Latency */

static gboolean
echo (Lab      *lab,
      Subject  *subject,
      guint     n,
      gboolean  keep,
      GError  **error)
{
  gsize size = lab->self->message_size;
  gint64 cpu_ns;

  /* One more than asked: the first absorbs the peer's wake-up. */
  if (n + 1 > lab->batch_room)
    {
      lab->batch_room = n + 1;
      lab->batch_ns = g_renew (gint64, lab->batch_ns, lab->batch_room);
    }
  if (!ptl_ipc_pair_echo (subject->pair, size, n + 1, lab->batch_ns, &cpu_ns, error))
    return FALSE;

  if (keep)
    {
      for (guint i = 1; i <= n; i++)
        subject->round_trip_s[subject->n_round_trips++] = lab->batch_ns[i] / NS_PER_S;
      subject->cpu_ns += cpu_ns;
      subject->cpu_round_trips += n + 1;
      ptl_ipc_pair_get_cpus (subject->pair, &subject->cpus[0], &subject->cpus[1]);
    }
  subject->estimate_ns = median_ns (lab->batch_ns + 1, n);
  return !ptl_run_set_error_if_cancelled (lab->run, error);
}

static gboolean
measure_round (Lab      *lab,
               Subject  *subject,
               guint     round,
               guint     n_timed,
               GError  **error)
{
  const char *name = ptl_ipc_mechanism_get_name (subject->mechanism);
  guint warmup = MAX (WARMUP_MIN, n_timed / 10);

  progress (lab, _("%s: round trips, round %u of %u"), name, round + 1, N_ROUNDS);

  /* Warm-up: caches and branch predictors went to the other mechanisms. */
  while (warmup > 0)
    {
      guint n = (guint) command_length (subject->estimate_ns, MIN (warmup, MAX_BATCH));

      if (!echo (lab, subject, n, FALSE, error))
        return FALSE;
      warmup -= n;
    }

  while (n_timed > 0)
    {
      guint n = (guint) command_length (subject->estimate_ns, MIN (n_timed, MAX_BATCH));

      if (!echo (lab, subject, n, TRUE, error))
        return FALSE;
      n_timed -= n;
    }
  return TRUE;
}

static void
publish_latency (Lab     *lab,
                 guint    index,
                 Subject *subject)
{
  const char *name = ptl_ipc_mechanism_get_name (subject->mechanism);
  g_autofree char *samples_name = g_strdup_printf ("round-trip/%s", name);
  g_autofree double *values = NULL;
  g_autofree double *percent = NULL;
  guint n_points;
  PtlSeries *cdf;
  PtlStats stats;
  double cpu_s;
  guint row;

  ptl_stats_compute (&stats, subject->round_trip_s, subject->n_round_trips);
  cpu_s = subject->cpu_ns / NS_PER_S / MAX (1, subject->cpu_round_trips);

  ptl_series_add_point_band (lab->latency, index, stats.median, stats.p5, stats.p95);
  ptl_series_add_point (lab->latency_cpu, index, cpu_s);

  /* The whole distribution, cumulative: every percent, finer in the tail. */
  n_points = ptl_stats_cdf (subject->round_trip_s, subject->n_round_trips, 10, 1, &values, &percent);
  cdf = ptl_chart_add_series_with_id (lab->distribution, name, ptl_ipc_mechanism_get_label (subject->mechanism));
  for (guint i = 0; i < n_points; i++)
    ptl_series_add_point (cdf, values[i], percent[i]);

  row = ptl_table_add_row_with_id (lab->summary, name);
  ptl_table_set_text (lab->summary, row, COLUMN_MECHANISM, ptl_ipc_mechanism_get_label (subject->mechanism));
  ptl_table_set_number (lab->summary, row, COLUMN_MEDIAN, stats.median);
  ptl_table_set_number (lab->summary, row, COLUMN_P5, stats.p5);
  ptl_table_set_number (lab->summary, row, COLUMN_P95, stats.p95);
  ptl_table_set_number (lab->summary, row, COLUMN_P99, stats.p99);
  ptl_table_set_number (lab->summary, row, COLUMN_MEAN, stats.mean);
  ptl_table_set_number (lab->summary, row, COLUMN_CPU, cpu_s);
  ptl_table_set_number (lab->summary, row, COLUMN_BANDWIDTH, NAN);

  ptl_result_add_samples (lab->result, samples_name, "s", subject->round_trip_s, subject->n_round_trips);
}

static gboolean
measure_latency (Lab     *lab,
                 GError **error)
{
  guint total = lab->self->round_trips;

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      guint n_timed = total / N_ROUNDS + (round < total % N_ROUNDS ? 1 : 0);

      for (guint i = 0; i < lab->n_subjects; i++)
        {
          if (n_timed > 0 && !measure_round (lab, &lab->subjects[i], round, n_timed, error))
            return FALSE;
          lab->step++;
          if (round + 1 == N_ROUNDS)
            publish_latency (lab, i, &lab->subjects[i]);
        }
    }
  return TRUE;
}

/* Bandwidth */

static gboolean
measure_transfer (Lab      *lab,
                  Subject  *subject,
                  gsize     size,
                  GError  **error)
{
  const char *name = ptl_ipc_mechanism_get_name (subject->mechanism);
  guint64 total = MAX (1, (guint64) lab->self->bandwidth_mib * MIB / size);
  guint64 warmup = MAX (1, MIN (total, WARMUP_BYTES / size));
  guint64 at_most = MAX (1, (total + MIN_COMMANDS - 1) / MIN_COMMANDS);
  g_autoptr(GArray) rates = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *size_text = dup_size_text (size);
  g_autofree char *samples_name = g_strdup_printf ("bandwidth/%s/%" G_GSIZE_FORMAT, name, size);
  double each_ns, rate;
  gint64 elapsed;
  PtlStats stats;

  progress (lab, _("%s: bandwidth with %s messages"), name, size_text);

  if (!ptl_ipc_pair_sink (subject->pair, size, warmup, &elapsed, error))
    return FALSE;
  each_ns = (double) MAX (1, elapsed) / warmup;

  for (guint64 left = total; left > 0;)
    {
      guint64 n = command_length (each_ns, MIN (left, at_most));

      if (ptl_run_set_error_if_cancelled (lab->run, error) ||
          !ptl_ipc_pair_sink (subject->pair, size, n, &elapsed, error))
        return FALSE;
      elapsed = MAX (1, elapsed);
      rate = n * size * NS_PER_S / elapsed;
      g_array_append_val (rates, rate);
      each_ns = (double) elapsed / n;
      left -= n;
    }

  ptl_stats_compute (&stats, (double *) (gpointer) rates->data, rates->len);
  ptl_series_add_point_band (subject->bandwidth, size, stats.median, stats.p5, stats.p95);
  ptl_result_add_samples (lab->result, samples_name, "B/s", (double *) (gpointer) rates->data, rates->len);
  subject->largest_bandwidth = stats.median;
  return !ptl_run_set_error_if_cancelled (lab->run, error);
}

static gboolean
measure_bandwidth (Lab     *lab,
                   GError **error)
{
  for (guint s = 0; s < G_N_ELEMENTS (transfer_sizes); s++)
    for (guint i = 0; i < lab->n_subjects; i++)
      {
        Subject *subject = &lab->subjects[i];

        if (!ptl_ipc_mechanism_carries_data (subject->mechanism))
          continue;
        if (!measure_transfer (lab, subject, transfer_sizes[s], error))
          return FALSE;
        lab->step++;
      }

  for (guint i = 0; i < lab->n_subjects; i++)
    if (ptl_ipc_mechanism_carries_data (lab->subjects[i].mechanism))
      ptl_table_set_number (lab->summary, i, COLUMN_BANDWIDTH, lab->subjects[i].largest_bandwidth);
  return TRUE;
}

/* Output */

static void
create_output (Lab *lab)
{
  PtlIpcExperiment *self = lab->self;
  g_autofree const char **categories = g_new0 (const char *, lab->n_subjects + 1);
  g_autofree const char **labels = g_new0 (const char *, lab->n_subjects + 1);
  g_autofree char *size_text = dup_size_text (self->message_size);
  const char *placement = ptl_placement_get_nick (self->placement);
  g_autofree char *title = NULL;
  PtlChart *chart;

  for (guint i = 0; i < lab->n_subjects; i++)
    {
      categories[i] = ptl_ipc_mechanism_get_name (lab->subjects[i].mechanism);
      labels[i] = ptl_ipc_mechanism_get_label (lab->subjects[i].mechanism);
    }

  title = g_strdup_printf (self->peer == PTL_IPC_PEER_PROCESS
                           ? _("Round trip of a %s message between processes, %s (median, p5–p95)")
                           : _("Round trip of a %s message between threads, %s (median, p5–p95)"),
                           size_text, placement);
  chart = ptl_result_add_chart (lab->result, "round-trip", PTL_CHART_BAR, title);
  ptl_chart_set_x_axis (chart, _("Mechanism"), NULL, FALSE);
  ptl_chart_set_y_axis (chart, _("Time per round trip"), "s", FALSE);
  ptl_chart_set_categories_with_ids (chart, categories, labels);
  lab->latency = ptl_chart_add_series_with_id (chart, "round-trip", _("Round trip"));
  ptl_series_set_band_label (lab->latency, _("p5–p95"));
  lab->latency_cpu = ptl_chart_add_series_with_id (chart, "cpu", _("CPU time, both sides"));

  g_clear_pointer (&title, g_free);
  title = g_strdup_printf (_("Distribution of round trips, %s (cumulative)"), placement);
  lab->distribution = ptl_result_add_chart (lab->result, "distribution", PTL_CHART_LINE, title);
  ptl_chart_set_x_axis (lab->distribution, _("Round trip"), "s", TRUE);
  ptl_chart_set_y_axis (lab->distribution, _("Round trips at most this long"), "%", FALSE);

  if (self->bandwidth)
    {
      g_clear_pointer (&title, g_free);
      title = g_strdup_printf (_("Bandwidth by message size, lab → peer, %s (median, p5–p95)"), placement);
      lab->bandwidth_chart = ptl_result_add_chart (lab->result, "bandwidth", PTL_CHART_LINE, title);
      ptl_chart_set_x_axis (lab->bandwidth_chart, _("Message size"), "B", TRUE);
      ptl_chart_set_y_axis (lab->bandwidth_chart, _("Bandwidth"), "B/s", TRUE);
      for (guint i = 0; i < lab->n_subjects; i++)
        if (ptl_ipc_mechanism_carries_data (lab->subjects[i].mechanism))
          {
            lab->subjects[i].bandwidth = ptl_chart_add_series_with_id (lab->bandwidth_chart, categories[i],
                                                                       labels[i]);
            ptl_series_set_band_label (lab->subjects[i].bandwidth, _("p5–p95"));
          }
    }

  lab->summary = ptl_result_get_summary (lab->result);
  ptl_table_add_column_with_id (lab->summary, "mechanism", _("Mechanism"), NULL);
  ptl_table_add_column_with_id (lab->summary, "median", _("Median"), "s");
  ptl_table_add_column_with_id (lab->summary, "p5", _("p5"), "s");
  ptl_table_add_column_with_id (lab->summary, "p95", _("p95"), "s");
  ptl_table_add_column_with_id (lab->summary, "p99", _("p99"), "s");
  ptl_table_add_column_with_id (lab->summary, "mean", _("Mean"), "s");
  ptl_table_add_column_with_id (lab->summary, "cpu", _("CPU time"), "s");
  ptl_table_add_column_with_id (lab->summary, "bandwidth", _("Bandwidth"), "B/s");
}

/* What a reader must know beside the figures. */
static void
add_method_notes (Lab *lab)
{
  PtlIpcExperiment *self = lab->self;
  g_autofree char *placement = ptl_placement_describe (self->placement);
  gsize largest = MAX (self->message_size, self->bandwidth ? MIB : 0);

  ptl_result_add_note (lab->result, "%s", placement);
  if (self->peer == PTL_IPC_PEER_PROCESS)
    ptl_result_add_note (lab->result, _("Each peer was a child process forked from the lab, one per mechanism."));
  else
    ptl_result_add_note (lab->result, _("Each peer was a thread of the lab, one per mechanism."));

  for (guint i = 0; i < lab->n_subjects; i++)
    {
      const PtlIpcMechanism *mechanism = lab->subjects[i].mechanism;
      const char *name = ptl_ipc_mechanism_get_name (mechanism);
      gsize unit = ptl_ipc_mechanism_get_unit (mechanism, largest);

      if (mechanism == ptl_ipc_lookup ("shm"))
        ptl_result_add_note (lab->result,
                             _("shm is a 256 KiB ring per direction in POSIX shared memory that never spins: "
                               "a side that finds it empty (or full) sleeps on a futex and the other side "
                               "wakes it. So its CPU time is honest; a spinning ring would look faster while "
                               "burning a CPU on each side."));
      else if (mechanism == ptl_ipc_lookup ("eventfd"))
        ptl_result_add_note (lab->result,
                             _("eventfd carries only a counter: its round trip is a bare wake-up each way "
                               "(8 bytes, whatever message-size says), and it has no bandwidth."));
      else if (mechanism == ptl_ipc_lookup ("tcp"))
        ptl_result_add_note (lab->result, _("tcp is a connection over 127.0.0.1 with TCP_NODELAY."));

      if (ptl_ipc_mechanism_carries_data (mechanism) && unit < largest)
        {
          g_autofree char *text = dup_size_text (unit);

          ptl_result_add_note (lab->result,
                               _("%s carries at most %s per message here, so a larger message goes "
                                 "as several, one system call each."), name, text);
        }
    }
}

static void
add_trust_notes (Lab *lab)
{
  g_autoptr(GString) noisy = g_string_new (NULL);

  ptl_run_warn_if_virtual (lab->run);
  /* Where the sides really ran (the placement only asked): a result that
   * claims different CPUs can be checked. */
  for (guint i = 0; i < lab->n_subjects; i++)
    {
      Subject *subject = &lab->subjects[i];
      g_autofree char *name = g_strdup_printf ("cpus-%s", ptl_ipc_mechanism_get_name (subject->mechanism));
      g_autofree char *cpus = g_strdup_printf ("%d,%d", subject->cpus[0], subject->cpus[1]);

      if (subject->n_round_trips > 0)
        ptl_spawn_record_string (lab->result, name, cpus);
    }

  for (guint i = 0; i < lab->n_subjects; i++)
    {
      Subject *subject = &lab->subjects[i];
      PtlStats stats;

      ptl_stats_compute (&stats, subject->round_trip_s, subject->n_round_trips);
      if (ptl_stats_is_noisy (&stats))
        g_string_append_printf (noisy, "%s%s", noisy->len ? ", " : "",
                                ptl_ipc_mechanism_get_label (subject->mechanism));
    }
  if (noisy->len > 0)
    ptl_result_add_warning (lab->result,
                            _("The round trips of %s were noisy: p5 to p95 spans more than %.0f %% of the median "
                              "(other work on the machine, or the scheduler moving an unpinned side)."),
                            noisy->str, PTL_NOISY_SPREAD * 100);
}

/* Runs everything; lab_clear () undoes it whatever happened. */
static gboolean
run_lab (Lab     *lab,
         GError **error)
{
  PtlIpcExperiment *self = lab->self;
  g_autoptr(GPtrArray) mechanisms = NULL;
  guint n_data = 0;

  mechanisms = ptl_ipc_parse_mechanisms (self->mechanisms, error);
  if (mechanisms == NULL)
    return FALSE;

  if (self->bandwidth && !prepare_stream (lab, error))
    return FALSE;
  if (!start_pairs (lab, mechanisms, error))
    return FALSE;

  for (guint i = 0; i < lab->n_subjects; i++)
    n_data += ptl_ipc_mechanism_carries_data (lab->subjects[i].mechanism) ? 1 : 0;
  lab->n_steps = N_ROUNDS * lab->n_subjects + (self->bandwidth ? n_data * G_N_ELEMENTS (transfer_sizes) : 0);
  create_output (lab);
  add_method_notes (lab);

  if (!measure_latency (lab, error))
    return FALSE;
  if (self->bandwidth)
    {
      if (!measure_bandwidth (lab, error) || !time_copies (lab, error))
        return FALSE;
      publish_ceiling (lab);
    }

  for (guint i = 0; i < lab->n_subjects; i++)
    if (!ptl_ipc_pair_close (g_steal_pointer (&lab->subjects[i].pair), error))
      return FALSE;
  return TRUE;
}

static gboolean
ptl_ipc_experiment_validate (PtlExperiment  *experiment,
                             GError        **error)
{
  PtlIpcExperiment *self = PTL_IPC_EXPERIMENT (experiment);
  g_autoptr(GPtrArray) mechanisms = ptl_ipc_parse_mechanisms (self->mechanisms ? self->mechanisms : "", error);

  return mechanisms != NULL && ptl_placement_check (self->placement, error);
}

/* A peer per mechanism, all started before the first round trip. */
static guint
ptl_ipc_experiment_count_tasks (PtlExperiment *experiment)
{
  PtlIpcExperiment *self = PTL_IPC_EXPERIMENT (experiment);
  g_autoptr(GPtrArray) mechanisms = ptl_ipc_parse_mechanisms (self->mechanisms ? self->mechanisms : "", NULL);

  return mechanisms != NULL ? mechanisms->len : 0;
}

static gboolean
ptl_ipc_experiment_run (PtlExperiment  *experiment,
                        PtlRun         *run,
                        GError        **error)
{
  PtlIpcExperiment *self = PTL_IPC_EXPERIMENT (experiment);
  Lab lab = { self, run, ptl_run_get_result (run) };
  gboolean ok;

  ptl_ipc_block_sigpipe (&lab.sigmask);
  lab.pinned = ptl_placement_apply (self->placement, 0, 0, &lab.affinity, error);
  ok = lab.pinned && run_lab (&lab, error);

  if (ok)
    add_trust_notes (&lab);
  lab_clear (&lab);
  return ok;
}

static void
ptl_ipc_experiment_finalize (GObject *object)
{
  PtlIpcExperiment *self = PTL_IPC_EXPERIMENT (object);

  g_free (self->mechanisms);

  G_OBJECT_CLASS (ptl_ipc_experiment_parent_class)->finalize (object);
}

static void
ptl_ipc_experiment_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PtlIpcExperiment *self = PTL_IPC_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_MECHANISMS:
      g_value_set_string (value, self->mechanisms);
      break;
    case PROP_PEER:
      g_value_set_enum (value, self->peer);
      break;
    case PROP_PLACEMENT:
      g_value_set_enum (value, self->placement);
      break;
    case PROP_ROUND_TRIPS:
      g_value_set_uint (value, self->round_trips);
      break;
    case PROP_MESSAGE_SIZE:
      g_value_set_uint (value, self->message_size);
      break;
    case PROP_BANDWIDTH:
      g_value_set_boolean (value, self->bandwidth);
      break;
    case PROP_BANDWIDTH_MIB:
      g_value_set_uint (value, self->bandwidth_mib);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_ipc_experiment_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PtlIpcExperiment *self = PTL_IPC_EXPERIMENT (object);

  switch (prop_id)
    {
    case PROP_MECHANISMS:
      ptl_param_store_string (object, &self->mechanisms, value, pspec);
      break;
    case PROP_PEER:
      ptl_param_store_enum (object, (int *) &self->peer, value, pspec);
      break;
    case PROP_PLACEMENT:
      ptl_param_store_enum (object, (int *) &self->placement, value, pspec);
      break;
    case PROP_ROUND_TRIPS:
      ptl_param_store_uint (object, &self->round_trips, value, pspec);
      break;
    case PROP_MESSAGE_SIZE:
      ptl_param_store_uint (object, &self->message_size, value, pspec);
      break;
    case PROP_BANDWIDTH:
      ptl_param_store_boolean (object, &self->bandwidth, value, pspec);
      break;
    case PROP_BANDWIDTH_MIB:
      ptl_param_store_uint (object, &self->bandwidth_mib, value, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ptl_ipc_experiment_class_init (PtlIpcExperimentClass *klass)
{
  static const PtlChartInfo charts[] = {
    { "round-trip", N_("Round trip per mechanism") },
    { "distribution", N_("Distribution of round trips") },
    { "bandwidth", N_("Bandwidth by message size (with bandwidth)") },
    { NULL }
  };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  PtlExperimentClass *experiment_class = PTL_EXPERIMENT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ptl_ipc_experiment_finalize;
  object_class->get_property = ptl_ipc_experiment_get_property;
  object_class->set_property = ptl_ipc_experiment_set_property;

  experiment_class->id = "ipc";
  experiment_class->title = N_("Inter-process communication");
  experiment_class->category = N_("Processes");
  experiment_class->summary =
    N_("Round trips and bandwidth of a pipe, unix stream and datagram sockets, TCP over loopback, "
       "a shared-memory ring, a POSIX message queue and an eventfd, between two processes or two "
       "threads, on one CPU or two, with the CPU time each costs.");
  experiment_class->explanation =
    N_("Two processes that want to talk must go through the kernel, or through memory they share. "
       "This experiment times the usual ways on your machine: the lab sends, a peer (a child "
       "process, or a thread with peer = thread) answers.\n\n"
       "Round trips. The lab sends a small message and the peer sends it straight back. Each round "
       "trip is timed on its own, thousands of times after a warm-up; the bars show the median with "
       "p5–p95 error bars, the cumulative chart the whole distribution, tail included. The table "
       "adds the mean, which is what tools such as perf bench report (total time over count): a "
       "long tail pulls it above the median. Beside each bar is the CPU time both sides spent per "
       "round trip. With both sides on one CPU it is about the mean round trip: someone is always "
       "working. Across CPUs it stays at or below the round trip, because each side sleeps while it "
       "waits. A mechanism that spun instead of sleeping would show a short round trip but a CPU "
       "time of about twice the round trip (two CPUs busy all along); the shared-memory ring here sleeps on a "
       "futex, as the others sleep in the kernel, so the comparison is fair.\n\n"
       "Why placement changes round trips up to tenfold. With both sides pinned to the same CPU "
       "(placement same-cpu) a round trip is two context switches: the sender wakes the receiver and "
       "blocks, and the scheduler switches straight to it, all on one CPU — about 2 µs for a pipe "
       "on a 2-vCPU VM (the one this lab was written on; the table has yours). With the sides on "
       "different CPUs every message has to wake the other CPU, which has gone idle meanwhile: "
       "an inter-processor interrupt, and a wait until the sleeping CPU runs again. On a virtual "
       "machine an idle vCPU halts, and both the interrupt and the wake-up go through the "
       "hypervisor, which runs the halted vCPU again "
       "when it sees fit: on that 2-vCPU VM, from a few microseconds when the host was quiet to some "
       "25 µs each way when it was busy, so round trips across vCPUs took three to ten times as long "
       "as on one (about 6 µs on a quiet host, 50 µs on a busy one, against 2 µs). Other work on "
       "the peer's CPU adds its own wait: the peer has to be scheduled there. On bare metal the gap is "
       "smaller. Unpinned runs land in either mode, and may change from run to run: compare only "
       "pinned figures.\n\n"
       "What costs what. A pipe is the leanest path through the kernel. Unix sockets do more "
       "bookkeeping per message; TCP goes through the whole network stack, loopback or not. A "
       "message queue is a small kernel mailbox. An eventfd carries no data at all, only a counter, "
       "so its round trip is the bare wake-up: the floor for anything that sleeps. The "
       "shared-memory ring moves data without a system call but still needs a futex to wake a "
       "sleeper, so in a ping-pong it costs about a futex round trip.\n\n"
       "Bandwidth. The lab streams messages of each size to the peer, which stamps when the last "
       "byte arrived; the data comes from a buffer larger than the cache and goes into another, as "
       "fresh data would. Small messages are dominated by the cost of each call, so bandwidth grows "
       "with the message size until the copying dominates and the curve flattens. The memcpy line, "
       "measured in the same run, copies the same bytes once with the same CPUs. Each mechanism "
       "copies every byte at least twice (into the kernel or the ring, and out again), so on one "
       "CPU it stays below the line; across two CPUs the copies can overlap, one CPU reading while "
       "the other writes, and the shared-memory ring may come close to it or pass it. Datagrams and "
       "queue messages have a largest size (64 KiB and, by default, 8 KiB here), so larger messages "
       "go in pieces and those curves flatten early.\n\n"
       "Processes or threads. The kernel paths are the same for two threads; a switch between "
       "threads of one process keeps the address space, which matters little on current CPUs. "
       "The peer's descriptors, shared memory and message queues are closed and unlinked when "
       "the run ends or is cancelled; the names are unlinked as soon as both sides have them.");
  experiment_class->charts = charts;
  ptl_experiment_class_set_headline (experiment_class, "median", PTL_HEADLINE_RANGE);

  experiment_class->validate = ptl_ipc_experiment_validate;
  experiment_class->count_tasks = ptl_ipc_experiment_count_tasks;
  experiment_class->run = ptl_ipc_experiment_run;

  properties[PROP_MECHANISMS] =
    g_param_spec_string ("mechanisms", N_("Mechanisms"),
                         N_("“all”, or a comma-separated list of: pipe, unix-stream, unix-dgram, tcp, "
                            "shm, mqueue, eventfd"),
                         "all", flags);
  properties[PROP_PEER] =
    g_param_spec_enum ("peer", N_("Peer"),
                       N_("Who answers the lab: a child process forked from it, or a thread of it"),
                       PTL_TYPE_IPC_PEER_KIND, PTL_IPC_PEER_PROCESS, flags);
  properties[PROP_PLACEMENT] =
    g_param_spec_enum ("placement", N_("Placement"),
                       N_("Where the two sides run: both on one CPU, on two different CPUs, or wherever "
                          "the scheduler puts them"),
                       PTL_TYPE_PLACEMENT, PTL_PLACEMENT_SAME_CPU, flags);
  properties[PROP_ROUND_TRIPS] =
    g_param_spec_uint ("round-trips", N_("Round trips"),
                       N_("Timed round trips per mechanism, after the warm-up"),
                       100, 1000000, 4000, flags);
  ptl_param_set_unit (properties[PROP_ROUND_TRIPS], N_("round trips"));
  properties[PROP_MESSAGE_SIZE] =
    g_param_spec_uint ("message-size", N_("Message size"),
                       N_("Bytes sent each way in a round trip (eventfd always sends its 8-byte counter)"),
                       1, MIB, 64, flags);
  ptl_param_set_unit (properties[PROP_MESSAGE_SIZE], "B");
  properties[PROP_BANDWIDTH] =
    g_param_spec_boolean ("bandwidth", N_("Bandwidth"),
                          N_("Also measure bandwidth with messages of 64 B to 1 MiB, and the memcpy ceiling"),
                          TRUE, flags);
  properties[PROP_BANDWIDTH_MIB] =
    g_param_spec_uint ("bandwidth-mib", N_("Data per size"),
                       N_("How much data each mechanism sends at each message size"),
                       1, 4096, 16, flags);
  ptl_param_set_unit (properties[PROP_BANDWIDTH_MIB], "MiB");

  /* The names the mechanisms parameter may list, for the form's checks. */
  {
    static const char *names[16];
    const PtlIpcMechanism * const *mechanisms;
    guint n_mechanisms;

    mechanisms = ptl_ipc_list_mechanisms (&n_mechanisms);
    g_assert (n_mechanisms < G_N_ELEMENTS (names));
    for (guint i = 0; i < n_mechanisms; i++)
      names[i] = ptl_ipc_mechanism_get_name (mechanisms[i]);
    ptl_param_set_list_choices (properties[PROP_MECHANISMS], names);
  }

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ptl_ipc_experiment_init (PtlIpcExperiment *self)
{
  self->mechanisms = g_strdup ("all");
  self->peer = PTL_IPC_PEER_PROCESS;
  self->placement = PTL_PLACEMENT_SAME_CPU;
  self->round_trips = 4000;
  self->message_size = 64;
  self->bandwidth = TRUE;
  self->bandwidth_mib = 16;
}
