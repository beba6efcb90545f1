package io.ferry.relay.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

  private static List<List<String>> readAll(String csv) throws IOException {
    CsvReader reader = new CsvReader(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)));
    List<List<String>> rows = new ArrayList<>();
    List<String> header = reader.header();
    if (header == null) {
      return rows;
    }
    rows.add(header);
    for (List<String> r = reader.next(); r != null; r = reader.next()) {
      rows.add(r);
    }
    return rows;
  }

  @Test
  void readsRfc4180QuotingWithDelimitersQuotesAndLineBreaksInCells() throws IOException {
    assertThat(readAll("a,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\nplain,,end\r\n")).containsExactly(
        List.of("a", "b", "c"), List.of("x,1", "say \"hi\"", "two\r\nlines"), List.of("plain", "", "end"));
  }

  @Test
  void takesSemicolonsWhenTheHeaderUsesThemMoreThanCommas() throws IOException {
    CsvReader reader = new CsvReader(new ByteArrayInputStream("name;\"city, town\";zip\nA, B;C;1\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(reader.header()).containsExactly("name", "city, town", "zip");
    assertThat(reader.delimiter()).isEqualTo(';');
    assertThat(reader.next()).containsExactly("A, B", "C", "1");
  }

  @Test
  void skipsAByteOrderMarkAndBlankLinesAndTakesLfCrlfAndCrLineEnds() throws IOException {
    assertThat(readAll("\uFEFFa,b\n\n1,2\r\n\r\n3,4\r5,6")).containsExactly(
        List.of("a", "b"), List.of("1", "2"), List.of("3", "4"), List.of("5", "6"));
  }

  @Test
  void aTrailingDelimiterIsAnEmptyLastCellAndAQuoteInsideAnUnquotedCellIsKept() throws IOException {
    assertThat(readAll("a,b\n1,\n5\" disk,x\n")).containsExactly(List.of("a", "b"), List.of("1", ""),
        List.of("5\" disk", "x"));
  }

  @Test
  void anEmptyBodyHasNoHeader() throws IOException {
    assertThat(readAll("")).isEmpty();
    assertThat(readAll("\uFEFF\r\n\r\n")).isEmpty();
  }

  @Test
  void recordLinesCountLineBreaksInsideQuotedCells() throws IOException {
    CsvReader reader = new CsvReader(new ByteArrayInputStream("a\n\"1\n2\"\n3\n".getBytes(StandardCharsets.UTF_8)));
    reader.header();
    reader.next();
    assertThat(reader.recordLine()).isEqualTo(2);
    reader.next();
    assertThat(reader.recordLine()).isEqualTo(4);
  }

  @Test
  void anUnclosedQuoteNamesTheLineItStartsOn() {
    assertThatThrownBy(() -> readAll("a,b\n1,2\n\"3,4\n5,6\n"))
        .isInstanceOf(BatchRefused.class)
        .hasMessageContaining("line 3").hasMessageContaining("not closed")
        .extracting(e -> ((BatchRefused) e).kind()).isEqualTo(BatchRefused.Kind.MALFORMED_CSV);
  }

  @Test
  void aCharacterAfterAClosingQuoteIsRefusedWithItsLine() {
    assertThatThrownBy(() -> readAll("a,b\n\"1\"x,2\n"))
        .isInstanceOf(BatchRefused.class).hasMessageContaining("line 2").hasMessageContaining("'x'");
  }

  @Test
  void aRecordLongerThanTheCapIsRefused() {
    String huge = "a\n\"" + "x".repeat(CsvReader.MAX_RECORD_CHARS + 1) + "\"\n";
    assertThatThrownBy(() -> readAll(huge)).isInstanceOf(BatchRefused.class).hasMessageContaining("longer than");
  }
}
