// The sandbox that runs model-written programs. Everything after fork() in the child uses only system calls
// (async-signal-safe), because the caller is a multi-threaded Swift process: buffers, maps and the seccomp
// program are prepared before fork.
#ifdef __linux__
#define _GNU_SOURCE
#endif
#include "fathom_sandbox.h"

#ifdef __linux__

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS 0x80000000U
#endif

// Landlock, defined here so that older kernel headers still build (the syscall numbers are the same on every
// architecture).
#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#define __NR_landlock_add_rule 445
#define __NR_landlock_restrict_self 446
#endif
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_FS_EXECUTE (1ULL << 0)
#define LL_FS_WRITE_FILE (1ULL << 1)
#define LL_FS_READ_FILE (1ULL << 2)
#define LL_FS_READ_DIR (1ULL << 3)
#define LL_FS_REMOVE_DIR (1ULL << 4)
#define LL_FS_REMOVE_FILE (1ULL << 5)
#define LL_FS_MAKE_CHAR (1ULL << 6)
#define LL_FS_MAKE_DIR (1ULL << 7)
#define LL_FS_MAKE_REG (1ULL << 8)
#define LL_FS_MAKE_SOCK (1ULL << 9)
#define LL_FS_MAKE_FIFO (1ULL << 10)
#define LL_FS_MAKE_BLOCK (1ULL << 11)
#define LL_FS_MAKE_SYM (1ULL << 12)
#define LL_FS_REFER (1ULL << 13)
#define LL_FS_TRUNCATE (1ULL << 14)
#define LL_FS_IOCTL_DEV (1ULL << 15)
#define LL_NET_BIND_TCP (1ULL << 0)
#define LL_NET_CONNECT_TCP (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LL_SCOPE_SIGNAL (1ULL << 1)

struct ll_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};

struct ll_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

int fathom_sandbox_landlock_abi(void) {
    long abi = syscall(__NR_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
    return abi < 0 ? 0 : (int)abi;
}

// Messages from the sandbox's two processes to the caller, on a close-on-exec pipe.
enum { MSG_FAIL = 1, MSG_INIT_PID, MSG_FENCES, MSG_STATUS, MSG_CPU };
struct message {
    int type;
    int a;
    long b;
};

static void send_message(int fd, int type, int a, long b) {
    struct message m = {type, a, b};
    ssize_t ignored = write(fd, &m, sizeof m);
    (void)ignored;
}

static void fail(int fd, int stage, int err) {
    send_message(fd, MSG_FAIL, stage, err);
    _exit(127);
}

static int write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t n = strlen(text);
    ssize_t w = write(fd, text, n);
    close(fd);
    return w == (ssize_t)n ? 0 : -1;
}

// The seccomp program: the architecture must be the build's; sockets only of the Unix family; clone without
// namespace flags; clone3 reported as missing (libc falls back to clone); namespace, mount, tracing, kernel
// module, bpf, keyring and io_uring calls refused.
#if defined(__x86_64__)
#define FATHOM_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define FATHOM_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

#define STMT(code, k) ((struct sock_filter){(unsigned short)(code), 0, 0, (unsigned int)(k)})
#define JUMP(code, k, jt, jf) ((struct sock_filter){(unsigned short)(code), (unsigned char)(jt), (unsigned char)(jf), (unsigned int)(k)})
#define NS_FLAGS (CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP | CLONE_NEWTIME)

static const int denied_calls[] = {
    __NR_ptrace, __NR_mount, __NR_umount2, __NR_pivot_root, __NR_chroot, __NR_unshare, __NR_setns,
    __NR_bpf, __NR_perf_event_open, __NR_keyctl, __NR_add_key, __NR_request_key, __NR_init_module,
    __NR_finit_module, __NR_delete_module, __NR_kexec_load, __NR_process_vm_readv, __NR_process_vm_writev,
    __NR_userfaultfd, __NR_io_uring_setup, __NR_io_uring_enter, __NR_io_uring_register, __NR_acct,
    __NR_swapon, __NR_swapoff, __NR_reboot, __NR_syslog, __NR_quotactl,
#ifdef __NR_open_by_handle_at
    __NR_open_by_handle_at,
#endif
#ifdef __NR_fsopen
    __NR_fsopen, __NR_fsmount, __NR_move_mount, __NR_open_tree,
#endif
};

#define MAX_FILTER 128
static int build_filter(struct sock_filter *f) {
#ifdef FATHOM_AUDIT_ARCH
    int n = 0;
    f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, FATHOM_AUDIT_ARCH, 1, 0);
    f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
    f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
