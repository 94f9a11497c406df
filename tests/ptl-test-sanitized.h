/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

/* 1 in AddressSanitizer and ThreadSanitizer builds (./build-aux/dev
 * sanitize), known when compiling so no setting can be forgotten. GCC
 * says __SANITIZE_*__, clang __has_feature. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
# define PTL_TEST_SANITIZED 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#  define PTL_TEST_SANITIZED 1
# endif
#endif
#ifndef PTL_TEST_SANITIZED
# define PTL_TEST_SANITIZED 0
#endif

/* The rule for sanitizer builds: they check memory and thread safety.
 * Relations between measured figures (one way faster than another, a
 * latency bound, busy time against the work given, a process's memory
 * footprint) are the normal build's to check: the sanitizers' bookkeeping
 * slows code several times and unevenly (it serializes threads, every
 * spawned helper starts a runtime) and maps shadow memory and quarantines
 * what is freed. A test asks before each such assertion and keeps every
 * other check. Returns TRUE where @relation is checked; otherwise says in
 * the test's output that it was not. */
static inline gboolean
ptl_test_checks_measured (const char *relation)
{
  if (!PTL_TEST_SANITIZED)
    return TRUE;
  g_test_message ("not checked in a sanitizer build (a measured figure): %s", relation);
  return FALSE;
}

/* ASan and TSan map terabytes of shadow memory: no RLIMIT_AS leaves them
 * room, so a test of one is skipped there (visibly). Returns TRUE when
 * the caller is to return. */
static inline gboolean
ptl_test_skip_address_space_limit (void)
{
  if (!PTL_TEST_SANITIZED)
    return FALSE;
  g_test_skip ("a sanitizer's shadow memory takes terabytes of address space: no RLIMIT_AS leaves room");
  return TRUE;
}
