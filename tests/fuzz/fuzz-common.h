/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry points, declared for -Wmissing-prototypes. */
int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#include <stdlib.h>

static void
fuzz_log_handler (const char     *domain,
                  GLogLevelFlags  level,
                  const char     *message,
                  gpointer        user_data)
{
  g_log_default_handler (domain, level, message, user_data);
  /* abort (): GLib's own fatal path raises SIGTRAP, which libFuzzer does
   * not catch, so no reproducer was saved. */
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
}

/* A GLib critical or warning is a bug the fuzzer found (a precondition a
 * loader let through, an error set twice): abort so it is saved as a
 * crash instead of scrolling past. */
static inline void
fuzz_make_glib_warnings_fatal (void)
{
  g_log_set_default_handler (fuzz_log_handler, NULL);
}
