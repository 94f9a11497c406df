/* SPDX-License-Identifier: GPL-3.0-or-later */

/*   ptlab-helper http-load PORT CONNECTIONS WARMUP_MS DURATION_MS
 *
 * The load generator of the "servers" experiment, in its own process so
 * that its CPU use is its own. It opens CONNECTIONS keep-alive
 * connections to 127.0.0.1:PORT and keeps each busy in a closed loop: send
 * a GET, read the whole answer, send the next. One thread and one epoll
 * set hold them all. Requests answered during the WARMUP_MS after the last
 * connection opens are not counted; the next DURATION_MS are.
 *
 * Latency is timed per request from the moment it is written to the
 * moment its answer is complete. A closed loop does not send while it
 * waits, so a stalled server delays the requests that were never sent:
 * those delays are not in the histogram (coordinated omission); the
 * requests per second and the unanswered connections show them.
 *
 * Output, one "NAME VALUE" a line: connected, refused, errors, requests,
 * seconds, cpu, unanswered (connections that got no answer in the
 * measured window), then "latency NS COUNT" for every non-empty bucket
 * of a log-linear histogram (16 buckets per power of two: within 6 %). */



#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "helper-common.h"
#include "ptl-http.h"

#define SUB_BUCKETS 16
#define N_BUCKETS   (64 * SUB_BUCKETS)
#define CONNECT_TIMEOUT_NS 5000000000ull

