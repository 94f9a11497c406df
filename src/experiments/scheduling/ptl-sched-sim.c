/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-sched-sim"

/* A discrete-event simulator of one CPU, in whole time units.
 *
 * Model. A process arrives, then alternates CPU and I/O bursts. I/O runs
 * in parallel on unlimited devices: a process that ends a CPU burst with
 * an I/O burst after it blocks for exactly that long, then becomes ready
 * again. The CPU is idle, switching (a switch slice of switch_cost units,
 * paid when the dispatched process differs from the one that ran last;
 * the first dispatch has nothing to switch from), or running one process.
 * A context switch is counted on every such dispatch, even at cost 0.
 * A switch is never interrupted: what arrives meanwhile is enqueued, and a
 * preemptive policy looks at it the instant the switch ends (which may
 * preempt the process before it runs at all).
 *
 * Order at one instant t, which is where the tie rules live:
 *   1. the running process ends its burst (off to I/O or done) or its time
 *      slice (RR, MLFQ; MLFQ demotes it one level);
 *   2. MLFQ boosts due at t (after 1, so a slice ending on a boost is not
 *      forgiven, but the demoted process is lifted again);
 *   3. a switch ending at t hands the CPU to its process;
 *   4. arrivals and I/O completions at t enter the ready queue in workload
 *      order (lower index first);
 *   5. preemptive policies compare the running process with the best ready
 *      one and preempt on a strict win only (SRTF: shorter remaining burst;
 *      priority: higher effective priority; MLFQ: a higher level);
 *   6. a process whose slice ended or that was preempted at t re-enters the
 *      ready queue — after the arrivals of step 4, the common convention;
 *   7. an idle CPU dispatches the best ready process.
 * Within a policy's own order, ties go to whoever entered the ready queue
 * first (a global sequence number), so to the lower index at one instant.
 *
 * Policies. FCFS and RR: one FIFO. SJF orders by the next CPU burst, SRTF
 * by what remains of it (a binary heap keyed by (length, sequence)).
 * Priority (lower number first) uses the same heap; with aging, a process
 * that has waited w units since it last entered the ready queue has the
 * effective priority p − floor(w / A). That equals ceil((e + p·A − t) / A)
 * for entry time e, so ordering by the fixed key e + p·A always picks a
 * process of best effective priority; among equal ones it prefers the one
 * that reached that level first, then the general rule. The running
 * process keeps the effective priority it was dispatched with; one that
 * re-enters the queue starts again from its own priority. MLFQ: a FIFO per
 * level; new processes enter level 0; a process that uses up its level's
 * slice drops one level; one that blocks for I/O (or ends a burst exactly
 * as its slice ends) stays and gets a fresh slice; one preempted by a
 * higher level goes to the back of its own level keeping the rest of its
 * slice. Every boost moves all processes, running, ready or blocked, to
 * level 0 with fresh slices; ready ones keep their order, upper levels
 * first. Boosts are applied lazily through an epoch count floor(t / S),
 * so they cost nothing while nobody waits below level 0.
 *
 * A process re-dispatched right after its own slice ended (nobody else was
 * ready) continues its slice in the timeline without a new one. RR does
 * not even stop for such slice ends, so a lone long job costs no events. */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ptl-sched-sim.h"

#define NEVER G_MAXINT64
#define NONE  G_MAXUINT
/* The bench generator keeps arrivals below PTL_SCHED_TIME_MAX, and every
 * policy within PTL_SCHED_STEPS_MAX, up to here. */
#define BENCH_MAX_BURSTS 1000000u
#define BENCH_SEED 20240901u

typedef struct
{
  gint64  key;
  guint64 seq;
  guint   proc;
} HeapEntry;

/* A binary min-heap on (key, seq). */
typedef struct
{
  HeapEntry *entries;
  guint      len;
  guint      size;
} Heap;

/* An intrusive FIFO threaded through Proc.next, so MLFQ boosts can splice
 * whole levels in O(1). */
typedef struct
{
  guint head;
  guint tail;
} Fifo;

typedef struct
{
  const gint64 *bursts;
  guint         n_bursts;
  guint         burst;        /* index of the current (or next) CPU burst */
  int           priority;
  gint64        remaining;    /* of the current CPU burst */
  gint64        ready_since;
  guint         next;         /* Fifo link */
  /* MLFQ: level and slice left, valid while stamp equals the boost epoch
   * (an older stamp means a boost has lifted it to level 0). */
  guint         level;
  gint64        stamp;
  gint64        quantum_left; /* -1: the full slice of its level */
} Proc;

typedef enum
{
  CPU_IDLE,
  CPU_SWITCH,
  CPU_RUN,
} CpuState;