#if defined(__x86_64__)
    f[n++] = JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1);  // the x32 ABI
    f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
#endif
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 4);
    f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 0, 1);
    f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES);
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 4);
    f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
    f[n++] = JUMP(BPF_JMP | BPF_JSET | BPF_K, NS_FLAGS, 0, 1);
    f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
    f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1);
    f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
    for (size_t i = 0; i < sizeof denied_calls / sizeof denied_calls[0]; i++) {
        f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, denied_calls[i], 0, 1);
        f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
    }
    f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    return n;
#else
    (void)f;
    return 0;
#endif
}

// Landlock: reads beneath `read_paths`, everything beneath `workdir`, /dev/null as a file; no TCP (ABI 4); no
// signals to or abstract sockets of processes outside (ABI 6). Returns the fences set, or -1.
static int apply_landlock(const fathom_sandbox_spec *spec, int abi) {
    if (abi <= 0) return -1;
    uint64_t fs = LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_READ_DIR | LL_FS_REMOVE_DIR |
                  LL_FS_REMOVE_FILE | LL_FS_MAKE_CHAR | LL_FS_MAKE_DIR | LL_FS_MAKE_REG | LL_FS_MAKE_SOCK |
                  LL_FS_MAKE_FIFO | LL_FS_MAKE_BLOCK | LL_FS_MAKE_SYM;
    if (abi >= 2) fs |= LL_FS_REFER;
    if (abi >= 3) fs |= LL_FS_TRUNCATE;
    if (abi >= 5) fs |= LL_FS_IOCTL_DEV;
    struct ll_ruleset_attr attr = {fs, 0, 0};
    size_t size = sizeof(uint64_t);
    int fences = FATHOM_FENCE_LANDLOCK_FS;
    if (abi >= 4) {
        attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
        size = 2 * sizeof(uint64_t);
        fences |= FATHOM_FENCE_LANDLOCK_NET;
    }
    if (abi >= 6) {
        attr.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
        size = 3 * sizeof(uint64_t);
        fences |= FATHOM_FENCE_LANDLOCK_SCOPE;
    }
    int ruleset = (int)syscall(__NR_landlock_create_ruleset, &attr, size, 0);
    if (ruleset < 0) return -1;
    uint64_t read_rights = LL_FS_EXECUTE | LL_FS_READ_FILE | LL_FS_READ_DIR;
    for (const char *const *p = spec->read_paths; p && *p; p++) {
        int fd = open(*p, O_PATH | O_CLOEXEC);
        if (fd < 0) continue;  // a listed path this system does not have
        struct stat st;
        uint64_t rights = read_rights;
        if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode)) rights = LL_FS_EXECUTE | LL_FS_READ_FILE;
        struct ll_path_beneath_attr rule = {rights & fs, fd};
        long r = syscall(__NR_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &rule, 0);
        close(fd);
        if (r < 0) return -1;
    }
    int wd = open(spec->workdir, O_PATH | O_CLOEXEC);
    if (wd < 0) return -1;
    struct ll_path_beneath_attr all = {fs, wd};
    if (syscall(__NR_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &all, 0) < 0) return -1;
    close(wd);
    int null = open("/dev/null", O_PATH | O_CLOEXEC);
    if (null >= 0) {
        uint64_t rights = LL_FS_READ_FILE | LL_FS_WRITE_FILE | (abi >= 3 ? LL_FS_TRUNCATE : 0);
        struct ll_path_beneath_attr rule = {rights, null};
        syscall(__NR_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &rule, 0);
        close(null);
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
    if (syscall(__NR_landlock_restrict_self, ruleset, 0) < 0) return -1;
    close(ruleset);
    return fences;
}

static void set_limit(int resource, long value) {
    if (value <= 0) return;
    struct rlimit r = {(rlim_t)value, (rlim_t)value};
    setrlimit(resource, &r);
}

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

