// Linux calls Swift cannot make directly: variadic ones (prctl, fcntl, ioctl) and
// C globals that Swift 6 refuses as unsafe (environ). No logic lives here.
// Include nothing more under _GNU_SOURCE: a header that declares a type differently from
// Glibc's module (sys/resource.h, sys/socket.h) breaks every target that imports both.
#ifndef PROCLAB_CSYSTEM_H
#define PROCLAB_CSYSTEM_H
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/mman.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static inline int proclab_set_pdeathsig(int sig) { return prctl(PR_SET_PDEATHSIG, sig); }
static inline int proclab_set_child_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1); }
static inline int proclab_sigrtmin(void) { return SIGRTMIN; }
static inline int proclab_fcntl_getfl(int fd) { return fcntl(fd, F_GETFL); }
static inline int proclab_fcntl_setfl(int fd, int flags) { return fcntl(fd, F_SETFL, flags); }
static inline int proclab_fcntl_setfd(int fd, int flags) { return fcntl(fd, F_SETFD, flags); }
static inline int proclab_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
static inline int proclab_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }
static inline int proclab_window_columns(int fd) {
  struct winsize ws;
  return ioctl(fd, TIOCGWINSZ, &ws) == 0 ? ws.ws_col : 0;
}
static inline void proclab_flush_stdout(void) { fflush(stdout); fflush(stderr); }
static inline int proclab_nproc_online(void) { return (int)sysconf(_SC_NPROCESSORS_ONLN); }
static inline long proclab_clock_ticks(void) { return sysconf(_SC_CLK_TCK); }
/// A pseudo-terminal master (close-on-exec) with its slave unlocked; the slave's path into
/// `name`. In CSystem.c: <stdlib.h> under _GNU_SOURCE cannot be included here (see above).
int proclab_open_pty_master(char *name, size_t size);
static inline long proclab_page_size(void) { return sysconf(_SC_PAGESIZE); }

// The word the signal handlers set a bit in, one per signal (bit 0: the engine has work for
// its next check), and that the interpreter reads at every loop round and call (SignalTraps,
// InterruptCheck). A C global: Swift reaches it with no lazy initialisation on each read.
extern uint64_t proclab_attention;
static inline uint64_t proclab_attention_load(void) { return __atomic_load_n(&proclab_attention, __ATOMIC_RELAXED); }
static inline uint64_t proclab_attention_or(uint64_t bits) { return __atomic_fetch_or(&proclab_attention, bits, __ATOMIC_SEQ_CST); }
static inline uint64_t proclab_attention_and(uint64_t bits) { return __atomic_fetch_and(&proclab_attention, bits, __ATOMIC_SEQ_CST); }
static inline uint64_t proclab_attention_exchange(uint64_t v) { return __atomic_exchange_n(&proclab_attention, v, __ATOMIC_SEQ_CST); }

// The session's shared arena (Sync/SharedArena.swift): one MAP_SHARED region every child
// inherits. NORESERVE: untouched pages cost nothing, so a large arena is free until used.
static inline void *proclab_map_shared(size_t bytes) {
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

// Atomic operations on words of the shared arena; Swift's Atomic cannot live at an address
// it did not allocate. Sequentially consistent: these are lock words, not counters on a hot path.
static inline uint32_t proclab_load32(uint32_t *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
static inline void proclab_store32(uint32_t *p, uint32_t v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }
static inline uint32_t proclab_exchange32(uint32_t *p, uint32_t v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }
static inline int proclab_cas32(uint32_t *p, uint32_t expected, uint32_t desired) {
  return __atomic_compare_exchange_n(p, &expected, desired, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
static inline uint32_t proclab_add32(uint32_t *p, uint32_t v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
static inline uint32_t proclab_sub32(uint32_t *p, uint32_t v) { return __atomic_fetch_sub(p, v, __ATOMIC_SEQ_CST); }
static inline uint64_t proclab_add64(uint64_t *p, uint64_t v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }

// futex(2) on a word shared between processes (not FUTEX_PRIVATE_FLAG: the word is in a
// MAP_SHARED region). Waits while *p == expected, at most `nanoseconds`; 0 or -1 with errno.
static inline int proclab_futex_wait(uint32_t *p, uint32_t expected, long nanoseconds) {
  struct timespec ts = {nanoseconds / 1000000000L, nanoseconds % 1000000000L};
  return (int)syscall(SYS_futex, p, 0 /* FUTEX_WAIT */, expected, &ts, NULL, 0);
}
static inline int proclab_futex_wake(uint32_t *p, int count) {
  return (int)syscall(SYS_futex, p, 1 /* FUTEX_WAKE */, count, NULL, NULL, 0);
}
// The raw calls, with the CPU mask as an array of words: <sched.h>'s cpu_set_t macros would
// need it included under _GNU_SOURCE (see above). getaffinity returns the bytes written.
static inline int proclab_sched_setaffinity(pid_t pid, const unsigned long *mask, int words) {
  return (int)syscall(SYS_sched_setaffinity, pid, (unsigned long)words * sizeof(unsigned long), mask);
}
static inline int proclab_sched_getaffinity(pid_t pid, unsigned long *mask, int words) {
  return (int)syscall(SYS_sched_getaffinity, pid, (unsigned long)words * sizeof(unsigned long), mask);
}
#endif
