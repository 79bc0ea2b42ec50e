/* An LD_PRELOAD shim for tests/cli-interrupt.sh: fsync first creates the file
 * named by $PC_SLOWSYNC_MARK and then waits a second, so that the test can
 * send a signal while polarcert commits an output file (flush, fsync,
 * rename). Without $PC_SLOWSYNC_MARK it is the plain fsync. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int fsync(int fd)
{
    const char *mark = getenv("PC_SLOWSYNC_MARK");
    if (mark != NULL) {
        int m = open(mark, O_WRONLY | O_CREAT, 0644);
        if (m >= 0)
            close(m);
        struct timespec ts = {1, 0};
        nanosleep(&ts, NULL);
    }
    int (*real_fsync)(int) = (int (*)(int)) dlsym(RTLD_NEXT, "fsync");
    return real_fsync != NULL ? real_fsync(fd) : 0;
}
