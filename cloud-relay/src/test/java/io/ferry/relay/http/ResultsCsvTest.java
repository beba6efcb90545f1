package io.ferry.relay.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The results CSV's cells: RFC 4180 quoting, and OWASP's rule against formula injection. */
class ResultsCsvTest {

  private static String row(String externalId) {
    StringBuilder out = new StringBuilder();
    ResultsCsv.row(new BatchHandlers.RecordResult(1, "FAILED", externalId, null, null, null, null, null, null), out);
    return out.toString();
  }

  @Test
  void aCellThatASpreadsheetWouldEvaluateGetsALeadingQuoteAndIsQuoted() {
    assertThat(row("=2+2")).isEqualTo("1,FAILED,\"'=2+2\",,,,,,,,\r\n");
    assertThat(row("+49 6227 7")).isEqualTo("1,FAILED,\"'+49 6227 7\",,,,,,,,\r\n");
    assertThat(row("-1")).isEqualTo("1,FAILED,\"'-1\",,,,,,,,\r\n");
    assertThat(row("@SUM(A1)")).isEqualTo("1,FAILED,\"'@SUM(A1)\",,,,,,,,\r\n");
    assertThat(row("\t=1")).isEqualTo("1,FAILED,\"'\t=1\",,,,,,,,\r\n");
    assertThat(row("\r=1")).isEqualTo("1,FAILED,\"'\r=1\",,,,,,,,\r\n");
    assertThat(row("\0=1")).isEqualTo("1,FAILED,\"'\0=1\",,,,,,,,\r\n");
    assertThat(row("=HYPERLINK(\"x\")")).isEqualTo("1,FAILED,\"'=HYPERLINK(\"\"x\"\")\",,,,,,,,\r\n");
  }

  @Test
  void otherCellsAreWrittenAsTheyAre() {
    assertThat(row("CRM-4711")).isEqualTo("1,FAILED,CRM-4711,,,,,,,,\r\n");
    assertThat(row("a=b")).isEqualTo("1,FAILED,a=b,,,,,,,,\r\n");
    assertThat(row("a,b")).isEqualTo("1,FAILED,\"a,b\",,,,,,,,\r\n");
    assertThat(row("")).isEqualTo("1,FAILED,,,,,,,,,\r\n");
  }
}