typedef struct
{
  const PtlSchedConfig *config;
  guint                 n;
  Proc                 *procs;
  PtlSchedProcessStats *stats;
  GArray               *slices;     /* PtlSchedSlice */
  guint                *order;      /* process indices by (arrival, index) */
  guint                 next_arrival;
  GArray               *admitted;   /* guint, scratch for step 4 */
  Heap                  io;         /* key: end of I/O; seq: process index */
  Heap                  ready;      /* SJF, SRTF, priority */
  Fifo                  levels[PTL_SCHED_MLFQ_MAX_LEVELS]; /* FCFS, RR: levels[0] */
  gint64                quanta[PTL_SCHED_MLFQ_MAX_LEVELS]; /* NEVER for no slice */
  guint                 n_ready;
  guint64               seq;
  guint                 n_done;

  CpuState              state;
  guint                 cur;
  gint64                run_start;
  gint64                switch_end;
  gint64                quantum_end;  /* MLFQ */
  gint64                run_priority; /* priority policies */
  int                   last_ran;
  guint64               switches;
  gint64                applied_epoch;
  /* Steps left before PTL_SCHED_STEPS_MAX is passed. */
  guint64               steps_left;
} Sim;

static const GEnumValue algorithm_values[] = {
  { PTL_SCHED_FCFS, "PTL_SCHED_FCFS", "fcfs" },
  { PTL_SCHED_SJF, "PTL_SCHED_SJF", "sjf" },
  { PTL_SCHED_SRTF, "PTL_SCHED_SRTF", "srtf" },
  { PTL_SCHED_RR, "PTL_SCHED_RR", "rr" },
  { PTL_SCHED_PRIORITY, "PTL_SCHED_PRIORITY", "priority" },
  { PTL_SCHED_PRIORITY_PREEMPTIVE, "PTL_SCHED_PRIORITY_PREEMPTIVE", "priority-preemptive" },
  { PTL_SCHED_MLFQ, "PTL_SCHED_MLFQ", "mlfq" },
  { 0, NULL, NULL },
};

static const char * const algorithm_nicks[] = {
  "fcfs", "sjf", "srtf", "rr", "priority", "priority-preemptive", "mlfq", NULL,
};

static const char * const algorithm_titles[] = {
  N_("First come, first served"),
  N_("Shortest job first"),
  N_("Shortest remaining time first"),
  N_("Round robin"),
  N_("Priority"),
  N_("Priority (preemptive)"),
  N_("Multilevel feedback queue"),
  NULL,
};

/* The textbooks' short names, for chart axes where titles do not fit. */
static const char * const algorithm_abbreviations[] = {
  N_("FCFS"), N_("SJF"), N_("SRTF"), N_("RR"), N_("Priority"), N_("Priority (preemptive)"), N_("MLFQ"),
  NULL,
};

G_STATIC_ASSERT (G_N_ELEMENTS (algorithm_nicks) == PTL_SCHED_N_ALGORITHMS + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (algorithm_abbreviations) == PTL_SCHED_N_ALGORITHMS + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (algorithm_titles) == PTL_SCHED_N_ALGORITHMS + 1);

/* Heap */

static inline gboolean
entry_less (const HeapEntry *a,
            const HeapEntry *b)
{
  return a->key < b->key || (a->key == b->key && a->seq < b->seq);
}

static void
heap_init (Heap  *heap,
           guint  size)
{
  heap->size = MAX (size, 1);
  heap->len = 0;
  heap->entries = g_new (HeapEntry, heap->size);
}

static void
heap_push (Heap      *heap,
           HeapEntry  entry)
{
  guint i;

  /* Sized for every process at once; a process is in a heap at most once. */
  g_assert (heap->len < heap->size);

  i = heap->len++;
  while (i > 0)
    {
      guint parent = (i - 1) / 2;

      if (!entry_less (&entry, &heap->entries[parent]))
        break;
      heap->entries[i] = heap->entries[parent];
      i = parent;
    }
  heap->entries[i] = entry;
}

static HeapEntry
heap_pop (Heap *heap)
{
  HeapEntry top;
  HeapEntry last;
  guint i = 0;

  g_assert (heap->len > 0);

  top = heap->entries[0];
  last = heap->entries[--heap->len];
  for (;;)
    {
      guint child = 2 * i + 1;

      if (child >= heap->len)
        break;
      if (child + 1 < heap->len && entry_less (&heap->entries[child + 1], &heap->entries[child]))
        child++;
      if (!entry_less (&heap->entries[child], &last))
        break;
      heap->entries[i] = heap->entries[child];
      i = child;
    }
  if (heap->len > 0)
    heap->entries[i] = last;
  return top;
}

/* FIFO */

static void
fifo_push (Sim   *sim,
           Fifo  *fifo,
           guint  p)
{
  sim->procs[p].next = NONE;
  if (fifo->tail == NONE)
    fifo->head = p;
  else
    sim->procs[fifo->tail].next = p;
  fifo->tail = p;
}

static guint
fifo_pop (Sim  *sim,
          Fifo *fifo)
{
  guint p = fifo->head;

  g_assert (p != NONE);

  fifo->head = sim->procs[p].next;
  if (fifo->head == NONE)
    fifo->tail = NONE;
  return p;
}

