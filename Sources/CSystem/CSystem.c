// The one call that needs a header the module map must not see: posix_openpt and friends come
// from <stdlib.h>, which under _GNU_SOURCE declares types differently from Swift's Glibc.
#include "CSystem.h"
#include <stdlib.h>

int proclab_open_pty_master(char *name, size_t size) {
  int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) return -1;
  if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, name, size) != 0) {
    close(master);
    return -1;
  }
  return master;
}

uint64_t proclab_attention = 0;
