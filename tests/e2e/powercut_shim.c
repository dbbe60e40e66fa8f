/* LD_PRELOAD shim for tests/e2e/test_power_cut.py: remember what a power cut would lose.
 *
 * A SIGKILL leaves the OS page cache alone, so everything a killed process
 * wrote reaches the disk whether or not it was fsynced. A power cut keeps
 * only what was fsynced. This shim writes, before every write or truncate
 * of a file under $POWERCUT_DIR, an undo record (the bytes about to be
 * overwritten and the file's size) to the log $POWERCUT_LOG, and after every
 * fsync/fdatasync of such a file that returned 0 a sync record. The test
 * kills the process, then undoes every write that no later sync covered:
 * the files are left as the disk would hold them after the power came back.
 *
 * The WAL index (-shm) is left out: SQLite keeps it in shared memory and
 * rebuilds it from the WAL when the first connection after a crash opens
 * the database; the test deletes it after the cut.
 *
 * Log records (little-endian, one write() each, so a kill never leaves a
 * record the data write already followed):
 *   'W' u32 path_len, path, u64 offset, u64 size_before, u32 old_len, old bytes
 *   'S' u32 path_len, path
 * The undo record goes out before the write it covers; a kill between the
 * two leaves a record whose undo restores what is already there.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off_t);

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int log_fd = -1;
static char prefix[PATH_MAX];
static size_t prefix_len;

__attribute__((constructor)) static void powercut_init(void) {
    real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
    real_pwrite = dlsym(RTLD_NEXT, "pwrite");
    real_write = dlsym(RTLD_NEXT, "write");
    real_fsync = dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    real_ftruncate = dlsym(RTLD_NEXT, "ftruncate");
    real_ftruncate64 = dlsym(RTLD_NEXT, "ftruncate64");
    const char *dir = getenv("POWERCUT_DIR");
    const char *log = getenv("POWERCUT_LOG");
    if (!dir || !log || !realpath(dir, prefix)) {
        return;
    }
    strcat(prefix, "/");
    prefix_len = strlen(prefix);
    log_fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
}

/* The file's path when it is a regular file under the watched folder. */
static int tracked(int fd, char *path) {
    if (log_fd < 0 || fd == log_fd) {
        return 0;
    }
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, PATH_MAX - 1);
    if (n <= 0) {
        return 0;
    }
    path[n] = '\0';
    if (n > 4 && strcmp(path + n - 4, "-shm") == 0) {
        return 0; /* the WAL index: mmapped, never durable; SQLite rebuilds it after a crash */
    }
    struct stat st;
    return strncmp(path, prefix, prefix_len) == 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

static void put(char **at, const void *data, size_t n) {
    memcpy(*at, data, n);
    *at += n;
}

static void emit(char *record, size_t length) {
    size_t done = 0;
    while (done < length) {
        ssize_t n = real_write(log_fd, record + done, length - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            abort(); /* an undo log with a hole would make the test lie */
        }
        done += (size_t)n;
    }
}

/* Undo record for the bytes [offset, offset + count) and, when the write extends it, the size. */
static void record_undo(int fd, const char *path, off_t offset, size_t count) {
    struct stat st;
    if (fstat(fd, &st) != 0) {
        abort();
    }
    uint64_t size_before = (uint64_t)st.st_size;
    uint64_t off = (uint64_t)offset;
    uint32_t old_len = 0;
    if (off < size_before) {
        uint64_t available = size_before - off;
        old_len = (uint32_t)(available < count ? available : count);
    }
    uint32_t path_len = (uint32_t)strlen(path);
    size_t length = 1 + 4 + path_len + 8 + 8 + 4 + old_len;
    char *record = malloc(length);
    if (!record) {
        abort();
    }
    char *at = record;
    put(&at, "W", 1);
    put(&at, &path_len, 4);
    put(&at, path, path_len);
    put(&at, &off, 8);
    put(&at, &size_before, 8);
    put(&at, &old_len, 4);
    size_t got = 0;
    while (got < old_len) {
        ssize_t n = pread(fd, at + got, old_len - got, (off_t)(off + got));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            abort();
        }
        got += (size_t)n;
    }
    emit(record, length);
    free(record);
}

static void record_sync(const char *path) {
    uint32_t path_len = (uint32_t)strlen(path);
    size_t length = 1 + 4 + path_len;
    char *record = malloc(length);
    if (!record) {
        abort();
    }
    char *at = record;
    put(&at, "S", 1);
    put(&at, &path_len, 4);
    put(&at, path, path_len);
    emit(record, length);
    free(record);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset) {
    char path[PATH_MAX];
    if (!tracked(fd, path)) {
        return real_pwrite64(fd, buf, count, offset);
    }
    pthread_mutex_lock(&lock);
    record_undo(fd, path, offset, count);
    ssize_t n = real_pwrite64(fd, buf, count, offset);
    pthread_mutex_unlock(&lock);
    return n;
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
    char path[PATH_MAX];
    if (!tracked(fd, path)) {
        return real_pwrite(fd, buf, count, offset);
    }
    pthread_mutex_lock(&lock);
    record_undo(fd, path, offset, count);
    ssize_t n = real_pwrite(fd, buf, count, offset);
    pthread_mutex_unlock(&lock);
    return n;
}

ssize_t write(int fd, const void *buf, size_t count) {
    char path[PATH_MAX];
    if (!tracked(fd, path)) {
        return real_write(fd, buf, count);
    }
    pthread_mutex_lock(&lock);
    off_t offset = lseek(fd, 0, SEEK_CUR);
    if (offset < 0 || (fcntl(fd, F_GETFL) & O_APPEND)) {
        abort(); /* SQLite never appends; the shim would not know the offset */
    }
    record_undo(fd, path, offset, count);
    ssize_t n = real_write(fd, buf, count);
    pthread_mutex_unlock(&lock);
    return n;
}

static int truncate_with_undo(int (*real)(int, off_t), int fd, off_t length) {
    char path[PATH_MAX];
    if (!tracked(fd, path)) {
        return real(fd, length);
    }
    pthread_mutex_lock(&lock);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        abort();
    }
    if (length < st.st_size) {
        record_undo(fd, path, length, (size_t)(st.st_size - length));
    } else {
        record_undo(fd, path, st.st_size, 0);
    }
    int rc = real(fd, length);
    pthread_mutex_unlock(&lock);
    return rc;
}

int ftruncate(int fd, off_t length) { return truncate_with_undo(real_ftruncate, fd, length); }
int ftruncate64(int fd, off_t length) { return truncate_with_undo(real_ftruncate64, fd, length); }

static int sync_with_record(int (*real)(int), int fd) {
    char path[PATH_MAX];
    if (!tracked(fd, path)) {
        return real(fd);
    }
    /* Under the lock, so no write's undo record falls between the sync and its record. */
    pthread_mutex_lock(&lock);
    int rc = real(fd);
    if (rc == 0) {
        record_sync(path);
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

int fsync(int fd) { return sync_with_record(real_fsync, fd); }
int fdatasync(int fd) { return sync_with_record(real_fdatasync, fd); }
