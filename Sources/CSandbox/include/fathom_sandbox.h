#ifndef FATHOM_SANDBOX_H
#define FATHOM_SANDBOX_H

/// Runs one program in a throwaway sandbox (Linux): a fresh user, network, IPC, UTS and PID namespace where the
/// kernel allows it; Landlock (writes only beneath the working directory, reads only beneath the listed paths, no
/// TCP, no signals or abstract sockets outside); a seccomp filter (no sockets but Unix ones, no namespace, mount,
/// ptrace, bpf, io_uring or module calls); rlimits on CPU, address space, processes, file size and open files; a
/// wall-clock kill of the whole PID namespace; a scrubbed environment. `result->fences` says what was enforced.
/// A PID namespace and a process limit are required: without them (a container or kernel that allows no user
/// namespaces) the run fails at FATHOM_STAGE_CONTAIN before anything is executed.
/// On other systems every call reports a setup failure.

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    FATHOM_FENCE_USERNS = 1 << 0,
    FATHOM_FENCE_NETNS = 1 << 1,
    FATHOM_FENCE_PIDNS = 1 << 2,
    FATHOM_FENCE_IPCNS = 1 << 3,
    FATHOM_FENCE_LANDLOCK_FS = 1 << 4,
    FATHOM_FENCE_LANDLOCK_NET = 1 << 5,
    FATHOM_FENCE_LANDLOCK_SCOPE = 1 << 6,
    FATHOM_FENCE_SECCOMP = 1 << 7,
    FATHOM_FENCE_NPROC = 1 << 8,
    FATHOM_FENCE_DROPPED_ROOT = 1 << 9,
};

/// Setup stages, reported with errno when one fails.
enum {
    FATHOM_STAGE_NONE = 0,
    FATHOM_STAGE_PIPES,
    FATHOM_STAGE_FORK,
    FATHOM_STAGE_DROP_ROOT,
    FATHOM_STAGE_RLIMIT,
    FATHOM_STAGE_FORK_INIT,
    FATHOM_STAGE_CHDIR,
    FATHOM_STAGE_LANDLOCK,
    FATHOM_STAGE_SECCOMP,
    FATHOM_STAGE_EXEC,
    FATHOM_STAGE_CONTAIN,  /* no PID namespace or no process limit: processes could outlive the run */
};

typedef struct fathom_sandbox_limits {
    long cpu_seconds;     /* RLIMIT_CPU of every process */
    long address_space;   /* RLIMIT_AS, bytes */
    long processes;       /* RLIMIT_NPROC (counted inside the user namespace) */
    long file_size;       /* RLIMIT_FSIZE, bytes */
    long open_files;      /* RLIMIT_NOFILE */
    long wall_ms;         /* the whole run is killed after this */
} fathom_sandbox_limits;

typedef struct fathom_sandbox_spec {
    const char *executable;          /* absolute path */
    char *const *argv;               /* NULL-terminated */
    char *const *envp;               /* NULL-terminated: the whole environment */
    const char *workdir;             /* cwd; the only writable place */
    const char *const *read_paths;   /* NULL-terminated: readable (and executable) beneath these */
    int require_landlock;            /* refuse to run when Landlock cannot confine the filesystem */
    int skip_namespaces;             /* tests only: behave as on a kernel that allows no user namespaces */
    unsigned int unprivileged_uid;   /* when started as root, the program runs as this uid/gid */
    unsigned int unprivileged_gid;
    fathom_sandbox_limits limits;
} fathom_sandbox_spec;

typedef struct fathom_sandbox_result {
    int setup_stage;       /* FATHOM_STAGE_NONE when the program started */
    int setup_errno;
    int exited;            /* exited normally with exit_code */
    int exit_code;
    int signaled;          /* killed by term_signal */
    int term_signal;
    int timed_out;         /* killed by the wall-clock limit */
    int fences;            /* FATHOM_FENCE_* actually enforced */
    long stdout_len;
    long stderr_len;
    int stdout_truncated;  /* more output than the buffer held (the rest was read and dropped) */
    int stderr_truncated;
    long wall_ms;
    long cpu_ms;           /* user + system time of the program and the children it waited for */
} fathom_sandbox_result;

/// Runs `spec` with `input` on stdin; captures up to `out_cap` bytes of stdout and `err_cap` of stderr.
/// Returns 0 when the run was attempted (see `result`), -1 on a setup failure in the caller's process.
int fathom_sandbox_run(const fathom_sandbox_spec *spec, const char *input, long input_len, char *out, long out_cap,
                       char *err, long err_cap, fathom_sandbox_result *result);

/// The Landlock ABI version the kernel offers (0 when none).
int fathom_sandbox_landlock_abi(void);

#ifdef __cplusplus
}
#endif

#endif
