package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the drop-in promise without SAP's jar: a lib directory holding a file named sapjco3.jar makes
 * the launcher put that jar first and leave jco-mock out, with no rebuild; without it, jco-mock is used.
 * The stand-in sapjco3.jar carries only JCoDestinationManager, so a class path that still held
 * jco-mock would show up as jco-mock's other classes being loadable.
 */
class LauncherJcoChoiceIT {

  private static final Path BUILT_LIB = Path.of("target", "lib").toAbsolutePath();
  private static final Path LAUNCHER = Path.of("..", "install", "bin", "ferry").toAbsolutePath().normalize();

  @TempDir Path lib;

  record Run(int exit, String out, String err) {}

  @Test
  void withoutSapsJarTheSimulatorIsUsed() throws Exception {
    copyBuiltLib();
    Run r = ferry("--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).containsPattern("JCo: ferry-jco-mock-\\S+\\.jar \\(Ferry's SAP simulator");
    assertThat(classPath(r)).contains("ferry-jco-mock-").doesNotContain("sapjco3.jar");
  }

  @Test
  void sapsJarInLibReplacesTheSimulatorWithoutARebuild() throws Exception {
    copyBuiltLib();
    fakeSapJco(lib.resolve("sapjco3.jar"));

    Run r = ferry("--version");

    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("JCo: sapjco3.jar (SAP Java Connector)");
    String cp = classPath(r);
    assertThat(cp).startsWith(lib.resolve("sapjco3.jar").toString()).doesNotContain("ferry-jco-mock");
  }

  private void copyBuiltLib() throws IOException {
    try (Stream<Path> jars = Files.list(BUILT_LIB)) {
      for (Path j : jars.toList()) {
        Files.copy(j, lib.resolve(j.getFileName()));
      }
    }
    Files.copy(Path.of("target", "ferry.jar"), lib.resolve("ferry.jar"));
  }

  /** A jar named like SAP's with one class of the API in it, taken from jco-mock's build. */
  private static void fakeSapJco(Path target) throws IOException {
    Path mock;
    try (Stream<Path> jars = Files.list(BUILT_LIB)) {
      mock = jars.filter(p -> p.getFileName().toString().startsWith("ferry-jco-mock-")).findFirst().orElseThrow();
    }
    String entry = "com/sap/conn/jco/JCoDestinationManager.class";
    try (JarFile in = new JarFile(mock.toFile()); OutputStream out = Files.newOutputStream(target);
        JarOutputStream jar = new JarOutputStream(out); InputStream cls = in.getInputStream(in.getJarEntry(entry))) {
      jar.putNextEntry(new JarEntry(entry));
      cls.transferTo(jar);
      jar.closeEntry();
    }
  }

  private Run ferry(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("FERRY_LIB", lib.toString());
    pb.environment().put("FERRY_DEBUG_CLASSPATH", "1");
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  private static String classPath(Run r) {
    return r.err().lines().filter(l -> l.startsWith("ferry: class path ")).map(l -> l.substring("ferry: class path ".length()))
        .findFirst().orElseThrow(() -> new AssertionError("no class path printed: " + r.err()));
  }
}
