package io.ferry.relay.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The batch CSV reader takes whatever an engine uploads. Anything written by the RFC 4180 rules reads
 * back cell for cell; any bytes at all end in records or in the documented refusal, never in another
 * exception or a hang.
 */
class CsvReaderPropertiesTest {

  private static final List<String> HEADER = List.of("externalId", "name", "city");

  @Property(tries = 300)
  void quotedCellsReadBackExactly(@ForAll("rows") List<List<String>> rows, @ForAll boolean crlf) throws IOException {
    String newline = crlf ? "\r\n" : "\n";
    StringBuilder csv = new StringBuilder(String.join(",", HEADER)).append(newline);
    for (List<String> row : rows) {
      csv.append(String.join(",", row.stream().map(c -> "\"" + c.replace("\"", "\"\"") + "\"").toList())).append(newline);
    }
    CsvReader reader = new CsvReader(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)));

    assertThat(reader.header()).isEqualTo(HEADER);
    List<List<String>> read = new ArrayList<>();
    for (List<String> r; (r = reader.next()) != null; ) {
      read.add(r);
    }
    assertThat(read).isEqualTo(rows);
  }

  @Property(tries = 500)
  void anyBytesEndInRecordsOrTheDocumentedRefusal(@ForAll @Size(max = 300) byte[] body) {
    CsvReader reader = new CsvReader(new ByteArrayInputStream(body));
    try {
      if (reader.header() != null) {
        int records = 0;
        while (reader.next() != null) {
          records++;
          assertThat(records).as("records are bounded by the input").isLessThanOrEqualTo(body.length + 1);
        }
      }
    } catch (BatchRefused refused) {
      assertThat(refused.getMessage()).isNotBlank();
    } catch (IOException notUtf8) {
      // a body that is not UTF-8: the intake maps this to the same malformed-CSV problem
    }
  }

  @Provide
  Arbitrary<List<List<String>>> rows() {
    Arbitrary<String> cell = Arbitraries.strings()
        .withChars("abcXYZ019 ,;\"\r\n\täöü€")
        .ofMaxLength(12);
    return cell.list().ofSize(3).list().ofMinSize(1).ofMaxSize(8);
  }
}
