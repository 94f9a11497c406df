/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* 1 in AddressSanitizer and ThreadSanitizer builds (./build-aux/dev
 * sanitize), known when compiling so no setting can be forgotten. They
 * run code several times slower and map terabytes of shadow memory:
 * tests skip pure-speed assertions and address-space limits there. GCC
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