/* Moves all of @src to the back of @dst. */
static void
fifo_splice (Sim  *sim,
             Fifo *dst,
             Fifo *src)
{
  if (src->head == NONE)
    return;
  if (dst->tail == NONE)
    dst->head = src->head;
  else
    sim->procs[dst->tail].next = src->head;
  dst->tail = src->tail;
  src->head = src->tail = NONE;
}

/* Arithmetic */

/* ceil (a / b) for b > 0 and any sign of a. */
static inline gint64
ceil_div (gint64 a,
          gint64 b)
{
  g_assert (b > 0);
  return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

static inline gboolean
uses_heap (PtlSchedAlgorithm algorithm)
{
  return algorithm == PTL_SCHED_SJF || algorithm == PTL_SCHED_SRTF ||
         algorithm == PTL_SCHED_PRIORITY || algorithm == PTL_SCHED_PRIORITY_PREEMPTIVE;
}

static inline gboolean
is_priority (PtlSchedAlgorithm algorithm)
{
  return algorithm == PTL_SCHED_PRIORITY || algorithm == PTL_SCHED_PRIORITY_PREEMPTIVE;
}

/* MLFQ epochs: boosts at S, 2S, … The epoch after the boosts due at t,
 * and the one before them (step 1 of an instant happens before step 2). */
static inline gint64
epoch_at (Sim    *sim,
          gint64  t)
{
  gint64 s = sim->config->mlfq_boost_interval;

  return s > 0 ? t / s : 0;
}

static inline gint64
epoch_before (Sim    *sim,
              gint64  t)
{
  gint64 s = sim->config->mlfq_boost_interval;

  return s > 0 && t > 0 ? (t - 1) / s : 0;
}

static inline guint
level_at (const Proc *proc,
          gint64      epoch)
{
  return proc->stamp == epoch ? proc->level : 0;
}

static inline gint64
quantum_at (Sim        *sim,
            const Proc *proc,
            gint64      epoch)
{
  if (proc->stamp != epoch)
    return sim->quanta[0];
  return proc->quantum_left < 0 ? sim->quanta[proc->level] : proc->quantum_left;
}

static inline void
set_level (Proc   *proc,
           guint   level,
           gint64  epoch,
           gint64  quantum_left)
{
  proc->level = level;
  proc->stamp = epoch;
  proc->quantum_left = quantum_left;
}

/* Timeline */

/* Appends a slice, merging a process's (or idle time's) back-to-back
 * pieces. Switch slices are never merged: each is one switch. */
static void
add_slice (Sim    *sim,
           int     process,
           gint64  start,
           gint64  end)
{
  PtlSchedSlice slice = { process, start, end };

  if (end <= start)
    return;
  if (sim->slices->len > 0 && process != PTL_SCHED_SLICE_SWITCH)
    {
      PtlSchedSlice *last = &g_array_index (sim->slices, PtlSchedSlice, sim->slices->len - 1);

      if (last->process == process && last->end == start)
        {
          last->end = end;
          return;
        }
    }
  g_array_append_val (sim->slices, slice);
}

/* Ready queue */

static void
enqueue (Sim    *sim,
         guint   p,
         gint64  t)
{
  const PtlSchedConfig *config = sim->config;
  Proc *proc = &sim->procs[p];
  HeapEntry entry = { 0, sim->seq++, p };

  proc->ready_since = t;
  switch (config->algorithm)
    {
    case PTL_SCHED_FCFS:
    case PTL_SCHED_RR:
      fifo_push (sim, &sim->levels[0], p);
      break;
    case PTL_SCHED_SJF:
    case PTL_SCHED_SRTF:
      entry.key = proc->remaining;
      heap_push (&sim->ready, entry);
      break;
    case PTL_SCHED_PRIORITY:
    case PTL_SCHED_PRIORITY_PREEMPTIVE:
      entry.key = config->aging_interval > 0
        ? t + (gint64) proc->priority * config->aging_interval
        : proc->priority;
      heap_push (&sim->ready, entry);
      break;
    case PTL_SCHED_MLFQ:
      {
        gint64 epoch = epoch_at (sim, t);

        if (proc->stamp != epoch)
          set_level (proc, 0, epoch, -1);
        fifo_push (sim, &sim->levels[proc->level], p);
      }
      break;
    default:
      g_assert_not_reached ();
    }
  sim->n_ready++;
}

/* The highest non-empty MLFQ level, or NONE. */
static guint
best_level (Sim *sim)
{
  for (guint l = 0; l < sim->config->mlfq_levels; l++)
    if (sim->levels[l].head != NONE)
      return l;
  return NONE;
}

/* Removes the process to run next; @key gets its heap key, if any. */
static guint
pop_best (Sim    *sim,
          gint64 *key)
{
  *key = 0;
  sim->n_ready--;
  if (uses_heap (sim->config->algorithm))
    {
      HeapEntry entry = heap_pop (&sim->ready);

      *key = entry.key;
      return entry.proc;
    }
  if (sim->config->algorithm == PTL_SCHED_MLFQ)
    return fifo_pop (sim, &sim->levels[best_level (sim)]);
  return fifo_pop (sim, &sim->levels[0]);
}

/* CPU */

static void
start_run (Sim    *sim,
           guint   p,
           gint64  t)
{
  const PtlSchedConfig *config = sim->config;
  Proc *proc = &sim->procs[p];

  sim->state = CPU_RUN;
  sim->cur = p;
  sim->run_start = t;
  sim->stats[p].waiting += t - proc->ready_since;

  if (config->algorithm == PTL_SCHED_MLFQ)
    {
      gint64 epoch = epoch_at (sim, t);
      gint64 s = config->mlfq_boost_interval;
      gint64 quantum = quantum_at (sim, proc, epoch);
      gint64 end = quantum == NEVER ? NEVER : t + quantum;
      gint64 boost = s > 0 ? (epoch + 1) * s : NEVER;

      set_level (proc, level_at (proc, epoch), epoch, quantum);
      /* A boost before the slice ends restarts it at level 0; if the top
       * slice is longer than the boost period it can then never end. */
      if (boost < end)
        end = sim->quanta[0] != NEVER && sim->quanta[0] <= s ? boost + sim->quanta[0] : NEVER;
      sim->quantum_end = end;
    }
}

static void
dispatch (Sim    *sim,
          gint64  t)
{
  const PtlSchedConfig *config = sim->config;
  gint64 key;
  guint p = pop_best (sim, &key);

  if (is_priority (config->algorithm))
    sim->run_priority = config->aging_interval > 0 ? ceil_div (key - t, config->aging_interval) : key;

  if (sim->last_ran >= 0 && (guint) sim->last_ran != p)
    {
      sim->switches++;
      sim->last_ran = p;
      if (config->switch_cost > 0)
        {
          sim->state = CPU_SWITCH;
          sim->cur = p;
          sim->switch_end = t + config->switch_cost;
          add_slice (sim, PTL_SCHED_SLICE_SWITCH, t, sim->switch_end);
          return;
        }
    }
  sim->last_ran = p;
  start_run (sim, p, t);
}

/* Takes the running process off the CPU at @t, recording its slice. */
static void
end_run (Sim    *sim,
         gint64  t)
{
  PtlSchedProcessStats *stats = &sim->stats[sim->cur];

  if (t > sim->run_start && stats->first_run < 0)
    stats->first_run = sim->run_start;
  stats->cpu_time += t - sim->run_start;
  add_slice (sim, (int) sim->cur, sim->run_start, t);
  sim->state = CPU_IDLE;
}

/* The running process ended its CPU burst at @t (step 1). */
static void
finish_burst (Sim    *sim,
              gint64  t)
{
  guint p = sim->cur;
  Proc *proc = &sim->procs[p];

  end_run (sim, t);
  proc->burst++;
  if (proc->burst < proc->n_bursts)
    {
      gint64 io = proc->bursts[proc->burst];
      HeapEntry entry = { t + io, p, p };

      sim->stats[p].io_time += io;
      heap_push (&sim->io, entry);
      proc->burst++;
      proc->remaining = proc->bursts[proc->burst];
      if (sim->config->algorithm == PTL_SCHED_MLFQ)
        {
          gint64 epoch = epoch_before (sim, t);

          set_level (proc, level_at (proc, epoch), epoch, -1);
        }
    }
  else
    {
      sim->stats[p].completion = t;
      sim->n_done++;
    }
}

/* Whether the running process's time slice ends at @t (step 1). */
static gboolean
slice_ends (Sim    *sim,
            gint64  t)
{
  gint64 q = sim->config->quantum;

  switch (sim->config->algorithm)
    {
    case PTL_SCHED_RR:
      return t > sim->run_start && (t - sim->run_start) % q == 0;
    case PTL_SCHED_MLFQ:
      return t == sim->quantum_end;
    default:
      return FALSE;
    }
}

/* Step 1 for an MLFQ slice end: drop one level, fresh slice there. */
static void
demote (Sim    *sim,
        gint64  t)
{
  Proc *proc = &sim->procs[sim->cur];
  gint64 epoch = epoch_before (sim, t);
  guint level = level_at (proc, epoch);

  set_level (proc, MIN (level + 1, sim->config->mlfq_levels - 1), epoch, -1);
}

/* Step 5: whether the best ready process strictly beats the running one. */
static gboolean
should_preempt (Sim    *sim,
                gint64  t)
{
  const PtlSchedConfig *config = sim->config;

  if (sim->n_ready == 0)
    return FALSE;

  switch (config->algorithm)
    {
    case PTL_SCHED_SRTF:
      return sim->ready.entries[0].key < sim->procs[sim->cur].remaining;
    case PTL_SCHED_PRIORITY_PREEMPTIVE:
      if (config->aging_interval > 0)
        /* eff (t) = ceil ((key - t) / A) < run_priority */
        return t >= sim->ready.entries[0].key - (sim->run_priority - 1) * config->aging_interval;
      return sim->ready.entries[0].key < sim->run_priority;
    case PTL_SCHED_MLFQ:
      return best_level (sim) < level_at (&sim->procs[sim->cur], epoch_at (sim, t));
    default:
      return FALSE;
    }
}

/* Step 5 for MLFQ: the preempted process keeps its level and what is left
 * of its slice (a fresh top slice from the last boost, if one came). */
static void
keep_level (Sim    *sim,
            gint64  t)
{
  Proc *proc = &sim->procs[sim->cur];
  gint64 s = sim->config->mlfq_boost_interval;
  gint64 epoch = epoch_at (sim, t);
  gint64 last_boost = epoch * s;
  gint64 left;

  if (s > 0 && last_boost > sim->run_start)
    left = sim->quanta[0] == NEVER ? NEVER : sim->quanta[0] - (t - last_boost);
  else
    left = proc->quantum_left == NEVER ? NEVER : proc->quantum_left - (t - sim->run_start);
  g_assert (left > 0);
  set_level (proc, level_at (proc, epoch), epoch, left);
}

static int
compare_index (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* Step 4: arrivals and I/O completions at @t, in workload order. */
static void
admit (Sim    *sim,
       gint64  t)
{
  gboolean both;
  guint n_arrived;

  g_array_set_size (sim->admitted, 0);
  while (sim->next_arrival < sim->n && sim->stats[sim->order[sim->next_arrival]].arrival == t)
    g_array_append_val (sim->admitted, sim->order[sim->next_arrival++]);
  n_arrived = sim->admitted->len;
  while (sim->io.len > 0 && sim->io.entries[0].key == t)
    {
      HeapEntry entry = heap_pop (&sim->io);

      g_array_append_val (sim->admitted, entry.proc);
    }

  /* Each part is already in index order; only a mix needs sorting. */
  both = n_arrived > 0 && n_arrived < sim->admitted->len;
  if (both)
    g_array_sort (sim->admitted, compare_index);
  for (guint i = 0; i < sim->admitted->len; i++)
    enqueue (sim, g_array_index (sim->admitted, guint, i), t);
}

static void
apply_boosts (Sim    *sim,
              gint64  t)
{
  gint64 epoch = epoch_at (sim, t);

  if (epoch <= sim->applied_epoch)
    return;
  for (guint l = 1; l < sim->config->mlfq_levels; l++)
    fifo_splice (sim, &sim->levels[0], &sim->levels[l]);
  sim->applied_epoch = epoch;
}

static gint64
next_event (Sim    *sim,
            gint64  t)
{
  const PtlSchedConfig *config = sim->config;
  gint64 next = NEVER;

  if (sim->next_arrival < sim->n)
    next = sim->stats[sim->order[sim->next_arrival]].arrival;
  if (sim->io.len > 0)
    next = MIN (next, sim->io.entries[0].key);

  if (sim->state == CPU_SWITCH)
    next = MIN (next, sim->switch_end);
  else if (sim->state == CPU_RUN)
    {
      next = MIN (next, t + sim->procs[sim->cur].remaining);
      switch (config->algorithm)
        {
        case PTL_SCHED_RR:
          /* Slice ends matter only when someone else is ready. */
          if (sim->n_ready > 0)
            next = MIN (next, sim->run_start +
                              ((t - sim->run_start) / config->quantum + 1) * config->quantum);
          break;
        case PTL_SCHED_MLFQ:
          next = MIN (next, sim->quantum_end);
          break;
        case PTL_SCHED_PRIORITY_PREEMPTIVE:
          /* When aging lifts the best ready process past the running one. */
          if (config->aging_interval > 0 && sim->n_ready > 0)
            next = MIN (next, sim->ready.entries[0].key -
                              (sim->run_priority - 1) * config->aging_interval);
          break;
        default:
          break;
        }
    }
  return next;
}

static int
compare_arrival (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const PtlSchedProcessStats *stats = user_data;
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  if (stats[x].arrival != stats[y].arrival)
    return stats[x].arrival < stats[y].arrival ? -1 : 1;
  return x < y ? -1 : x > y;
}

static void
fill_totals (PtlSchedOutcome *outcome)
{
  PtlSchedTotals *totals = &outcome->totals;
  double waiting = 0;
  double turnaround = 0;
  double response = 0;
  gint64 last = totals->start;

  for (guint i = 0; i < outcome->n_slices; i++)
    {
      const PtlSchedSlice *slice = &outcome->slices[i];
      gint64 length = slice->end - slice->start;

      if (slice->process == PTL_SCHED_SLICE_IDLE)
        totals->idle_time += length;
      else if (slice->process == PTL_SCHED_SLICE_SWITCH)
        totals->switch_time += length;
      else
        totals->busy_time += length;
    }

  for (guint i = 0; i < outcome->n_processes; i++)
    {
      PtlSchedProcessStats *stats = &outcome->processes[i];

      stats->turnaround = stats->completion - stats->arrival;
      stats->response = stats->first_run - stats->arrival;
      waiting += stats->waiting;
      turnaround += stats->turnaround;
      response += stats->response;
      last = MAX (last, stats->completion);
    }

  totals->makespan = last - totals->start;
  if (outcome->n_processes == 0)
    {
      totals->avg_waiting = totals->avg_turnaround = totals->avg_response = NAN;
      totals->throughput = totals->cpu_utilisation = NAN;
      return;
    }
  totals->avg_waiting = waiting / outcome->n_processes;
  totals->avg_turnaround = turnaround / outcome->n_processes;
  totals->avg_response = response / outcome->n_processes;
  totals->throughput = outcome->n_processes / (double) totals->makespan;
  totals->cpu_utilisation = totals->busy_time / (double) totals->makespan;
}

static gboolean
run (Sim     *sim,
     GError **error)
{
  gint64 t = sim->stats[sim->order[0]].arrival;

  for (;;)
    {
      guint stopped = NONE;
      gint64 next;

      if (sim->steps_left == 0 || sim->slices->len > PTL_SCHED_STEPS_MAX)
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_LIMIT,
                       _("%s needs more than %u scheduling steps for this workload, the simulator's "
                         "limit on time and memory: use a longer time slice, or fewer or shorter bursts"),
                       ptl_sched_algorithm_get_title (sim->config->algorithm), PTL_SCHED_STEPS_MAX);
          return FALSE;
        }
      sim->steps_left--;

      /* 1 */
      if (sim->state == CPU_RUN)
        {
          if (sim->procs[sim->cur].remaining == 0)
            finish_burst (sim, t);
          else if (slice_ends (sim, t))
            {
              if (sim->config->algorithm == PTL_SCHED_MLFQ)
                demote (sim, t);
              stopped = sim->cur;
              end_run (sim, t);
            }
        }
      /* 2 */
      if (sim->config->algorithm == PTL_SCHED_MLFQ)
        apply_boosts (sim, t);
      /* 3 */
      if (sim->state == CPU_SWITCH && sim->switch_end == t)
        start_run (sim, sim->cur, t);
      /* 4 */
      admit (sim, t);
      /* 5 */
      if (sim->state == CPU_RUN && should_preempt (sim, t))
        {
          if (sim->config->algorithm == PTL_SCHED_MLFQ)
            keep_level (sim, t);
          stopped = sim->cur;
          end_run (sim, t);
        }
      /* 6 */
      if (stopped != NONE)
        enqueue (sim, stopped, t);
      /* 7 */
      if (sim->state == CPU_IDLE && sim->n_ready > 0)
        dispatch (sim, t);

      if (sim->n_done == sim->n)
        return TRUE;

      next = next_event (sim, t);
      g_assert (next > t && next != NEVER);
      if (sim->state == CPU_IDLE)
        add_slice (sim, PTL_SCHED_SLICE_IDLE, t, next);
      else if (sim->state == CPU_RUN)
        sim->procs[sim->cur].remaining -= next - t;
      t = next;
    }
}

