package io.ferry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The agent process is measured as the launcher starts it, and its live heap is read whatever its collector; a
 * process's JIT compile time (how long a warm-up goes on) is read from its counters.
 */
class AgentFootprintTest {

  @Test
  void theAgentProcessGetsTheLaunchersDefaultJvmOptions() throws Exception {
    Matcher m = Pattern.compile("(?m)^agent_defaults=\"([^\"]*)\"$")
        .matcher(Files.readString(Path.of("../install/bin/ferry")));
    assertThat(m.find()).as("agent_defaults=\"…\" in install/bin/ferry").isTrue();
    assertThat(AgentFootprint.LAUNCHER_DEFAULTS).isEqualTo(m.group(1));
    assertThat(Files.readString(Path.of("../install/bin/ferry")))
        .contains("cds_opts=\"" + AgentFootprint.LAUNCHER_CDS + "\"");
  }

  @Test
  void compileTimeIsReadFromTheJvmsCounters() {
    String counters = """
        java.ci.totalTime=2487480534
        sun.ci.osrTime=105527190
        sun.os.hrt.frequency=1000000000
        """;
    assertThat(Resources.compileMillis(counters)).hasValue(2487);
    assertThat(Resources.compileMillis("sun.os.hrt.frequency=1000000000\n")).isEmpty();
  }

  @Test
  void thisJvmsCompileTimeIsReadAsAnotherProcessWouldBe() {
    long pid = ProcessHandle.current().pid();
    var own = Resources.ownCompileMillis();
    var read = Resources.compileMillis(pid);
    org.junit.jupiter.api.Assumptions.assumeTrue(own.isPresent() && read.isPresent(),
        "this JVM keeps no compile time, or no jcmd beside it");
    assertThat(read.getAsLong()).isGreaterThan(0);
  }

  @Test
  void usedHeapReadsG1AndTheSerialCollectorsGenerations() {
    String g1 = """
        13968:
        garbage-first heap   total reserved 65536K, committed 65536K, used 12277K [0x00000000fc000000, 0x0000000100000000)
         region size 1024K, 10 young (10240K), 2 survivors (2048K)
         Metaspace       used 1234K, committed 1344K, reserved 1114112K
        """;
    String serial = """
        12899:
        DefNew     total 19648K, used 7753K [0x00000000fc000000, 0x00000000fd550000, 0x00000000fd550000)
         eden space 17472K,  31% used [0x00000000fc000000, 0x00000000fc572608, 0x00000000fd110000)
        Tenured    total 43712K, used 2338K [0x00000000fd550000, 0x0000000100000000, 0x0000000100000000)
         the  space 43712K,   5% used [0x00000000fd550000, 0x00000000fd798b18, 0x0000000100000000)
         Metaspace       used 1234K, committed 1344K, reserved 1114112K
        """;
    assertThat(Resources.usedHeap(g1)).hasValue(12277L * 1024);
    assertThat(Resources.usedHeap(serial)).hasValue((7753L + 2338) * 1024);
    assertThat(Resources.usedHeap("12899:\nsomething else\n")).isEmpty();
  }
}
