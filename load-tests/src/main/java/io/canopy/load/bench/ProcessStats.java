package io.canopy.load.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Readings of a process from {@code /proc} and {@link ProcessHandle}: CPU time, resident memory, load average. */
public final class ProcessStats {
    private ProcessStats() {
    }

    /** User + system CPU time of the process so far, in nanoseconds (0 when unknown). */
    public static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** Resident set size in bytes ({@code VmRSS} of {@code /proc/<pid>/status}); -1 when unknown. */
    public static long rssBytes(long pid) {
        return statusKb(pid, "VmRSS:") * 1024;
    }

    /** Open file descriptors of the process; -1 when unknown. */
    public static long openFiles(long pid) {
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The soft limit of open files ({@code Max open files} of {@code /proc/<pid>/limits}); -1 when unknown. */
    public static long maxOpenFiles(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    /** The 1-minute load average, -1 when unknown. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long statusKb(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }
}
