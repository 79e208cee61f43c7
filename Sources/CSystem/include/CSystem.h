// Linux calls Swift cannot make directly: variadic ones (prctl, fcntl, ioctl) and
// C globals that Swift 6 refuses as unsafe (environ). No logic lives here.
// Include nothing more under _GNU_SOURCE: a header that declares a type differently from
// Glibc's module (sys/resource.h, sys/socket.h) breaks every target that imports both.
#ifndef PROCLAB_CSYSTEM_H
#define PROCLAB_CSYSTEM_H
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <termios.h>
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
static inline long proclab_page_size(void) { return sysconf(_SC_PAGESIZE); }
// The raw calls, with the CPU mask as an array of words: <sched.h>'s cpu_set_t macros would
// need it included under _GNU_SOURCE (see above). getaffinity returns the bytes written.
static inline int proclab_sched_setaffinity(pid_t pid, const unsigned long *mask, int words) {
  return (int)syscall(SYS_sched_setaffinity, pid, (unsigned long)words * sizeof(unsigned long), mask);
}
static inline int proclab_sched_getaffinity(pid_t pid, unsigned long *mask, int words) {
  return (int)syscall(SYS_sched_getaffinity, pid, (unsigned long)words * sizeof(unsigned long), mask);
}
#endif