/* Public API */

GType
ptl_sched_algorithm_get_type (void)
{
  static gsize type;

  return ptl_enum_register_once (&type, "PtlSchedAlgorithm", algorithm_values);
}

const char *
ptl_sched_algorithm_to_nick (PtlSchedAlgorithm algorithm)
{
  g_return_val_if_fail ((guint) algorithm < PTL_SCHED_N_ALGORITHMS, NULL);

  return algorithm_nicks[algorithm];
}

const char *
ptl_sched_algorithm_get_title (PtlSchedAlgorithm algorithm)
{
  g_return_val_if_fail ((guint) algorithm < PTL_SCHED_N_ALGORITHMS, NULL);

  return _(algorithm_titles[algorithm]);
}

const char *
ptl_sched_algorithm_get_abbreviation (PtlSchedAlgorithm algorithm)
{
  g_return_val_if_fail ((guint) algorithm < PTL_SCHED_N_ALGORITHMS, NULL);

  return _(algorithm_abbreviations[algorithm]);
}

const char * const *
ptl_sched_algorithm_list_titles (void)
{
  return algorithm_titles;
}

const char * const *
ptl_sched_algorithm_list_nicks (void)
{
  return algorithm_nicks;
}

gboolean
ptl_sched_algorithm_from_nick (const char         *nick,
                               PtlSchedAlgorithm  *algorithm,
                               GError            **error)
{
  g_return_val_if_fail (nick != NULL, FALSE);
  g_return_val_if_fail (algorithm != NULL, FALSE);

  for (guint i = 0; i < PTL_SCHED_N_ALGORITHMS; i++)
    if (g_str_equal (nick, algorithm_nicks[i]))
      {
        *algorithm = (PtlSchedAlgorithm) i;
        return TRUE;
      }

  {
    g_autofree char *allowed = g_strjoinv (", ", (char **) algorithm_nicks);

    g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                 _("Unknown scheduling algorithm “%s” (expected one of: %s)"), nick, allowed);
  }
  return FALSE;
}

