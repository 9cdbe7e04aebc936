package io.switchboard.node.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/local/cluster.sh's process handling, with real processes and no real node: right after SIGKILL a process
 * can linger as a zombie until its parent reaps it, and {@code kill -0} still succeeds on it. {@code kill} must
 * wait until the node is gone, and {@code start} must never take a zombie for a running node.
 */
class LocalClusterScriptTest {

  private static final Path ROOT = Path.of("..", "..").toAbsolutePath().normalize();
  private static final Path SCRIPT = ROOT.resolve("deploy/local/cluster.sh");

  private record Run(int exit, String output) {}

  private static Run bash(Map<String, String> env, String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", "-c", String.join(" ", command)));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(ROOT.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  /**
   * A zombie of our own: a process whose child exits while the process itself (exec'd into sleep) never waits for
   * it. Returns the zombie's pid; the parent lives {@code seconds}.
   */
  private static long zombie(Process[] parent) throws Exception {
    parent[0] = new ProcessBuilder("bash", "-c", "sleep 0.1 & echo $!; exec sleep 20").start();
    BufferedReader r = new BufferedReader(new InputStreamReader(parent[0].getInputStream(), StandardCharsets.UTF_8));
    long pid = Long.parseLong(r.readLine().trim());
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!stateOf(pid).equals("Z")) {
      assertThat(System.nanoTime()).as("the child became a zombie").isLessThan(deadline);
      Thread.sleep(20);
    }
    return pid;
  }

  private static String stateOf(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[0];
  }

  @Test
  void a_zombie_is_not_a_running_process_though_kill_0_says_it_is() throws Exception {
    Process[] parent = new Process[1];
    try {
      long pid = zombie(parent);
      assertThat(bash(Map.of(), "kill -0 " + pid).exit()).as("the old check is fooled").isZero();
      assertThat(bash(Map.of(), "source deploy/lib/common.sh; process_running " + pid).exit()).isNotZero();
      assertThat(bash(Map.of(), "source deploy/lib/common.sh; process_running " + ProcessHandle.current().pid())
          .exit()).isZero();
      assertThat(bash(Map.of(), "source deploy/lib/common.sh; process_running 999999999").exit()).isNotZero();
    } finally {
      parent[0].destroyForcibly();
    }
  }

  @Test
  void start_right_after_kill_starts_the_node_again(@TempDir Path dir) throws Exception {
    // A stand-in JDK whose java answers -version and otherwise runs for a while, like a node: the script's process
    // handling is what is tested here, not a node.
    Path jdk = Files.createDirectories(dir.resolve("jdk/bin"));
    Path java = jdk.resolve("java");
    Files.writeString(java, """
        #!/usr/bin/env bash
        if [[ "$1" == "-version" ]]; then echo 'openjdk version "21.0.9" 2025-10-21' >&2; exit 0; fi
        exec sleep 60
        """);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar = Files.writeString(dir.resolve("node.jar"), "not a jar");
    Path state = dir.resolve("state");
    Files.createDirectories(state.resolve("pids"));
    Files.writeString(state.resolve("size"), "1");
    Map<String, String> env = Map.of("SB_LOCAL_STATE", state.toString(), "JAVA_HOME", dir.resolve("jdk").toString(),
        "SB_NODE_JAR", jar.toString());

    Process[] parent = new Process[1];
    try {
      // What a SIGKILLed node leaves for a moment: its pid file, naming a zombie.
      long zombie = zombie(parent);
      Files.writeString(state.resolve("pids/8081.pid"), String.valueOf(zombie));
      assertThat(bash(env, SCRIPT.toString(), "status").output()).contains("node 8081").contains(" down");
      Run start = bash(env, SCRIPT.toString(), "start", "8081");
      assertThat(start.output()).doesNotContain("already runs").contains("node 8081 started");
      long started = Long.parseLong(Files.readString(state.resolve("pids/8081.pid")).trim());
      assertThat(started).isNotEqualTo(zombie);
      assertThat(ProcessHandle.of(started).map(ProcessHandle::isAlive)).hasValue(true);

      // kill returns once the process is gone, so that start at once starts it again.
      Run kill = bash(env, SCRIPT.toString(), "kill", "8081", "&&", SCRIPT.toString(), "start", "8081");
      assertThat(kill.exit()).as(kill.output()).isZero();
      assertThat(kill.output()).contains("node 8081 killed").contains("node 8081 started")
          .doesNotContain("already runs");
      long again = Long.parseLong(Files.readString(state.resolve("pids/8081.pid")).trim());
      assertThat(again).isNotEqualTo(started);
      assertThat(bash(env, SCRIPT.toString(), "status").output()).contains(" up");
      bash(env, SCRIPT.toString(), "kill", "8081");
    } finally {
      parent[0].destroyForcibly();
    }
  }
}
