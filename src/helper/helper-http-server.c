/* SPDX-License-Identifier: GPL-3.0-or-later */

/*   ptlab-helper http-server MODEL WORKERS COMPUTE_US WAIT_US
 *
 * One of the server models of the "servers" experiment, on 127.0.0.1 at
 * a port the kernel picks, printed as "PORT n" on stdout once it listens.
 * Each request computes for COMPUTE_US (a busy loop on the clock) and then
 * waits WAIT_US: a sleep in the blocking models, a timer in the event
 * loops, as real code waits for a database. The server runs until stdin
 * closes or it is signalled, and dies with its parent.
 *
 * Models: iterative (one connection at a time), fork (a process per
 * connection), thread (a thread per connection), pool (WORKERS threads,
 * each accepting and serving one connection at a time), epoll (one thread,
 * non-blocking sockets, one epoll set), reuseport (WORKERS epoll processes
 * each with its own socket on the same port, SO_REUSEPORT). */



#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helper-common.h"
#include "ptl-http.h"

typedef struct
{
  uint64_t compute_ns;
  uint64_t wait_ns;
} Work;

static Work work;

static uint64_t
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

static void
compute (void)
{
  uint64_t until = now_ns () + work.compute_ns;

  while (work.compute_ns > 0 && now_ns () < until)
    ;
}