void
ptl_sched_config_init (PtlSchedConfig    *config,
                       PtlSchedAlgorithm  algorithm)
{
  static const gint64 default_quanta[] = { 8, 16, 0 };

  g_return_if_fail (config != NULL);
  g_return_if_fail ((guint) algorithm < PTL_SCHED_N_ALGORITHMS);

  memset (config, 0, sizeof *config);
  config->algorithm = algorithm;
  config->quantum = 4;
  config->mlfq_levels = G_N_ELEMENTS (default_quanta);
  for (guint i = 0; i < G_N_ELEMENTS (default_quanta); i++)
    config->mlfq_quanta[i] = default_quanta[i];
}

static gboolean
check_range (gint64       value,
             gint64       minimum,
             const char  *what,
             GError     **error)
{
  if (value >= minimum && value <= PTL_SCHED_TIME_MAX)
    return TRUE;
  {
    g_autofree char *max = g_strdup_printf ("%" G_GINT64_FORMAT, PTL_SCHED_TIME_MAX);
    g_autofree char *found = g_strdup_printf ("%" G_GINT64_FORMAT, value);

    g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                 _("%s must be from %d to %s time units, not %s"),
                 what, (int) minimum, max, found);
  }
  return FALSE;
}

gboolean
ptl_sched_config_validate (const PtlSchedConfig  *config,
                           GError               **error)
{
  g_return_val_if_fail (config != NULL, FALSE);

  if ((guint) config->algorithm >= PTL_SCHED_N_ALGORITHMS)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("Unknown scheduling algorithm %d"), (int) config->algorithm);
      return FALSE;
    }
  if (!check_range (config->switch_cost, 0, _("The context-switch cost"), error))
    return FALSE;

  switch (config->algorithm)
    {
    case PTL_SCHED_RR:
      return check_range (config->quantum, 1, _("The round-robin quantum"), error);
    case PTL_SCHED_PRIORITY:
    case PTL_SCHED_PRIORITY_PREEMPTIVE:
      return check_range (config->aging_interval, 0, _("The aging interval"), error);
    case PTL_SCHED_MLFQ:
      if (config->mlfq_levels < 1 || config->mlfq_levels > PTL_SCHED_MLFQ_MAX_LEVELS)
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                       _("The number of MLFQ levels must be from 1 to %d, not %u"),
                       PTL_SCHED_MLFQ_MAX_LEVELS, config->mlfq_levels);
          return FALSE;
        }
      for (guint l = 0; l < config->mlfq_levels; l++)
        {
          gboolean bottom = l + 1 == config->mlfq_levels;
          g_autofree char *what = g_strdup_printf (bottom
                                                     ? _("The time slice of MLFQ level %u (0: none)")
                                                     : _("The time slice of MLFQ level %u"),
                                                   l);

          if (!check_range (config->mlfq_quanta[l], bottom ? 0 : 1, what, error))
            return FALSE;
        }
      return check_range (config->mlfq_boost_interval, 0, _("The MLFQ boost interval"), error);
    case PTL_SCHED_FCFS:
    case PTL_SCHED_SJF:
    case PTL_SCHED_SRTF:
    default:
      return TRUE;
    }
}

