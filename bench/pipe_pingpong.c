// The C limit for messages between two processes over pipes: round-trip time
// and 8-byte message throughput, printed as the same JSON lines as python_baseline.py.
//
// Build: cc -O2 -o pipe_pingpong pipe_pingpong.c (Linux: it pins CPUs).
// Each value is the median of ROUNDS timed rounds after an untimed warm-up.
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { ROUNDS = 9, ROUNDTRIPS = 2000, MESSAGES = 100000, MESSAGE_SIZE = 8 };

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what) {
  perror(what);
  exit(1);
}

// Pipes may return short counts and signals may interrupt; a benchmark that
// silently lost bytes would report nonsense, so both are handled.
static void write_all(int fd, const void *buffer, size_t size) {
  const char *p = buffer;
  while (size > 0) {
    ssize_t n = write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) die("write");
    p += n;
    size -= (size_t)n;
  }
}

// Returns 0 at EOF before any byte, 1 when the whole buffer was filled.
static int read_all(int fd, void *buffer, size_t size) {
  char *p = buffer;
  size_t got = 0;
  while (got < size) {
    ssize_t n = read(fd, p + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die("read");
    if (n == 0) {
      if (got == 0) return 0;
      die("short read at EOF");
    }
    got += (size_t)n;
  }
  return 1;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *values, int count) {
  qsort(values, (size_t)count, sizeof *values, compare_doubles);
  return count % 2 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
}

static void print_result(const char *name, double value, const char *unit) {
  printf("{\"name\": \"%s\", \"value\": %.9g, \"unit\": \"%s\"}\n", name, value, unit);
  fflush(stdout);
}

static void reap(pid_t pid) {
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) die("waitpid");
}

// Binds the calling process to one CPU; a negative cpu leaves it free.
static void pin_to(int cpu) {
  if (cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (sched_setaffinity(0, sizeof set, &set) < 0) die("sched_setaffinity");
}

// Method: a child echoes every 8-byte message back on a second pipe; the
// parent writes one and reads the echo, ROUNDTRIPS times per round. Value:
// seconds per round trip (two writes, two reads, two wake-ups).
// Where the two processes run decides the result: on one CPU a wake-up is a
// context switch; across CPUs of a virtual machine it can be ten times slower,
// because waking an idle virtual CPU goes through the hypervisor. Unpinned,
// the scheduler picks either, so the pinned variants bound it from both sides.
static void measure_roundtrip(const char *name, int parent_cpu, int child_cpu) {
  cpu_set_t original;
  if (sched_getaffinity(0, sizeof original, &original) < 0) die("sched_getaffinity");
  int to_child[2], to_parent[2];
  if (pipe(to_child) < 0 || pipe(to_parent) < 0) die("pipe");
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    pin_to(child_cpu);
    close(to_child[1]);
    close(to_parent[0]);
    char message[MESSAGE_SIZE];
    while (read_all(to_child[0], message, sizeof message))
      write_all(to_parent[1], message, sizeof message);
    _exit(0);
  }
  pin_to(parent_cpu);
  close(to_child[0]);
  close(to_parent[1]);

  char message[MESSAGE_SIZE] = "ping";
  double seconds[ROUNDS];
  for (int round = -1; round < ROUNDS; round++) {
    int count = round < 0 ? ROUNDTRIPS / 10 : ROUNDTRIPS;
    double start = now_seconds();
    for (int i = 0; i < count; i++) {
      write_all(to_child[1], message, sizeof message);
      read_all(to_parent[0], message, sizeof message);
    }
    if (round >= 0) seconds[round] = (now_seconds() - start) / count;
  }
  close(to_child[1]);
  close(to_parent[0]);
  reap(pid);
  if (sched_setaffinity(0, sizeof original, &original) < 0) die("sched_setaffinity");
  print_result(name, median(seconds, ROUNDS), "s");
}

// Method: per round, a fresh child waits for a go byte, then writes MESSAGES
// 8-byte messages with one write() each, as a sender of separate messages
// would; the parent reads with a large buffer, as a framing reader would.
// The clock runs from the go byte to the last byte read. Value: messages/s.
static double one_throughput_round(int messages) {
  int go[2], data[2];
  if (pipe(go) < 0 || pipe(data) < 0) die("pipe");
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    close(go[1]);
    close(data[0]);
    char byte;
    if (!read_all(go[0], &byte, 1)) _exit(1);
    char message[MESSAGE_SIZE] = {0};
    for (int i = 0; i < messages; i++) {
      memcpy(message, &i, sizeof i);
      write_all(data[1], message, sizeof message);
    }
    _exit(0);
  }
  close(go[0]);
  close(data[1]);

  static char buffer[65536];
  size_t expected = (size_t)messages * MESSAGE_SIZE, received = 0;
  double start = now_seconds();
  write_all(go[1], "g", 1);
  while (received < expected) {
    ssize_t n = read(data[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) die("read");
    received += (size_t)n;
  }
  double elapsed = now_seconds() - start;
  close(go[1]);
  close(data[0]);
  reap(pid);
  return messages / elapsed;
}

static void measure_throughput(void) {
  double rates[ROUNDS];
  one_throughput_round(MESSAGES / 10);
  for (int round = 0; round < ROUNDS; round++) rates[round] = one_throughput_round(MESSAGES);
  print_result("pipe_throughput_8b", median(rates, ROUNDS), "items/s");
}

// The first two CPUs this process may run on, or -1 where there are fewer.
static void allowed_cpus(int *first, int *second) {
  cpu_set_t set;
  *first = *second = -1;
  if (sched_getaffinity(0, sizeof set, &set) < 0) die("sched_getaffinity");
  for (int cpu = 0; cpu < CPU_SETSIZE && *second < 0; cpu++) {
    if (!CPU_ISSET(cpu, &set)) continue;
    if (*first < 0)
      *first = cpu;
    else
      *second = cpu;
  }
}

int main(void) {
  // A reader that dies early must not kill us silently with SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
  int first, second;
  allowed_cpus(&first, &second);
  measure_roundtrip("pipe_roundtrip", -1, -1);
  measure_roundtrip("pipe_roundtrip_same_cpu", first, first);
  if (second >= 0) measure_roundtrip("pipe_roundtrip_cross_cpu", first, second);
  measure_throughput();
  return 0;
}