// The child side: two processes. The first drops root, enters the new namespaces and sets the limits; the
// second is the PID namespace's init, which confines itself (Landlock, seccomp) and executes the program.
static void child(const fathom_sandbox_spec *spec, int in_fd, int out_fd, int err_fd, int msg_fd, const char *uid_map,
                  const char *gid_map, struct sock_filter *filter, int filter_len, int landlock_abi, int as_root) {
    int fences = 0;
    if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) fail(msg_fd, FATHOM_STAGE_PIPES, errno);
    // Only 0-2 and the message pipe (moved to 3, closed at exec) stay open: the caller may hold more descriptors than
    // RLIMIT_NOFILE allows the sandbox, and Landlock's setup needs free ones below it.
    if (msg_fd != 3) {
        if (dup2(msg_fd, 3) < 0) fail(msg_fd, FATHOM_STAGE_PIPES, errno);
        msg_fd = 3;
    }
    fcntl(3, F_SETFD, FD_CLOEXEC);
    if (syscall(SYS_close_range, 4, ~0U, 0) != 0) {
        struct rlimit files;
        long top = getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY ? (long)files.rlim_cur : 65536;
        for (long fd = 4; fd < top; fd++) close((int)fd);
    }
    setsid();
    if (as_root) {
        gid_t g = spec->unprivileged_gid;
        if (syscall(SYS_setgroups, 1, &g) != 0 || syscall(SYS_setresgid, g, g, g) != 0 ||
            syscall(SYS_setresuid, spec->unprivileged_uid, spec->unprivileged_uid, spec->unprivileged_uid) != 0)
            fail(msg_fd, FATHOM_STAGE_DROP_ROOT, errno);
        fences |= FATHOM_FENCE_DROPPED_ROOT;
    }
    if (!spec->skip_namespaces && unshare(CLONE_NEWUSER) == 0) {
        fences |= FATHOM_FENCE_USERNS;
        write_file("/proc/self/setgroups", "deny");
        write_file("/proc/self/uid_map", uid_map);
        write_file("/proc/self/gid_map", gid_map);
        if (unshare(CLONE_NEWNET) == 0) fences |= FATHOM_FENCE_NETNS;
        if (unshare(CLONE_NEWIPC | CLONE_NEWUTS) == 0) fences |= FATHOM_FENCE_IPCNS;
        if (unshare(CLONE_NEWPID) == 0) fences |= FATHOM_FENCE_PIDNS;
    }
    const fathom_sandbox_limits *l = &spec->limits;
    set_limit(RLIMIT_CPU, l->cpu_seconds);
    set_limit(RLIMIT_AS, l->address_space);
    set_limit(RLIMIT_FSIZE, l->file_size);
    set_limit(RLIMIT_NOFILE, l->open_files);
    struct rlimit zero = {0, 0};
    setrlimit(RLIMIT_CORE, &zero);
    // RLIMIT_NPROC counts every process of the real user: it is set inside a user namespace, or for `nobody` after
    // dropping root, never for a user who has other processes.
    if (((fences & FATHOM_FENCE_USERNS) || (fences & FATHOM_FENCE_DROPPED_ROOT)) && l->processes > 0) {
        set_limit(RLIMIT_NPROC, l->processes);
        fences |= FATHOM_FENCE_NPROC;
    }
    // Without a PID namespace a child could outlive the run (the wall-clock kill reaches only the namespace's init),
    // and without a process limit a fork bomb reaches the machine: refuse rather than run half-confined.
    if (!(fences & FATHOM_FENCE_PIDNS) || !(fences & FATHOM_FENCE_NPROC)) fail(msg_fd, FATHOM_STAGE_CONTAIN, EPERM);
    pid_t pid = fork();
    if (pid < 0) fail(msg_fd, FATHOM_STAGE_FORK_INIT, errno);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        // Every descriptor the caller had open (files, sockets) closes at exec: Landlock confines opening files,
        // not writing to descriptors already open.
        if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
            for (int fd = 3; fd < 65536; fd++) fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
        if (chdir(spec->workdir) != 0) fail(msg_fd, FATHOM_STAGE_CHDIR, errno);
        int landlock = apply_landlock(spec, landlock_abi);
        if (landlock < 0) {
            if (spec->require_landlock) fail(msg_fd, FATHOM_STAGE_LANDLOCK, landlock_abi > 0 ? errno : ENOSYS);
        } else {
            fences |= landlock;
        }
        if (filter_len > 0) {
            struct sock_fprog prog = {(unsigned short)filter_len, filter};
            if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
                fail(msg_fd, FATHOM_STAGE_SECCOMP, errno);
            fences |= FATHOM_FENCE_SECCOMP;
        } else {
            fail(msg_fd, FATHOM_STAGE_SECCOMP, ENOSYS);
        }
        send_message(msg_fd, MSG_FENCES, fences, 0);
        execve(spec->executable, spec->argv, spec->envp);
        fail(msg_fd, FATHOM_STAGE_EXEC, errno);
    }
    close(0);
    close(1);
    close(2);
    send_message(msg_fd, MSG_INIT_PID, 0, (long)pid);
    int status = 0;
    struct rusage usage;
    memset(&usage, 0, sizeof usage);
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) _exit(127);
    }
    long cpu = (long)usage.ru_utime.tv_sec * 1000 + usage.ru_utime.tv_usec / 1000 + (long)usage.ru_stime.tv_sec * 1000 +
               usage.ru_stime.tv_usec / 1000;
    send_message(msg_fd, MSG_CPU, 0, cpu);
    send_message(msg_fd, MSG_STATUS, status, 0);
    _exit(0);
}