void
ptl_sched_outcome_free (PtlSchedOutcome *outcome)
{
  if (outcome == NULL)
    return;
  g_free (outcome->slices);
  g_free (outcome->processes);
  g_free (outcome);
}

PtlSchedOutcome *
ptl_sched_simulate (PtlSchedWorkload      *workload,
                    const PtlSchedConfig  *config,
                    GError               **error)
{
  PtlSchedOutcome *outcome;
  Sim sim = { 0 };
  gboolean ok;
  guint n;

  g_return_val_if_fail (PTL_IS_SCHED_WORKLOAD (workload), NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ptl_sched_config_validate (config, error))
    return NULL;

  n = ptl_sched_workload_get_n_processes (workload);
  outcome = g_new0 (PtlSchedOutcome, 1);
  outcome->n_processes = n;
  outcome->processes = g_new0 (PtlSchedProcessStats, n);
  if (n == 0)
    {
      fill_totals (outcome);
      return outcome;
    }

  sim.config = config;
  sim.n = n;
  sim.procs = g_new0 (Proc, n);
  sim.stats = outcome->processes;
  sim.slices = g_array_new (FALSE, FALSE, sizeof (PtlSchedSlice));
  sim.order = g_new (guint, n);
  sim.admitted = g_array_new (FALSE, FALSE, sizeof (guint));
  heap_init (&sim.io, n);
  heap_init (&sim.ready, uses_heap (config->algorithm) ? n : 0);
  for (guint l = 0; l < PTL_SCHED_MLFQ_MAX_LEVELS; l++)
    {
      sim.levels[l].head = sim.levels[l].tail = NONE;
      sim.quanta[l] = l < config->mlfq_levels && config->mlfq_quanta[l] > 0
        ? config->mlfq_quanta[l] : NEVER;
    }
  sim.cur = NONE;
  sim.last_ran = -1;
  /* Arrivals and burst ends are paid for by the workload's own size. */
  sim.steps_left = PTL_SCHED_STEPS_MAX + 2 * (guint64) ptl_sched_workload_get_n_bursts (workload);

  for (guint i = 0; i < n; i++)
    {
      Proc *proc = &sim.procs[i];

      proc->bursts = ptl_sched_workload_get_bursts (workload, i, &proc->n_bursts);
      proc->priority = ptl_sched_workload_get_priority (workload, i);
      proc->remaining = proc->bursts[0];
      proc->next = NONE;
      /* No epoch matches: a new process enters at level 0. */
      proc->stamp = -1;
      sim.stats[i].arrival = ptl_sched_workload_get_arrival (workload, i);
      sim.stats[i].first_run = -1;
      sim.order[i] = i;
    }
  g_qsort_with_data (sim.order, n, sizeof (guint), compare_arrival, sim.stats);
  outcome->totals.start = sim.stats[sim.order[0]].arrival;

  ok = run (&sim, error);

  g_free (sim.procs);
  g_free (sim.order);
  g_array_unref (sim.admitted);
  g_free (sim.io.entries);
  g_free (sim.ready.entries);
  if (!ok)
    {
      g_array_unref (sim.slices);
      ptl_sched_outcome_free (outcome);
      return NULL;
    }

  outcome->totals.context_switches = sim.switches;
  outcome->n_slices = sim.slices->len;
  outcome->slices = (PtlSchedSlice *) (gpointer) g_array_free (sim.slices, FALSE);
  fill_totals (outcome);
  return outcome;
}

