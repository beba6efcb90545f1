package io.ferry.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Facts about where the benchmark ran. */
final class Machine {

  private Machine() {}

  /** The checked-out commit (with "+ local changes" when the tree is dirty), or "unknown" outside git. */
  static String gitCommit() {
    String commit = git("rev-parse", "--short=12", "HEAD");
    if (commit == null) {
      return "unknown";
    }
    String dirty = git("status", "--porcelain", "--untracked-files=no");
    return commit + (dirty == null || dirty.isBlank() ? "" : " + local changes");
  }

  private static String git(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "git";
    System.arraycopy(args, 0, command, 1, args.length);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