static int
write_all (int         fd,
           const char *data,
           size_t      length)
{
  while (length > 0)
    {
      ssize_t n = send (fd, data, length, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return -1;
      data += n;
      length -= (size_t) n;
    }
  return 0;
}

/* The blocking models: serve one connection to its end. */
static void
serve_blocking (int fd)
{
  char buffer[PTL_HTTP_MAX_REQUEST];
  size_t filled = 0;

  for (;;)
    {
      PtlHttpRequest request;
      PtlHttpStatus status;
      ssize_t n;

      while ((status = ptl_http_parse (buffer, filled, &request)) == PTL_HTTP_COMPLETE)
        {
          const char *answer;
          size_t length;

          compute ();
          if (work.wait_ns > 0)
            helper_sleep_ns (work.wait_ns);
          answer = ptl_http_response (request.keep_alive, &length);
          if (write_all (fd, answer, length) != 0 || !request.keep_alive)
            goto out;
          memmove (buffer, buffer + request.length, filled - request.length);
          filled -= request.length;
        }
      if (status == PTL_HTTP_MALFORMED)
        {
          size_t length;
          const char *answer = ptl_http_bad_request (&length);

          write_all (fd, answer, length);
          goto out;
        }
      n = recv (fd, buffer + filled, sizeof buffer - filled, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        goto out;
      filled += (size_t) n;
    }
out:
  close (fd);
}

static int
accept_one (int listener)
{
  for (;;)
    {
      int fd = accept4 (listener, NULL, NULL, SOCK_CLOEXEC);

      if (fd >= 0 || (errno != EINTR && errno != ECONNABORTED))
        return fd;
    }
}

static void
no_delay (int fd)
{
  int one = 1;

  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static int
serve_iterative (int listener)
{
  for (;;)
    {
      int fd = accept_one (listener);

      if (fd < 0)
        return 1;
      no_delay (fd);
      serve_blocking (fd);
    }
}

static int
serve_fork (int listener)
{
  pid_t server = getpid ();

  /* Children are reaped by the kernel: no zombies, no waitpid loop. */
  signal (SIGCHLD, SIG_IGN);
  for (;;)
    {
      int fd = accept_one (listener);
      pid_t pid;

      if (fd < 0)
        return 1;
      pid = fork ();
      if (pid == 0)
        {
          close (listener);
          ptl_die_with_parent (server);
          no_delay (fd);
          serve_blocking (fd);
          _exit (0);
        }
      /* A failed fork refuses this client, as a real server would. */
      close (fd);
    }
}

static void *
connection_thread (void *data)
{
  int fd = (int) (intptr_t) data;

  no_delay (fd);
  serve_blocking (fd);
  return NULL;
}

static pthread_attr_t small_stacks;

static int
serve_thread (int listener)
{
  for (;;)
    {
      int fd = accept_one (listener);
      pthread_t thread;

      if (fd < 0)
        return 1;
      if (pthread_create (&thread, &small_stacks, connection_thread, (void *) (intptr_t) fd) != 0)
        close (fd);
    }
}

static void *
pool_worker (void *data)
{
  int listener = (int) (intptr_t) data;

  for (;;)
    {
      int fd = accept_one (listener);

      if (fd < 0)
        return NULL;
      no_delay (fd);
      serve_blocking (fd);
    }
}

static int
serve_pool (int      listener,
            unsigned workers)
{
  for (unsigned i = 0; i < workers; i++)
    {
      pthread_t thread;

      if (pthread_create (&thread, &small_stacks, pool_worker, (void *) (intptr_t) listener) != 0)
        {
          fprintf (stderr, "ptlab-helper http-server: could not start pool thread %u: %s\n", i + 1, strerror (errno));
          return 1;
        }
    }
  pause ();
  return 0;
}

/* The event loop */

typedef struct
{
  int      fd;
  unsigned generation; /* a timer for a closed slot's old tenant is stale */
  char     in[PTL_HTTP_MAX_REQUEST];
  size_t   in_len;
  char    *out;
  size_t   out_len;
  size_t   out_cap;
  int      waiting;    /* a request is waiting on its timer */
  int      keep_alive; /* of the request waiting */
  int      closing;    /* close once the output is sent */
} Conn;

typedef struct
{
  uint64_t due;
  int      fd;
  unsigned generation;
} Timer;

typedef struct
{
  int      epoll;
  Conn   **conns;   /* by fd */
  size_t   n_conns;
  Timer   *heap;
  size_t   heap_len;
  size_t   heap_cap;
} Loop;

static void
heap_push (Loop  *loop,
           Timer  timer)
{
  size_t i;

  if (loop->heap_len == loop->heap_cap)
    {
      loop->heap_cap = loop->heap_cap ? 2 * loop->heap_cap : 1024;
      loop->heap = realloc (loop->heap, loop->heap_cap * sizeof *loop->heap);
      if (loop->heap == NULL)
        abort ();
    }
  for (i = loop->heap_len++; i > 0 && loop->heap[(i - 1) / 2].due > timer.due; i = (i - 1) / 2)
    loop->heap[i] = loop->heap[(i - 1) / 2];
  loop->heap[i] = timer;
}

static Timer
heap_pop (Loop *loop)
{
  Timer top = loop->heap[0];
  Timer last = loop->heap[--loop->heap_len];
  size_t i = 0;

  for (;;)
    {
      size_t child = 2 * i + 1;

      if (child >= loop->heap_len)
        break;
      if (child + 1 < loop->heap_len && loop->heap[child + 1].due < loop->heap[child].due)
        child++;
      if (loop->heap[child].due >= last.due)
        break;
      loop->heap[i] = loop->heap[child];
      i = child;
    }
  if (loop->heap_len > 0)
    loop->heap[i] = last;
  return top;
}

static void
conn_close (Loop *loop,
            Conn *conn)
{
  epoll_ctl (loop->epoll, EPOLL_CTL_DEL, conn->fd, NULL);
  close (conn->fd);
  conn->fd = -1;
  conn->generation++;
  conn->in_len = conn->out_len = 0;
  conn->waiting = conn->closing = 0;
}

static void
conn_queue (Conn       *conn,
            const char *data,
            size_t      length)
{
  if (conn->out_len + length > conn->out_cap)
    {
      conn->out_cap = (conn->out_len + length) * 2;
      conn->out = realloc (conn->out, conn->out_cap);
      if (conn->out == NULL)
        abort ();
    }
  memcpy (conn->out + conn->out_len, data, length);
  conn->out_len += length;
}

/* Sends what it can; asks for EPOLLOUT when the socket is full. */
static void
conn_flush (Loop *loop,
            Conn *conn)
{
  struct epoll_event event = { EPOLLIN, { .ptr = conn } };
  size_t sent = 0;

  while (sent < conn->out_len)
    {
      ssize_t n = send (conn->fd, conn->out + sent, conn->out_len - sent, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        break;
      if (n <= 0)
        {
          conn_close (loop, conn);
          return;
        }
      sent += (size_t) n;
    }
  /* An idle connection has no buffer yet: nothing to move then. */
  if (sent < conn->out_len)
    memmove (conn->out, conn->out + sent, conn->out_len - sent);
  conn->out_len -= sent;
  if (conn->out_len == 0 && conn->closing)
    {
      conn_close (loop, conn);
      return;
    }
  event.events = conn->out_len > 0 ? EPOLLIN | EPOLLOUT : EPOLLIN;
  epoll_ctl (loop->epoll, EPOLL_CTL_MOD, conn->fd, &event);
}

/* Answers the buffered requests in order; one waiting on its timer holds
 * the ones pipelined behind it. */
static void
conn_process (Loop *loop,
              Conn *conn)
{
  PtlHttpRequest request;
  PtlHttpStatus status;

  while (!conn->waiting && !conn->closing &&
         (status = ptl_http_parse (conn->in, conn->in_len, &request)) != PTL_HTTP_NEED_MORE)
    {
      size_t length;
      const char *answer;

      if (status == PTL_HTTP_MALFORMED)
        {
          answer = ptl_http_bad_request (&length);
          conn_queue (conn, answer, length);
          conn->closing = 1;
          break;
        }
      memmove (conn->in, conn->in + request.length, conn->in_len - request.length);
      conn->in_len -= request.length;
      compute ();
      if (work.wait_ns > 0)
        {
          Timer timer = { now_ns () + work.wait_ns, conn->fd, conn->generation };

          conn->waiting = 1;
          conn->keep_alive = request.keep_alive;
          heap_push (loop, timer);
          break;
        }
      answer = ptl_http_response (request.keep_alive, &length);
      conn_queue (conn, answer, length);
      conn->closing = !request.keep_alive;
    }
  conn_flush (loop, conn);
}

static Conn *
conn_for (Loop *loop,
          int   fd)
{
  if ((size_t) fd >= loop->n_conns)
    {
      size_t n = loop->n_conns ? loop->n_conns : 1024;

      while (n <= (size_t) fd)
        n *= 2;
      loop->conns = realloc (loop->conns, n * sizeof *loop->conns);
      if (loop->conns == NULL)
        abort ();
      memset (loop->conns + loop->n_conns, 0, (n - loop->n_conns) * sizeof *loop->conns);
      loop->n_conns = n;
    }
  if (loop->conns[fd] == NULL && (loop->conns[fd] = calloc (1, sizeof (Conn))) == NULL)
    abort ();
  loop->conns[fd]->fd = fd;
  return loop->conns[fd];
}

static int
serve_epoll (int listener)
{
  struct epoll_event events[256];
  struct epoll_event listen_event = { EPOLLIN, { .ptr = NULL } };
  Loop loop = { 0 };

  /* Accepting until EAGAIN must not block the loop. */
  fcntl (listener, F_SETFL, fcntl (listener, F_GETFL) | O_NONBLOCK);
  loop.epoll = epoll_create1 (EPOLL_CLOEXEC);
  if (loop.epoll < 0 || epoll_ctl (loop.epoll, EPOLL_CTL_ADD, listener, &listen_event) != 0)
    {
      fprintf (stderr, "ptlab-helper http-server: epoll: %s\n", strerror (errno));
      return 1;
    }

  for (;;)
    {
      int timeout = -1, n;
      uint64_t now = now_ns ();

      /* Timers that are due answer their requests. */
      while (loop.heap_len > 0 && loop.heap[0].due <= now)
        {
          Timer timer = heap_pop (&loop);
          Conn *conn = (size_t) timer.fd < loop.n_conns ? loop.conns[timer.fd] : NULL;
          size_t length;
          const char *answer;

          if (conn == NULL || conn->fd < 0 || conn->generation != timer.generation)
            continue;
          answer = ptl_http_response (conn->keep_alive, &length);
          conn_queue (conn, answer, length);
          conn->waiting = 0;
          conn->closing = !conn->keep_alive;
          conn_process (&loop, conn);
        }
      if (loop.heap_len > 0)
        timeout = (int) ((loop.heap[0].due - now + 999999) / 1000000);

      n = epoll_wait (loop.epoll, events, 256, timeout);
      if (n < 0 && errno != EINTR)
        return 1;
      for (int i = 0; i < n; i++)
        {
          Conn *conn = events[i].data.ptr;

          if (conn == NULL)
            {
              /* Accept what is there; each new socket joins the set. */
              for (;;)
                {
                  int fd = accept4 (listener, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
                  struct epoll_event event = { EPOLLIN, { 0 } };

                  if (fd < 0)
                    break;
                  no_delay (fd);
                  conn = conn_for (&loop, fd);
                  event.data.ptr = conn;
                  epoll_ctl (loop.epoll, EPOLL_CTL_ADD, fd, &event);
                }
              continue;
            }
          if (conn->fd < 0)
            continue;
          if (events[i].events & EPOLLOUT)
            conn_flush (&loop, conn);
          if (conn->fd >= 0 && events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
            {
              ssize_t got = recv (conn->fd, conn->in + conn->in_len, sizeof conn->in - conn->in_len, 0);

              if (got <= 0 && !(got < 0 && (errno == EAGAIN || errno == EINTR)))
                {
                  conn_close (&loop, conn);
                  continue;
                }
              if (got > 0)
                conn->in_len += (size_t) got;
              conn_process (&loop, conn);
            }
        }
    }
}

static int
listen_on (unsigned short port,
           int            reuse_port)
{
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons (port),
                                 .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t size = sizeof address;
  int one = 1;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (fd < 0)
    return -1;
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (reuse_port)
    setsockopt (fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (bind (fd, (struct sockaddr *) &address, sizeof address) != 0 ||
      listen (fd, SOMAXCONN) != 0 ||
      getsockname (fd, (struct sockaddr *) &address, &size) != 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

static unsigned short
port_of (int fd)
{
  struct sockaddr_in address;
  socklen_t size = sizeof address;

  getsockname (fd, (struct sockaddr *) &address, &size);
  return ntohs (address.sin_port);
}

/* Stops the whole server (children included) when the lab closes stdin. */
static void *
watch_stdin (void *data)
{
  char byte;

  while (read (STDIN_FILENO, &byte, 1) > 0)
    ;
  kill (0, SIGTERM);
  _exit (0);
}

int
helper_http_server_main (int    argc,
                         char **argv)
{
  static const char * const models[] = { "iterative", "fork", "thread", "pool", "epoll", "reuseport" };
  uint64_t workers, compute_us, wait_us;
  struct rlimit files;
  pthread_t watcher;
  int model = -1, listener;

  if (argc == 5)
    for (int i = 0; i < (int) (sizeof models / sizeof models[0]); i++)
      if (strcmp (argv[1], models[i]) == 0)
        model = i;
  if (model < 0 || !helper_parse_u64 (argv[2], &workers) || workers == 0 || workers > 100000 ||
      !helper_parse_u64 (argv[3], &compute_us) || !helper_parse_u64 (argv[4], &wait_us))
    {
      fputs ("usage: ptlab-helper http-server iterative|fork|thread|pool|epoll|reuseport "
             "WORKERS COMPUTE_US WAIT_US\n", stderr);
      return 2;
    }
  work.compute_ns = compute_us * 1000;
  work.wait_ns = wait_us * 1000;

  ptl_die_with_spawner ();
  /* Its own process group, so one signal stops every process of it. */
  setpgid (0, 0);
  signal (SIGPIPE, SIG_IGN);
  if (getrlimit (RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max)
    {
      files.rlim_cur = files.rlim_max;
      setrlimit (RLIMIT_NOFILE, &files);
    }
  /* A thread per connection needs little stack; 8 MiB each would only
   * reserve address space, but 64 KiB keeps 10,000 of them honest. */
  pthread_attr_init (&small_stacks);
  pthread_attr_setstacksize (&small_stacks, 64 * 1024);
  pthread_attr_setdetachstate (&small_stacks, PTHREAD_CREATE_DETACHED);

  listener = listen_on (0, model == 5);
  if (listener < 0)
    {
      fprintf (stderr, "ptlab-helper http-server: cannot listen on 127.0.0.1: %s\n", strerror (errno));
      return 1;
    }

  if (model == 5)
    {
      /* Each process gets its own socket on the port; the kernel spreads
       * new connections among them. */
      unsigned short port = port_of (listener);
      pid_t server = getpid ();

      for (uint64_t i = 1; i < workers; i++)
        {
          pid_t pid = fork ();

          if (pid == 0)
            {
              ptl_die_with_parent (server);
              close (listener);
              listener = listen_on (port, 1);
              if (listener < 0)
                _exit (1);
              _exit (serve_epoll (listener));
            }
          if (pid < 0)
            {
              fprintf (stderr, "ptlab-helper http-server: fork: %s\n", strerror (errno));
              return 1;
            }
        }
    }

  printf ("PORT %u\n", port_of (listener));
  fflush (stdout);
  pthread_create (&watcher, NULL, watch_stdin, NULL);

  switch (model)
    {
    case 0: return serve_iterative (listener);
    case 1: return serve_fork (listener);
    case 2: return serve_thread (listener);
    case 3: return serve_pool (listener, (unsigned) workers);
    default: return serve_epoll (listener);
    }
}