static const char request[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

typedef struct
{
  int      fd;
  int      connected;
  int      dead;
  uint64_t sent_at;
  size_t   got;       /* bytes of the current answer */
  uint64_t answered;  /* in the measured window */
} Client;

static uint64_t
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

/* Log-linear: the power of two, then SUB_BUCKETS steps within it. */
static unsigned
bucket_of (uint64_t ns)
{
  unsigned msb;

  if (ns < SUB_BUCKETS)
    return (unsigned) ns;
  msb = 63u - (unsigned) __builtin_clzll (ns);
  return msb * SUB_BUCKETS + (unsigned) ((ns >> (msb - 4)) & (SUB_BUCKETS - 1));
}

static uint64_t
bucket_low (unsigned bucket)
{
  unsigned msb = bucket / SUB_BUCKETS;

  if (bucket < SUB_BUCKETS)
    return bucket;
  return ((uint64_t) 1 << msb) | ((uint64_t) (bucket % SUB_BUCKETS) << (msb - 4));
}

static int
send_request (Client *client)
{
  ssize_t n = send (client->fd, request, sizeof request - 1, MSG_NOSIGNAL);

  client->sent_at = now_ns ();
  client->got = 0;
  return n == (ssize_t) (sizeof request - 1) ? 0 : -1;
}

int
helper_http_load_main (int    argc,
                       char **argv)
{
  static uint64_t histogram[N_BUCKETS];
  uint64_t port, n_clients, warmup_ms, duration_ms;
  uint64_t connected = 0, refused = 0, errors = 0, requests = 0, unanswered = 0;
  uint64_t start, measure_from, measure_to, deadline;
  long long cpu_start;
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  struct epoll_event events[512];
  struct rlimit files;
  size_t answer_length;
  Client *clients;
  int epoll;

  if (argc != 5 || !helper_parse_u64 (argv[1], &port) || port == 0 || port > 65535 ||
      !helper_parse_u64 (argv[2], &n_clients) || n_clients == 0 || n_clients > 100000 ||
      !helper_parse_u64 (argv[3], &warmup_ms) || !helper_parse_u64 (argv[4], &duration_ms) ||
      duration_ms == 0)
    {
      fputs ("usage: ptlab-helper http-load PORT CONNECTIONS WARMUP_MS DURATION_MS\n", stderr);
      return 2;
    }
  ptl_die_with_spawner ();
  cpu_start = helper_cpu_ns ();
  ptl_http_response (1, &answer_length);
  address.sin_port = htons ((unsigned short) port);

  if (getrlimit (RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max)
    {
      files.rlim_cur = files.rlim_max;
      setrlimit (RLIMIT_NOFILE, &files);
    }
  if (getrlimit (RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < n_clients + 16)
    {
      fprintf (stderr, "ptlab-helper http-load: %llu connections need that many descriptors, but "
               "RLIMIT_NOFILE allows %llu\n", (unsigned long long) n_clients, (unsigned long long) files.rlim_cur);
      return 3;
    }

  clients = calloc (n_clients, sizeof *clients);
  epoll = epoll_create1 (EPOLL_CLOEXEC);
  if (clients == NULL || epoll < 0)
    return 1;

  /* Every connection starts at once, without waiting for the others. */
  for (uint64_t i = 0; i < n_clients; i++)
    {
      struct epoll_event event = { EPOLLOUT, { .ptr = &clients[i] } };
      int one = 1;

      clients[i].fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (clients[i].fd < 0)
        {
          clients[i].dead = 1;
          refused++;
          continue;
        }
      setsockopt (clients[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      if (connect (clients[i].fd, (struct sockaddr *) &address, sizeof address) != 0 && errno != EINPROGRESS)
        {
          close (clients[i].fd);
          clients[i].dead = 1;
          refused++;
          continue;
        }
      epoll_ctl (epoll, EPOLL_CTL_ADD, clients[i].fd, &event);
    }

  start = now_ns ();
  measure_from = measure_to = 0;
  deadline = start + CONNECT_TIMEOUT_NS;
  for (;;)
    {
      uint64_t now = now_ns ();
      int timeout, n;

      /* The window opens once every connection is up or has failed (or
       * the connect timeout passed), after the warm-up. */
      if (measure_from == 0 && (connected + refused == n_clients || now >= deadline))
        {
          measure_from = now + warmup_ms * 1000000u;
          measure_to = measure_from + duration_ms * 1000000u;
        }
      if (measure_to != 0 && now >= measure_to)
        break;
      timeout = measure_to != 0 ? (int) ((measure_to - now) / 1000000u) + 1 : 100;

      n = epoll_wait (epoll, events, 512, timeout);
      for (int i = 0; i < n; i++)
        {
          Client *client = events[i].data.ptr;

          if (client->dead)
            continue;
          if (!client->connected)
            {
              int error = 0;
              socklen_t size = sizeof error;
              struct epoll_event event = { EPOLLIN, { .ptr = client } };

              getsockopt (client->fd, SOL_SOCKET, SO_ERROR, &error, &size);
              if (error != 0 || send_request (client) != 0)
                {
                  client->dead = 1;
                  refused++;
                  epoll_ctl (epoll, EPOLL_CTL_DEL, client->fd, NULL);
                  close (client->fd);
                  continue;
                }
              client->connected = 1;
              connected++;
              epoll_ctl (epoll, EPOLL_CTL_MOD, client->fd, &event);
              continue;
            }

          for (;;)
            {
              char buffer[4096];
              ssize_t got = recv (client->fd, buffer, sizeof buffer, 0);

              if (got < 0 && (errno == EAGAIN || errno == EINTR))
                break;
              if (got <= 0)
                {
                  /* Closed or reset while we wanted answers. */
                  client->dead = 1;
                  errors++;
                  epoll_ctl (epoll, EPOLL_CTL_DEL, client->fd, NULL);
                  close (client->fd);
                  break;
                }
              client->got += (size_t) got;
              /* The answer has a fixed length: complete when all came. */
              while (client->got >= answer_length)
                {
                  uint64_t done = now_ns ();

                  client->got -= answer_length;
                  if (measure_from != 0 && done >= measure_from && done < measure_to)
                    {
                      histogram[bucket_of (done - client->sent_at)]++;
                      requests++;
                      client->answered++;
                    }
                  if (client->got == 0 && send_request (client) != 0)
                    {
                      client->dead = 1;
                      errors++;
                      break;
                    }
                }
              if (client->dead)
                break;
            }
        }
    }

  for (uint64_t i = 0; i < n_clients; i++)
    {
      unanswered += !clients[i].dead && clients[i].connected && clients[i].answered == 0;
      if (!clients[i].dead)
        close (clients[i].fd);
    }

  printf ("connected %llu\nrefused %llu\nerrors %llu\nrequests %llu\nunanswered %llu\n",
          (unsigned long long) connected, (unsigned long long) refused, (unsigned long long) errors,
          (unsigned long long) requests, (unsigned long long) unanswered);
  printf ("seconds %.9f\ncpu %.9f\n", (measure_to - measure_from) / 1e9, (helper_cpu_ns () - cpu_start) / 1e9);
  for (unsigned b = 0; b < N_BUCKETS; b++)
    if (histogram[b] > 0)
      printf ("latency %llu %llu\n", (unsigned long long) bucket_low (b), (unsigned long long) histogram[b]);
  free (clients);
  return 0;
}