static int make_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int fathom_sandbox_run(const fathom_sandbox_spec *spec, const char *input, long input_len, char *out, long out_cap,
                       char *err, long err_cap, fathom_sandbox_result *result) {
    memset(result, 0, sizeof *result);
    long started = now_ms();
    int as_root = geteuid() == 0 || getuid() == 0;
    unsigned uid = as_root ? spec->unprivileged_uid : (unsigned)geteuid();
    unsigned gid = as_root ? spec->unprivileged_gid : (unsigned)getegid();
    char uid_map[64], gid_map[64];
    snprintf(uid_map, sizeof uid_map, "%u %u 1\n", uid, uid);
    snprintf(gid_map, sizeof gid_map, "%u %u 1\n", gid, gid);
    struct sock_filter filter[MAX_FILTER];
    int filter_len = build_filter(filter);
    int landlock_abi = fathom_sandbox_landlock_abi();
    if (as_root) {
        // The working directory belongs to the unprivileged user the program runs as.
        if (chown(spec->workdir, uid, gid) != 0) {
            result->setup_stage = FATHOM_STAGE_DROP_ROOT;
            result->setup_errno = errno;
            return -1;
        }
    }

    // stdin is a socket so that writing to a program that closed it returns EPIPE instead of raising SIGPIPE.
    int in_pair[2], out_pipe[2], err_pipe[2], msg_pipe[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_pair) != 0) goto pipes_failed;
    if (make_pipe(out_pipe) != 0) {
        close(in_pair[0]);
        close(in_pair[1]);
        goto pipes_failed;
    }
    if (make_pipe(err_pipe) != 0) {
        close(in_pair[0]);
        close(in_pair[1]);
        close(out_pipe[0]);
        close(out_pipe[1]);
        goto pipes_failed;
    }
    if (make_pipe(msg_pipe) != 0) {
        close(in_pair[0]);
        close(in_pair[1]);
        close(out_pipe[0]);
        close(out_pipe[1]);
        close(err_pipe[0]);
        close(err_pipe[1]);
        goto pipes_failed;
    }
    shutdown(in_pair[1], SHUT_RD);

    pid_t pid = fork();
    if (pid < 0) {
        result->setup_stage = FATHOM_STAGE_FORK;
        result->setup_errno = errno;
        close(in_pair[0]);
        close(in_pair[1]);
        close(out_pipe[0]);
        close(out_pipe[1]);
        close(err_pipe[0]);
        close(err_pipe[1]);
        close(msg_pipe[0]);
        close(msg_pipe[1]);
        return -1;
    }
    if (pid == 0) {
        close(in_pair[1]);
        close(out_pipe[0]);
        close(err_pipe[0]);
        close(msg_pipe[0]);
        child(spec, in_pair[0], out_pipe[1], err_pipe[1], msg_pipe[1], uid_map, gid_map, filter, filter_len, landlock_abi,
              as_root);
        _exit(127);
    }
    close(in_pair[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    close(msg_pipe[1]);

    int in_fd = in_pair[1];
    fcntl(in_fd, F_SETFL, fcntl(in_fd, F_GETFL) | O_NONBLOCK);
    long written = 0;
    if (input_len <= 0) {
        close(in_fd);
        in_fd = -1;
    }
    int fds[3] = {out_pipe[0], err_pipe[0], msg_pipe[0]};
    char *bufs[2] = {out, err};
    long caps[2] = {out_cap, err_cap};
    long lens[2] = {0, 0};
    int truncated[2] = {0, 0};
    pid_t init_pid = -1;
    int status = 0, have_status = 0, fences = 0;
    long deadline = started + spec->limits.wall_ms;
    long drain_until = -1;  // after a kill, keep reading only briefly
    char scratch[65536];
    struct message pending;
    size_t pending_len = 0;

    while (fds[0] >= 0 || fds[1] >= 0 || fds[2] >= 0) {
        long now = now_ms();
        if (!result->timed_out && now >= deadline) {
            result->timed_out = 1;
            if (init_pid > 0) kill(init_pid, SIGKILL);
            kill(pid, SIGKILL);
            drain_until = now + 200;
        }
        if (drain_until >= 0 && now >= drain_until) break;
        struct pollfd p[4];
        int n = 0, which[4];
        for (int i = 0; i < 3; i++)
            if (fds[i] >= 0) {
                p[n].fd = fds[i];
                p[n].events = POLLIN;
                which[n++] = i;
            }
        if (in_fd >= 0) {
            p[n].fd = in_fd;
            p[n].events = POLLOUT;
            which[n++] = 3;
        }
        long wait = (drain_until >= 0 ? drain_until : deadline) - now;
        if (wait < 0) wait = 0;
        if (wait > 1000) wait = 1000;
        int ready = poll(p, n, (int)wait);
        if (ready < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int k = 0; k < n; k++) {
            if (!p[k].revents) continue;
            int i = which[k];
            if (i == 3) {
                ssize_t w = send(in_fd, input + written, (size_t)(input_len - written), MSG_NOSIGNAL);
                if (w > 0) written += w;
                if (w < 0 && errno != EAGAIN && errno != EINTR) written = input_len;  // the program closed stdin
                if (written >= input_len || (p[k].revents & (POLLERR | POLLHUP))) {
                    close(in_fd);
                    in_fd = -1;
                }
                continue;
            }
            if (i == 2) {
                ssize_t r = read(fds[2], (char *)&pending + pending_len, sizeof pending - pending_len);
                if (r <= 0) {
                    if (r < 0 && errno == EINTR) continue;
                    close(fds[2]);
                    fds[2] = -1;
                    continue;
                }
                pending_len += (size_t)r;
                if (pending_len == sizeof pending) {
                    pending_len = 0;
                    switch (pending.type) {
                    case MSG_FAIL:
                        result->setup_stage = pending.a;
                        result->setup_errno = (int)pending.b;
                        break;
                    case MSG_INIT_PID: init_pid = (pid_t)pending.b; break;
                    case MSG_FENCES: fences = pending.a; break;
                    case MSG_STATUS:
                        status = pending.a;
                        have_status = 1;
                        break;
                    case MSG_CPU: result->cpu_ms = pending.b; break;
                    }
                }
                continue;
            }
            ssize_t r = read(fds[i], scratch, sizeof scratch);
            if (r <= 0) {
                if (r < 0 && errno == EINTR) continue;
                close(fds[i]);
                fds[i] = -1;
                continue;
            }
            long room = caps[i] - lens[i];
            long take = r < room ? r : room;
            if (take > 0) {
                memcpy(bufs[i] + lens[i], scratch, (size_t)take);
                lens[i] += take;
            }
            if (take < r) truncated[i] = 1;
        }
    }
    for (int i = 0; i < 3; i++)
        if (fds[i] >= 0) close(fds[i]);
    if (in_fd >= 0) close(in_fd);
    if (init_pid > 0 && (result->timed_out || !have_status)) kill(init_pid, SIGKILL);
    int outer = 0;
    while (waitpid(pid, &outer, 0) < 0 && errno == EINTR) {
    }
    result->fences = fences;
    result->stdout_len = lens[0];
    result->stderr_len = lens[1];
    result->stdout_truncated = truncated[0];
    result->stderr_truncated = truncated[1];
    result->wall_ms = now_ms() - started;
    if (have_status) {
        if (WIFEXITED(status)) {
            result->exited = 1;
            result->exit_code = WEXITSTATUS(status);
        } else if (WIFSIGNALED(status)) {
            result->signaled = 1;
            result->term_signal = WTERMSIG(status);
        }
    } else if (result->timed_out) {
        result->signaled = 1;
        result->term_signal = SIGKILL;
    }
    return 0;

pipes_failed:
    result->setup_stage = FATHOM_STAGE_PIPES;
    result->setup_errno = errno;
    return -1;
}

#else

#include <string.h>

int fathom_sandbox_landlock_abi(void) { return 0; }

int fathom_sandbox_run(const fathom_sandbox_spec *spec, const char *input, long input_len, char *out, long out_cap,
                       char *err, long err_cap, fathom_sandbox_result *result) {
    (void)spec; (void)input; (void)input_len; (void)out; (void)out_cap; (void)err; (void)err_cap;
    memset(result, 0, sizeof *result);
    result->setup_stage = 2;  // FATHOM_STAGE_FORK: no sandbox on this system
    result->setup_errno = 38; // ENOSYS
    return -1;
}

#endif
