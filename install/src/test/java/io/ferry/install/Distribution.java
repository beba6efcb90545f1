package io.ferry.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The archives {@code package} built, unpacked the way an operator would: with tar. */
final class Distribution {

  static final String VERSION = System.getProperty("ferry.version", "0.1.0-SNAPSHOT");
  static final Path TARGET = Path.of("target").toAbsolutePath();

  private Distribution() {}

  static Path tarGz() {
    return TARGET.resolve("ferry-" + VERSION + ".tar.gz");
  }

  static Path zip() {
    return TARGET.resolve("ferry-" + VERSION + ".zip");
  }

  /** Unpacks the tar.gz into {@code dir} and answers the distribution's top folder. */
  static Path unpack(Path dir) throws Exception {
    assertThat(tarGz()).as("built by ./mvnw package").exists();
    Result r = run(dir, List.of("tar", "-xzf", tarGz().toString(), "-C", dir.toString()));
    assertThat(r.exit()).as(r.out()).isZero();
    return dir.resolve("ferry-" + VERSION);
  }

  record Result(int exit, String out) {}

  static Result run(Path workDir, List<String> command) throws IOException, InterruptedException {
    return run(workDir, command, java.util.Map.of());
  }

  static Result run(Path workDir, List<String> command, java.util.Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command + "\n" + out);
    }
    return new Result(p.exitValue(), out);
  }

  static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
