package io.ferry.cli.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Carries out a plan's steps in order, printing what the programs print; stops at the first failure. */
public final class StepRunner {

  private final PrintWriter out;

  public StepRunner(PrintWriter out) {
    this.out = out;
  }

  /** The exit code of the first step that failed, or 0. */
  public int run(ServicePlan plan) throws IOException, InterruptedException {
    for (Step step : plan.steps()) {
      int code = run(step);
      if (code != 0) {
        return code;
      }
    }
    return 0;
  }

  private int run(Step step) throws IOException, InterruptedException {
    switch (step) {
      case Step.Write w -> {
        Path parent = w.file().toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(w.file().getFileName() + ".new");
        Files.writeString(tmp, w.content());
        if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.move(tmp, w.file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return 0;
      }
      case Step.Delete d -> {
        Files.deleteIfExists(d.file());
        return 0;
      }
      case Step.Run r -> {
        Process p;
        try {
          p = new ProcessBuilder(r.command()).redirectErrorStream(true).start();
        } catch (IOException e) {
          if (r.mayFail()) {
            return 0;
          }
          throw new IOException("cannot run " + r.command().getFirst() + ": " + e.getMessage(), e);
        }
        p.getOutputStream().close();
        String output;
        try (InputStream in = p.getInputStream()) {
          output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        out.print(output);
        out.flush();
        int code = p.waitFor();
        if (code != 0 && !r.mayFail()) {
          return code;
        }
        if (r.requiredOutput() != null && !output.contains(r.requiredOutput())) {
          return 1;
        }
        return 0;
      }
    }
  }
}
