/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ptl-ipc"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "ptl-ipc-private.h"

/* The mechanism table, the channel every family fills, and the
 * parameter parsing. The protocol and the peers are in ptl-ipc-pair.c. */

static const PtlIpcMechanism * const mechanisms[] = {
  &ptl_ipc_pipe,
  &ptl_ipc_unix_stream,
  &ptl_ipc_unix_dgram,
  &ptl_ipc_tcp,
  &ptl_ipc_shm,
  &ptl_ipc_mqueue,
  &ptl_ipc_eventfd,
  NULL,
};

GType
ptl_ipc_peer_kind_get_type (void)
{
  static gsize type_id;
  static const GEnumValue values[] = {
    { PTL_IPC_PEER_PROCESS, "PTL_IPC_PEER_PROCESS", "process" },
    { PTL_IPC_PEER_THREAD, "PTL_IPC_PEER_THREAD", "thread" },
    { 0, NULL, NULL },
  };

  return ptl_enum_register_once (&type_id, "PtlIpcPeerKind", values);
}

const PtlIpcMechanism * const *
ptl_ipc_list_mechanisms (guint *n_mechanisms)
{
  if (n_mechanisms != NULL)
    *n_mechanisms = G_N_ELEMENTS (mechanisms) - 1;
  return mechanisms;
}

const PtlIpcMechanism *
ptl_ipc_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; mechanisms[i] != NULL; i++)
    if (g_strcmp0 (mechanisms[i]->name, name) == 0)
      return mechanisms[i];
  return NULL;
}

const char *
ptl_ipc_mechanism_get_name (const PtlIpcMechanism *mechanism)
{
  g_return_val_if_fail (mechanism != NULL, NULL);

  return mechanism->name;
}

const char *
ptl_ipc_mechanism_get_label (const PtlIpcMechanism *mechanism)
{
  g_return_val_if_fail (mechanism != NULL, NULL);

  return _(mechanism->label);
}

gboolean
ptl_ipc_mechanism_carries_data (const PtlIpcMechanism *mechanism)
{
  g_return_val_if_fail (mechanism != NULL, FALSE);

  return mechanism->carries_data;
}

gsize
ptl_ipc_mechanism_get_unit (const PtlIpcMechanism *mechanism,
                            gsize                  max_message)
{
  g_return_val_if_fail (mechanism != NULL, 0);

  return mechanism->get_unit (MAX (max_message, 1));
}

static char *
dup_allowed_names (void)
{
  g_autoptr(GString) names = g_string_new (PTL_PARAM_LIST_ALL);

  for (guint i = 0; mechanisms[i] != NULL; i++)
    g_string_append_printf (names, ", %s", mechanisms[i]->name);
  return g_string_free (g_steal_pointer (&names), FALSE);
}

GPtrArray *
ptl_ipc_parse_mechanisms (const char  *text,
                          GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  words = g_strsplit (text, ",", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = g_strstrip (words[i]);
      const PtlIpcMechanism *mechanism;

      if (g_str_equal (word, PTL_PARAM_LIST_ALL))
        {
          if (g_strv_length (words) > 1)
            {
              g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                           _("“all” cannot be combined with other IPC mechanisms in “%s”"), text);
              return NULL;
            }
          for (guint m = 0; mechanisms[m] != NULL; m++)
            g_ptr_array_add (list, (gpointer) mechanisms[m]);
          break;
        }

      mechanism = *word != '\0' ? ptl_ipc_lookup (word) : NULL;
      if (mechanism == NULL)
        {
          g_autofree char *allowed = dup_allowed_names ();

          g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                       _("Unknown IPC mechanism “%s” in “%s”; give “all” or a comma-separated list of: %s"),
                       word, text, allowed);
          return NULL;
        }
      if (g_ptr_array_find (list, mechanism, NULL))
        {
          g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                       _("The IPC mechanism “%s” is listed twice in “%s”"), word, text);
          return NULL;
        }
      g_ptr_array_add (list, (gpointer) mechanism);
    }

  if (list->len == 0)
    {
      g_autofree char *allowed = dup_allowed_names ();

      g_set_error (error, PTL_ERROR, PTL_ERROR_INVALID_PARAMETER,
                   _("No IPC mechanism given; give “all” or a comma-separated list of: %s"), allowed);
      return NULL;
    }
  return g_steal_pointer (&list);
}

void
ptl_ipc_block_sigpipe (sigset_t *previous)
{
  sigset_t set;

  g_return_if_fail (previous != NULL);

  sigemptyset (&set);
  sigaddset (&set, SIGPIPE);
  pthread_sigmask (SIG_BLOCK, &set, previous);
}

void
ptl_ipc_restore_sigpipe (const sigset_t *previous)
{
  struct timespec now = { 0, 0 };
  sigset_t set;

  g_return_if_fail (previous != NULL);

  /* Unblocking a pending SIGPIPE would deliver it: take it first. */
  sigemptyset (&set);
  sigaddset (&set, SIGPIPE);
  if (!sigismember (previous, SIGPIPE))
    while (sigtimedwait (&set, NULL, &now) == SIGPIPE)
      ;
  pthread_sigmask (SIG_SETMASK, previous, NULL);
}

void
_ptl_ipc_close_end (PtlIpcChannel *channel,
                    guint          side)
{
  PtlIpcEnd *end = &channel->end[side];

  if (end->out >= 0 && end->out != end->in)
    close (end->out);
  if (end->in >= 0)
    close (end->in);
  end->in = -1;
  end->out = -1;
}

PtlIpcChannel *
_ptl_ipc_channel_open (const PtlIpcMechanism  *mechanism,
                       gsize                   max_message,
                       GError                **error)
{
  PtlIpcChannel *channel = g_new0 (PtlIpcChannel, 1);
  gpointer page;

  channel->mechanism = mechanism;
  channel->unit = mechanism->get_unit (MAX (max_message, 1));
  for (guint side = 0; side < 2; side++)
    channel->end[side].in = channel->end[side].out = -1;

  page = mmap (NULL, sizeof (PtlIpcControl), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED)
    {
      _ptl_ipc_set_errno_error (error, errno, _("Could not map a shared page"));
      g_free (channel);
      return NULL;
    }
  channel->control = page;

  if (!mechanism->open (channel, error))
    {
      _ptl_ipc_channel_free (channel);
      return NULL;
    }
  return channel;
}

void
_ptl_ipc_channel_free (PtlIpcChannel *channel)
{
  _ptl_ipc_close_end (channel, 0);
  _ptl_ipc_close_end (channel, 1);
  if (channel->mechanism->release != NULL)
    channel->mechanism->release (channel);
  for (guint side = 0; side < 2; side++)
    g_free (channel->end[side].scratch);
  g_free (channel->spare);
  if (channel->control != NULL)
    munmap (channel->control, sizeof (PtlIpcControl));
  g_free (channel);
}

char *
_ptl_ipc_dup_name (const char *suffix)
{
  static gint counter;

  return g_strdup_printf ("/ptlab-ipc-%d-%d-%s", (int) getpid (), g_atomic_int_add (&counter, 1), suffix);
}

void
_ptl_ipc_set_errno_error (GError     **error,
                          int          saved_errno,
                          const char  *what)
{
  gboolean limit = saved_errno == EMFILE || saved_errno == ENFILE || saved_errno == ENOMEM ||
                   saved_errno == ENOSPC || saved_errno == EAGAIN;

  g_set_error (error, PTL_ERROR, limit ? PTL_ERROR_LIMIT : PTL_ERROR_FAILED,
               "%s: %s", what, g_strerror (saved_errno));
}
