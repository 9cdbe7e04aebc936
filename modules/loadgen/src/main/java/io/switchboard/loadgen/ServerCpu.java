package io.switchboard.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** User and system CPU time of a set of processes, from /proc/PID/stat (clock ticks of 10 ms). */
public record ServerCpu(long userTicks, long systemTicks) {

  static final double TICK_MICROS = 10_000.0;

  public static ServerCpu sample(List<Long> pids) {
    long user = 0;
    long system = 0;
    for (long pid : pids) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        user += Long.parseLong(f[11]);   // utime, field 14 overall
        system += Long.parseLong(f[12]); // stime, field 15 overall
      } catch (IOException | RuntimeException e) {
        // a process that exited contributes nothing
      }
    }
    return new ServerCpu(user, system);
  }

  /** {@code --server-pids 11,12,13}. */
  public static java.util.List<Long> pids(String spec) {
    java.util.List<Long> out = new java.util.ArrayList<>();
    for (String s : spec.split(",")) {
      if (!s.isBlank()) {
        out.add(Long.parseLong(s.trim()));
      }
    }
    return out;
  }

  public ServerCpu minus(ServerCpu before) {
    return new ServerCpu(userTicks - before.userTicks, systemTicks - before.systemTicks);
  }

  public double userMicros() {
    return userTicks * TICK_MICROS;
  }

  public double systemMicros() {
    return systemTicks * TICK_MICROS;
  }
}
