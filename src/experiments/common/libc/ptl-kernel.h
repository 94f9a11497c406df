/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The arithmetic that stands for "CPU-bound work", shared by the lab and
 * by ptlab-helper so a thread and a child process do exactly the same
 * work. Plain C and libc only: the helper links nothing else.
 *
 * Each step is splitmix64's mixer, a chain of multiplies and xor-shifts
 * in which every step depends on the previous one: the compiler can
 * neither vectorise nor shorten it, so its cost is linear in the number
 * of iterations, and the final state is a checksum of the work done. */

#include <stdint.h>

/* Iterations between two checks (cancellation, the GIL's drop request):
 * a few microseconds of work. */
#define PTL_KERNEL_BLOCK 4096

static inline uint64_t
ptl_kernel_run (uint64_t state,
                uint64_t iterations)
{
  for (uint64_t i = 0; i < iterations; i++)
    {
      state += UINT64_C (0x9E3779B97F4A7C15);
      state = (state ^ (state >> 30)) * UINT64_C (0xBF58476D1CE4E5B9);
      state = (state ^ (state >> 27)) * UINT64_C (0x94D049BB133111EB);
      state ^= state >> 31;
    }
  return state;
}