/* A mixed workload of exactly the requested size: CPU bursts 1–20, I/O
 * 5–50, arrivals about twice as fast as the CPU can serve them, so the
 * ready queue grows into the thousands and the heaps do real work. */
static PtlSchedWorkload *
bench_workload (guint n_processes,
                guint n_bursts_total)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (BENCH_SEED);
  g_autoptr(GArray) bursts = g_array_new (FALSE, FALSE, sizeof (gint64));
  PtlSchedWorkload *workload = ptl_sched_workload_new ();
  guint pairs = (n_bursts_total - n_processes) / 2;
  gint64 arrival = 0;

  for (guint i = 0; i < n_processes; i++)
    {
      g_autofree char *name = g_strdup_printf ("P%u", i + 1);
      guint n_cpu = 1 + pairs / n_processes + (i < pairs % n_processes ? 1 : 0);

      g_array_set_size (bursts, 0);
      for (guint b = 0; b < n_cpu; b++)
        {
          gint64 value;

          if (b > 0)
            {
              value = g_rand_int_range (rand, 5, 51);
              g_array_append_val (bursts, value);
            }
          value = g_rand_int_range (rand, 1, 21);
          g_array_append_val (bursts, value);
        }
      ptl_sched_workload_add_process (workload, name, arrival, g_rand_int_range (rand, 0, 32),
                                      (const gint64 *) (gpointer) bursts->data, bursts->len);
      arrival += g_rand_int_range (rand, 0, 10 * (gint32) n_cpu + 1);
    }
  return workload;
}

