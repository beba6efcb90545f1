package io.ferry.sapsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.sap.conn.jco.JCoException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * jco-mock's {@code com.sap.conn.jco} packages are SAP JCo 3 as far as they go: every public or protected
 * type, constructor, method and field they declare is in {@code jco3-api.txt}, a list written from JCo 3's
 * published API (see the sources named at its top), and nothing in that list is missing. Code that compiles
 * against jco-mock therefore links against sapjco3.jar. A member added to (or changed in) jco-mock fails this
 * test until it is checked against JCo 3 and written into the list; a simulator-only helper belongs in
 * {@code io.ferry.sapsim}, not here.
 */
class JcoApiSurfaceTest {

  @Test
  void theDeclaredApiIsJco3sMemberForMember() throws Exception {
    TreeSet<String> declared = new TreeSet<>();
    for (Class<?> type : jcoTypes()) {
      declared.addAll(surface(type));
    }
    TreeSet<String> listed = listed();

    TreeSet<String> notInJco = new TreeSet<>(declared);
    notInJco.removeAll(listed);
    TreeSet<String> missing = new TreeSet<>(listed);
    missing.removeAll(declared);
    assertThat(notInJco).as("declared by jco-mock but not JCo 3 API (jco3-api.txt); move simulator helpers to "
        + "io.ferry.sapsim, or check JCo 3's javadoc and add the line").isEmpty();
    assertThat(missing).as("in jco3-api.txt but not declared by jco-mock").isEmpty();
  }

  @Test
  void theExceptionsHaveJco3sConstructors() {
    // The ones callers most often write; a spot check that the list above says what the issue said.
    assertThat(constructors(JCoException.class)).contains(
        "(int, String)",
        "(int, String, String)",
        "(int, String, Throwable)",
        "(int, String, String, Throwable)",
        "(int, String, String, String, char, String, String[])",
        "(int, String, String, String, char, String, String[], Throwable)",
        "(int, String, String, char, String, String[], Throwable, String)",
        "(int, String, String, String, char, String, String[], Throwable, String)");
    assertThat(constructors(com.sap.conn.jco.AbapException.class)).containsExactlyInAnyOrder(
        "(String)", "(String, String)", "(String, String, char, String, String[])",
        "(String, String, String, char, String, String[])");
  }

  private static List<String> constructors(Class<?> type) {
    return Arrays.stream(type.getDeclaredConstructors()).filter(c -> Modifier.isPublic(c.getModifiers()))
        .map(c -> "(" + Arrays.stream(c.getGenericParameterTypes()).map(JcoApiSurfaceTest::name)
            .collect(Collectors.joining(", ")) + ")")
        .toList();
  }

  /** The lines of jco3-api.txt, without comments and blank lines. */
  private static TreeSet<String> listed() throws IOException {
    try (InputStream in = JcoApiSurfaceTest.class.getResourceAsStream("/jco3-api.txt")) {
      assertThat(in).as("jco3-api.txt on the test class path").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** Every class file under com/sap/conn/jco in jco-mock's own output (a directory, or its jar). */
  private static List<Class<?>> jcoTypes() throws Exception {
    URI location = JCoException.class.getProtectionDomain().getCodeSource().getLocation().toURI();
    Path root = Path.of(location);
    List<Class<?>> types = new ArrayList<>();
    if (Files.isDirectory(root)) {
      collect(root, types);
    } else {
      try (FileSystem jar = FileSystems.newFileSystem(root, Map.of())) {
        collect(jar.getPath("/"), types);
      }
    }
    assertThat(types).as("com.sap.conn.jco classes found").isNotEmpty();
    return types;
  }

  private static void collect(Path root, List<Class<?>> types) throws Exception {
    Path pkg = root.resolve("com/sap/conn/jco");
    try (Stream<Path> files = Files.walk(pkg)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(p).toString().replace('\\', '/').replace('/', '.');
        types.add(Class.forName(name.substring(0, name.length() - ".class".length()), false,
            JcoApiSurfaceTest.class.getClassLoader()));
      }
    }
  }

  /** One line per visible member: {@code JCoException#getGroup(): int}. Package-private types count too. */
  private static List<String> surface(Class<?> type) {
    List<String> lines = new ArrayList<>();
    String t = name(type);
    if (!visible(type.getModifiers())) {
      lines.add(t + " (not public: JCo declares no such type)");
      return lines;
    }
    lines.add(t + " " + kind(type));
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      if (visible(c.getModifiers()) && !c.isSynthetic()) {
        lines.add(t + "#<init>" + params(c) + mods(c.getModifiers()) + throwsOf(c));
      }
    }
    for (Method m : type.getDeclaredMethods()) {
      if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
        lines.add(t + "#" + m.getName() + params(m) + ": " + name(m.getGenericReturnType()) + mods(m.getModifiers())
            + throwsOf(m));
      }
    }
    for (Field f : type.getDeclaredFields()) {
      if (visible(f.getModifiers()) && !f.isSynthetic()) {
        lines.add(t + "." + f.getName() + ": " + name(f.getGenericType()) + mods(f.getModifiers()) + constant(f));
      }
    }
    return lines;
  }

  /** A constant's value: javac copies it into the caller, so a wrong one would go unnoticed at link time. */
  private static String constant(Field f) {
    int m = f.getModifiers();
    if (!Modifier.isStatic(m) || !Modifier.isFinal(m) || !(f.getType().isPrimitive() || f.getType() == String.class)) {
      return "";
    }
    try {
      Object v = f.get(null);
      return " = " + (v instanceof String text ? "\"" + text + "\"" : v);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static String kind(Class<?> type) {
    StringBuilder sb = new StringBuilder();
    if (type.isInterface()) {
      sb.append("interface");
    } else {
      sb.append(Modifier.isAbstract(type.getModifiers()) ? "abstract class" : "class");
      if (type.getGenericSuperclass() != null && type.getSuperclass() != Object.class) {
        sb.append(" extends ").append(name(type.getGenericSuperclass()));
      }
    }
    Type[] interfaces = type.getGenericInterfaces();
    if (interfaces.length > 0) {
      sb.append(type.isInterface() ? " extends " : " implements ")
          .append(Arrays.stream(interfaces).map(JcoApiSurfaceTest::name).sorted().collect(Collectors.joining(", ")));
    }
    return sb.toString();
  }

  /** Static and protected matter to callers; abstract and final of interface members do not. */
  private static String mods(int modifiers) {
    String m = (Modifier.isProtected(modifiers) ? " protected" : "") + (Modifier.isStatic(modifiers) ? " static" : "");
    return m.isEmpty() ? "" : " [" + m.strip() + "]";
  }

  private static String params(Executable e) {
    return "(" + Arrays.stream(e.getGenericParameterTypes()).map(JcoApiSurfaceTest::name)
        .collect(Collectors.joining(", ")) + ")";
  }

  private static String throwsOf(Executable e) {
    Class<?>[] thrown = e.getExceptionTypes();
    return thrown.length == 0 ? "" : " throws " + Arrays.stream(thrown).map(JcoApiSurfaceTest::name).sorted()
        .collect(Collectors.joining(", "));
  }

  /** java.lang. and com.sap.conn.jco. left out, for a list a person can read. */
  private static String name(Type type) {
    return type.getTypeName().replace("com.sap.conn.jco.", "").replaceAll("\\bjava\\.lang\\.(?=[A-Z])", "");
  }
}
