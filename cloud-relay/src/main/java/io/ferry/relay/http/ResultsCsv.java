package io.ferry.relay.http;

import io.ferry.protocol.Problem;
import io.ferry.protocol.Problem.FieldError;
import io.ferry.protocol.SapMessage;
import io.ferry.relay.store.BatchRecord;
import io.ferry.relay.store.BatchStore;
import io.ferry.relay.store.RecordState;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A batch's results as CSV (RFC 4180, UTF-8, CRLF), read from the store a page at a time while the
 * answer is written: all rows, however many, and never more than one page in memory. Cells a spreadsheet
 * would run as a formula are neutralised ({@link #looksLikeAFormula}): the file goes to people who open it in
 * Excel.
 */
final class ResultsCsv extends InputStream {

  static final String HEADER = "recordIndex,outcome,externalId,customerNumber,effect,operationId,status,code,detail,"
      + "errors,sapMessages";
  private static final int PAGE = 1000;

  private final BatchStore batches;
  private final String batchId;
  private final RecordState only;
  private final Function<BatchRecord, BatchHandlers.RecordResult> results;
  private byte[] chunk;
  private int position;
  private int after;
  private boolean last;

  ResultsCsv(BatchStore batches, String batchId, RecordState only,
      Function<BatchRecord, BatchHandlers.RecordResult> results) {
    this.batches = batches;
    this.batchId = batchId;
    this.only = only;
    this.results = results;
    this.chunk = (HEADER + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public int read() {
    if (!fill()) {
      return -1;
    }
    return chunk[position++] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) {
    if (length == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(length, chunk.length - position);
    System.arraycopy(chunk, position, buffer, offset, n);
    position += n;
    return n;
  }

  /** Makes sure unread bytes are there, reading the next page when the last is used up; false at the end. */
  private boolean fill() {
    while (position == chunk.length) {
      if (last) {
        return false;
      }
      List<BatchRecord> page = batches.records(batchId, after, only, PAGE);
      last = page.size() < PAGE;
      StringBuilder rows = new StringBuilder();
      for (BatchRecord r : page) {
        row(results.apply(r), rows);
        after = r.recordIndex();
      }
      chunk = rows.toString().getBytes(StandardCharsets.UTF_8);
      position = 0;
    }
    return true;
  }

  static void row(BatchHandlers.RecordResult r, StringBuilder out) {
    Problem p = r.problem();
    cells(out, Integer.toString(r.recordIndex()), r.outcome(), r.externalId(), r.customerNumber(), r.effect(),
        r.operationId(),
        p == null ? null : Integer.toString(p.status()),
        p == null ? null : p.code(),
        p == null ? null : p.detail(),
        p == null ? null : p.errors().stream().map(ResultsCsv::fieldError).collect(Collectors.joining("; ")),
        p == null ? null : p.sapMessages().stream().map(ResultsCsv::sapMessage).collect(Collectors.joining("; ")));
  }

  private static String fieldError(FieldError e) {
    return e.field() == null || e.field().isEmpty() ? e.message() : e.field() + ": " + e.message();
  }

  private static String sapMessage(SapMessage m) {
    return String.join(" ", java.util.stream.Stream.of(m.type(), m.id(), m.number(), m.message())
        .filter(s -> s != null && !s.isEmpty()).toList());
  }

  private static void cells(StringBuilder out, String... values) {
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      String v = values[i];
      if (v == null) {
        continue;
      }
      boolean formula = looksLikeAFormula(v);
      String cell = formula ? "'" + v : v;
      if (formula || v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
        out.append('"').append(cell.replace("\"", "\"\"")).append('"');
      } else {
        out.append(cell);
      }
    }
    out.append("\r\n");
  }

  /**
   * Whether a spreadsheet could take {@code value} for a formula. OWASP's rule against CSV (formula) injection:
   * a cell starting with {@code =}, {@code +}, {@code -}, {@code @}, TAB or CR — and NUL, which ASVS 5.0
   * (V1.2.10) adds — is written with a leading {@code '} and in quotes, so Excel, Calc and Sheets show it as text
   * instead of evaluating it ({@code =2+2}, {@code =HYPERLINK(…)}, {@code @SUM(…)}). Such a value can come from
   * an engine (an invalid record keeps the external id it was sent with, whatever it is) or from SAP's messages.
   */
  static boolean looksLikeAFormula(String value) {
    if (value.isEmpty()) {
      return false;
    }
    return switch (value.charAt(0)) {
      case '=', '+', '-', '@', '\t', '\r', '\0' -> true;
      default -> false;
    };
  }
}
