#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Makes sure no backend outlives `swap-server`, even when it is killed with SIGKILL.
///
/// Linux's parent-death signal (`PR_SET_PDEATHSIG`) cannot be set through
/// swift-subprocess and is tied to the spawning *thread*, which in a Swift thread
/// pool can exit at any time. So `swap-server` starts each backend through itself:
///
///     swap-server __swap-launch -- llama-server --port 9001 …
///
/// in a new process group, with stdin a pipe that `swap-server` holds open and never
/// writes. The launcher, still single-threaded, forks:
/// - the **child** becomes a watchdog (only when stdin is a pipe): it moves to its
///   own process group, ignores SIGTERM/SIGINT/SIGHUP, points stdout/stderr at `/dev/null`,
///   closes every other descriptor and re-executes this binary as
///   `swap-server __swap-watchdog PID`, so `ps` and `pgrep -f` show the backend's command
///   line once, on the backend. It blocks reading stdin. End of file means `swap-server`
///   is gone: it sends SIGTERM to the backend's process group, waits up to 2 s for the
///   group to empty, sends SIGKILL, and exits. It also exits, doing nothing, once its
///   parent (the backend) is gone (checked every 200 ms).
/// - the **parent** points stdin at `/dev/null` and `execvp`s the backend's argv, so
///   the PID `swap-server` got is the backend's PID (what `${PID}` in `cmdStop` means)
///   and the process group is the backend's.
///
/// `swap-server`'s `main` calls ``runIfRequested()`` before anything else.
public enum ProcessLauncher {
    /// The first argument that selects launcher mode.
    public static let argument = "__swap-launch"

    /// The first argument that selects watchdog mode (followed by the backend's PID).
    public static let watchdogArgument = "__swap-watchdog"

    /// The executable to pass as `launcherExecutable`: this process's own binary.
    public static let selfExecutable = "/proc/self/exe"

    /// The launcher's argv for `command`, after the executable.
    public static func arguments(for command: [String]) -> [String] {
        [argument, "--"] + command
    }

    /// Returns at once unless this process was started in launcher mode
    /// (`argv[1] == "__swap-launch"`); in launcher mode it never returns: it becomes
    /// the backend (or exits with status 127 and a message on stderr when the command
    /// cannot be run, or 2 when no command was given).
    ///
    /// Call it first thing in `main`, before any thread is started.
    public static func runIfRequested() {
        let arguments = CommandLine.arguments
        if arguments.count == 3, arguments[1] == watchdogArgument {
            guard let backend = pid_t(arguments[2]), backend > 1 else {
                writeToStandardError("swap: \(watchdogArgument) needs the backend's PID\n")
                _exit(2)
            }
            watch(backend: backend)
        }
        guard arguments.count >= 2, arguments[1] == argument else { return }
        var command = Array(arguments.dropFirst(2))
        if command.first == "--" {
            command.removeFirst()
        }
        guard let program = command.first else {
            writeToStandardError("swap: \(argument) needs a command after --\n")
            _exit(2)
        }

        // Lead a process group of our own so the watchdog can signal the backend's
        // whole group (swap-server already asks for one; this covers other callers).
        if getpgrp() != getpid() {
            _ = setpgid(0, 0)
        }
        let backend = getpid()

        // Only a pipe tells when its writer dies; with anything else on stdin (a
        // terminal, /dev/null) there is nobody to watch, so no watchdog.
        var status = stat()
        let watched = fstat(STDIN_FILENO, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO
        switch watched ? fork() : 1 {
        case 0:
            runWatchdog(backend: backend)
        case -1:
            let reason = String(cString: strerror(errno))
            writeToStandardError(
                "swap: cannot start the watchdog for \(program): \(reason); "
                    + "it will not be stopped if swap-server is killed\n")
        default:
            break
        }

        let devNull = open("/dev/null", O_RDONLY)
        if devNull >= 0 {
            _ = dup2(devNull, STDIN_FILENO)
            if devNull != STDIN_FILENO {
                _ = close(devNull)
            }
        }

        var cArguments: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) }
        cArguments.append(nil)
        execvp(program, &cArguments)
        let reason = String(cString: strerror(errno))
        writeToStandardError("swap: cannot run \(program): \(reason)\n")
        _exit(127)
    }

    /// The watchdog's body (runs in the forked child, single-threaded).
    private static func runWatchdog(backend: pid_t) -> Never {
        _ = signal(SIGTERM, SIG_IGN)
        _ = signal(SIGINT, SIG_IGN)
        _ = signal(SIGHUP, SIG_IGN)
        _ = signal(SIGPIPE, SIG_IGN)
        // Out of the backend's group: signals swap-server sends the group do not reach
        // us, and the group counts as empty once only we are left.
        _ = setpgid(0, 0)

        let devNull = open("/dev/null", O_RDWR)
        if devNull >= 0 {
            _ = dup2(devNull, STDOUT_FILENO)
            _ = dup2(devNull, STDERR_FILENO)
        }
        closeDescriptors(from: 3)

        // A short command line of our own: the backend's argv stays on the backend only.
        // Ignored signals stay ignored across exec; stdin (the pipe) is inherited.
        var watchdogArguments: [UnsafeMutablePointer<CChar>?] = [
            strdup("swap-server"), strdup(watchdogArgument), strdup(String(backend)), nil,
        ]
        execv(selfExecutable, &watchdogArguments)
        // No exec (the binary is gone): keep watching from this copy of the launcher.
        watch(backend: backend)
    }

    /// Watches stdin until end of file (swap-server is gone), or until the backend
    /// (this process's parent) is gone.
    private static func watch(backend: pid_t) -> Never {
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 200)
            if getppid() != backend {
                _exit(0)  // The backend is gone; nothing left to guard.
            }
            if ready < 0 {
                if errno == EINTR { continue }
                terminateGroup(backend)
            }
            if ready == 0 { continue }
            let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count > 0 { continue }  // swap-server never writes; ignore it if it does.
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            terminateGroup(backend)  // End of file: swap-server is gone.
        }
    }

    /// SIGTERM to the group, up to 2 s for it to empty, then SIGKILL; exits. With the
    /// 200 ms poll before it, every backend is gone within 3 s of swap-server's death.
    private static func terminateGroup(_ group: pid_t) -> Never {
        _ = kill(-group, SIGTERM)
        for _ in 0..<40 {
            if kill(-group, 0) != 0 && errno == ESRCH {
                _exit(0)
            }
            _ = usleep(50_000)
        }
        _ = kill(-group, SIGKILL)
        _exit(0)
    }

    /// Closes every descriptor from `lowest` up.
    private static func closeDescriptors(from lowest: Int32) {
        if let directory = opendir("/proc/self/fd") {
            var open: [Int32] = []
            while let entry = readdir(directory) {
                var name = entry.pointee.d_name
                let text = withUnsafeBytes(of: &name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if let descriptor = Int32(text), descriptor >= lowest {
                    open.append(descriptor)
                }
            }
            _ = closedir(directory)
            for descriptor in open {
                _ = close(descriptor)  // The directory's own descriptor is already closed: EBADF.
            }
            return
        }
        let limit = min(Int32(clamping: sysconf(Int32(_SC_OPEN_MAX))), 65_536)
        var descriptor = lowest
        while descriptor < limit {
            _ = close(descriptor)
            descriptor += 1
        }
    }

    private static func writeToStandardError(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes {
                write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset)
            }
            if written <= 0 {
                if written < 0 && errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}
