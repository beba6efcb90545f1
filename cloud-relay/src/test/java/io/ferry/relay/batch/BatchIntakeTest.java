package io.ferry.relay.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.protocol.Problem.FieldError;
import io.ferry.relay.store.BatchRecord;
import io.ferry.relay.store.RecordState;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The intake streams: records reach the store in chunks of at most {@link BatchIntake#CHUNK} while the body
 * is still being read, so the relay never holds a whole batch. Checked by structure (what the sink is
 * handed, and how much of the body had been read by then), not by timing or heap size.
 */
class BatchIntakeTest {

  static final String HEADER = "externalId,name,street,postalCode,city,country,language,currency,"
      + "salesOrganization,distributionChannel,division\n";

  static String csvRow(int i) {
    return "CRM-" + i + ",Muster " + i + " GmbH,Hauptstrasse,69190,Walldorf,DE,de,EUR,1000,10,00\n";
  }

  static String jsonElement(int i) {
    return (i == 1 ? "[" : ",") + "{\"externalId\":\"CRM-" + i + "\",\"name\":\"Muster " + i + "\",\"street\":\"Hauptstrasse\","
        + "\"postalCode\":\"69190\",\"city\":\"Walldorf\",\"country\":\"DE\",\"language\":\"de\",\"currency\":\"EUR\","
        + "\"salesArea\":{\"salesOrganization\":\"1000\",\"distributionChannel\":\"10\",\"division\":\"00\"}}";
  }

  /** A body made row by row as it is read, counting what was read: no test holds the whole body either. */
  static final class GeneratedBody extends InputStream {
    private final int rows;
    private final String head;
    private final String tail;
    private final IntFunction<String> row;
    private byte[] current;
    private int position;
    private int next;
    long read;

    GeneratedBody(int rows, String head, IntFunction<String> row, String tail) {
      this.rows = rows;
      this.head = head;
      this.row = row;
      this.tail = tail;
      this.current = head.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      while (position == current.length) {
        if (next > rows) {
          return -1;
        }
        next++;
        current = (next <= rows ? row.apply(next) : tail).getBytes(StandardCharsets.UTF_8);
        position = 0;
      }
      int n = Math.min(len, current.length - position);
      System.arraycopy(current, position, b, off, n);
      position += n;
      read += n;
      return n;
    }

    long total() {
      long sum = head.length() + tail.length();
      for (int i = 1; i <= rows; i++) {
        sum += row.apply(i).length();
      }
      return sum;
    }
  }

  /** What the sink was handed: sizes, index ranges and how much of the body had been read by then; no records kept. */
  static final class Sink implements java.util.function.Consumer<List<BatchRecord>> {
    final List<Integer> sizes = new ArrayList<>();
    final List<Long> readWhenHanded = new ArrayList<>();
    int lastIndex;
    private final GeneratedBody body;

    Sink(GeneratedBody body) {
      this.body = body;
    }

    @Override
    public void accept(List<BatchRecord> chunk) {
      sizes.add(chunk.size());
      readWhenHanded.add(body == null ? 0 : body.read);
      for (BatchRecord r : chunk) {
        assertThat(r.recordIndex()).isEqualTo(++lastIndex);
      }
    }
  }

  private static BatchIntake.Options insert(ErrorHandling errors) {
    return new BatchIntake.Options(BatchMode.INSERT, errors, FieldMapping.none());
  }

  private static String problem(List<FieldError> errors) {
    return "{\"errors\":" + errors.size() + "}";
  }

  @Test
  void tenThousandCsvRowsReachTheStoreInBoundedChunksWhileTheBodyIsStillBeingRead() {
    GeneratedBody body = new GeneratedBody(10_000, HEADER, BatchIntakeTest::csvRow, "");
    Sink sink = new Sink(body);

    BatchIntake.Outcome outcome = BatchIntake.read(body, BatchIntake.Format.CSV, insert(ErrorHandling.CONTINUE),
        BatchIntakeTest::problem, sink);

    assertThat(outcome.total()).isEqualTo(10_000);
    assertThat(outcome.valid()).isEqualTo(10_000);
    assertThat(sink.sizes).allMatch(n -> n <= BatchIntake.CHUNK).hasSize(10_000 / BatchIntake.CHUNK);
    assertThat(sink.lastIndex).isEqualTo(10_000);
    // The first chunk was stored when only a small part of the body had been read.
    assertThat(sink.readWhenHanded.get(0)).isLessThan(body.total() / 10);
    assertThat(sink.readWhenHanded).isSorted();
  }

  @Test
  void tenThousandJsonElementsReachTheStoreInBoundedChunksWhileTheBodyIsStillBeingRead() {
    GeneratedBody body = new GeneratedBody(10_000, "", BatchIntakeTest::jsonElement, "]");
    Sink sink = new Sink(body);

    BatchIntake.Outcome outcome = BatchIntake.read(body, BatchIntake.Format.JSON, insert(ErrorHandling.CONTINUE),
        BatchIntakeTest::problem, sink);

    assertThat(outcome.total()).isEqualTo(10_000);
    assertThat(sink.sizes).allMatch(n -> n <= BatchIntake.CHUNK).hasSize(10_000 / BatchIntake.CHUNK);
    assertThat(sink.readWhenHanded.get(0)).isLessThan(body.total() / 10);
  }

  @Test
  void anInvalidRecordIsStoredFailedWithItsProblemInContinueMode() {
    String csv = HEADER + csvRow(1) + csvRow(2).replace(",DE,", ",XX,") + csvRow(3);
    List<BatchRecord> stored = new ArrayList<>();

    BatchIntake.Outcome outcome = BatchIntake.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
        BatchIntake.Format.CSV, insert(ErrorHandling.CONTINUE), BatchIntakeTest::problem, stored::addAll);

    assertThat(outcome.invalid()).isEqualTo(1);
    assertThat(stored).extracting(BatchRecord::state).containsExactly(RecordState.PENDING, RecordState.FAILED,
        RecordState.PENDING);
    assertThat(stored.get(1).externalId()).isEqualTo("CRM-2");
    assertThat(stored.get(1).problemJson()).isEqualTo("{\"errors\":1}");
    assertThat(stored.get(1).requestJson()).isNull();
    assertThat(stored.get(0).requestJson()).contains("\"externalId\":\"CRM-1\"");
  }

  @Test
  void stopModeStoresNothingAfterTheFirstInvalidRecordAndRefusesTheBatchNamingEachOne() {
    GeneratedBody body = new GeneratedBody(2_000, HEADER,
        i -> i == 700 || i == 1500 ? csvRow(i).replace("EUR", "EURO") : csvRow(i), "");
    Sink sink = new Sink(body);

    assertThatThrownBy(() -> BatchIntake.read(body, BatchIntake.Format.CSV, insert(ErrorHandling.STOP),
        BatchIntakeTest::problem, sink))
        .isInstanceOfSatisfying(BatchRefused.class, e -> {
          assertThat(e.kind()).isEqualTo(BatchRefused.Kind.INVALID_BATCH);
          assertThat(e.detail()).startsWith("2 of 2000 records are invalid");
          assertThat(e.errors()).extracting(FieldError::field).containsExactly("records[700].currency",
              "records[1500].currency");
        });
    assertThat(sink.lastIndex).as("only chunks before the first invalid record were handed on").isEqualTo(500);
  }

  @Test
  void aBodyWithoutRecordsIsRefused() {
    for (String body : new String[] {"", HEADER, "[]"}) {
      BatchIntake.Format format = body.startsWith("[") ? BatchIntake.Format.JSON : BatchIntake.Format.CSV;
      assertThatThrownBy(() -> BatchIntake.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)),
          format, insert(ErrorHandling.CONTINUE), BatchIntakeTest::problem, chunk -> { }))
          .as("'" + body + "'").isInstanceOf(BatchRefused.class);
    }
  }
}