gboolean
ptl_sched_bench (guint        n_processes,
                 guint        n_bursts_total,
                 const char  *algorithm,
                 PtlStats    *seconds,
                 GError     **error)
{
  g_autoptr(PtlSchedWorkload) workload = NULL;
  PtlSchedAlgorithm kind;
  PtlSchedConfig config;
  double samples[PTL_SCHED_BENCH_RUNS];

  g_return_val_if_fail (algorithm != NULL, FALSE);
  g_return_val_if_fail (seconds != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!ptl_sched_algorithm_from_nick (algorithm, &kind, error))
    return FALSE;
  if (n_processes < 1 || n_bursts_total < n_processes || n_bursts_total > BENCH_MAX_BURSTS)
    {
      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("The scheduler benchmark needs at least one process, at least one burst per process and at most %u bursts (asked for %u processes and %u bursts)"),
                   BENCH_MAX_BURSTS, n_processes, n_bursts_total);
      return FALSE;
    }

  workload = bench_workload (n_processes, n_bursts_total);
  ptl_sched_config_init (&config, kind);

  for (int i = -1; i < PTL_SCHED_BENCH_RUNS; i++)
    {
      g_autoptr(PtlSchedOutcome) outcome = NULL;
      gint64 start = ptl_clock_now_ns ();
      gint64 end;

      /* The config comes from ptl_sched_config_init and BENCH_MAX_BURSTS
       * keeps within the step limit: it cannot fail. */
      outcome = ptl_sched_simulate (workload, &config, NULL);
      end = ptl_clock_now_ns ();
      g_assert (outcome != NULL);
      if (i >= 0)
        samples[i] = (end - start) / 1e9;
    }
  ptl_stats_compute (seconds, samples, PTL_SCHED_BENCH_RUNS);
  return TRUE;
}
