package io.ferry.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceParentTest {

  private static final String W3C_EXAMPLE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void theSpecsExampleParsesAndPrintsUnchanged() {
    TraceParent t = TraceParent.parse(W3C_EXAMPLE).orElseThrow();
    assertThat(t.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(t.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(t.flags()).isEqualTo("01");
    assertThat(t).hasToString(W3C_EXAMPLE);
    assertThat(TraceParent.parse("  " + W3C_EXAMPLE + " ")).contains(t);
  }

  @Test
  void invalidValuesAreIgnoredSoTheReceiverStartsATrace() {
    assertThat(TraceParent.parse(null)).isEmpty();
    assertThat(TraceParent.parse("")).isEmpty();
    assertThat(TraceParent.parse(W3C_EXAMPLE.toUpperCase())).isEmpty();
    assertThat(TraceParent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")).isEmpty();
    assertThat(TraceParent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01")).isEmpty();
    assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")).isEmpty();
    assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")).isEmpty();
  }

  @Test
  void aChildKeepsTraceAndFlagsWithANewSpan() {
    TraceParent parent = TraceParent.parse(W3C_EXAMPLE).orElseThrow();
    TraceParent child = parent.child();
    assertThat(child.traceId()).isEqualTo(parent.traceId());
    assertThat(child.flags()).isEqualTo(parent.flags());
    assertThat(child.spanId()).isNotEqualTo(parent.spanId()).matches("[0-9a-f]{16}");
    assertThat(TraceParent.parse(child.toString())).contains(child);
  }

  @Test
  void aNewTraceIsValidAndSampled() {
    TraceParent t = TraceParent.random();
    assertThat(t.toString()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(TraceParent.random().traceId()).isNotEqualTo(t.traceId());
  }
}
