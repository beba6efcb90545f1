package io.ferry.relay.batch;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV one record at a time (RFC 4180), so a large body never sits in memory whole: UTF-8 with or
 * without a byte order mark, a header row first, {@code ,} or {@code ;} as the delimiter (whichever the
 * header row uses more often outside quotes; {@code ,} on a tie), cells in double quotes may hold
 * delimiters, line breaks and doubled quotes, records end with CRLF, LF or CR, and blank lines are
 * skipped. A quote inside an unquoted cell is taken as it is. What cannot be read is a
 * {@link BatchRefused.Kind#MALFORMED_CSV} naming the line.
 */
final class CsvReader {

  /** One record longer than this is refused: no customer needs it, and it bounds what one record may hold. */
  static final int MAX_RECORD_CHARS = 1 << 20;
  private static final int EOF = -1;
  private static final char BOM = '\uFEFF';

  private final Reader in;
  private final char[] buffer = new char[16 * 1024];
  private int position;
  private int limit;
  private char delimiter = ',';
  private int line = 1;
  private int recordLine;
  private int recordChars;
  private boolean started;
  /** The header row's raw text is read first to choose the delimiter, then parsed from here. */
  private String replay;
  private int replayPosition;

  CsvReader(InputStream body) {
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    this.in = new InputStreamReader(body, utf8);
  }

  /** The header row's cells, or null when the body holds no record at all. */
  List<String> header() throws IOException {
    if (started) {
      throw new IllegalStateException("the header is read first, once");
    }
    started = true;
    int c = read();
    if (c == BOM) {
      c = read();
    }
    c = skipBlankLines(c);
    if (c == EOF) {
      return null;
    }
    // The raw header row (quotes respected) tells the delimiter; then it is parsed like any record.
    StringBuilder raw = new StringBuilder();
    int startLine = line;
    boolean quoted = false;
    int commas = 0;
    int semicolons = 0;
    while (c != EOF && (quoted || (c != '\r' && c != '\n'))) {
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == ',') {
        commas++;
      } else if (!quoted && c == ';') {
        semicolons++;
      }
      raw.append((char) c);
      checkLength(raw.length(), startLine);
      c = read();
    }
    delimiter = semicolons > commas ? ';' : ',';
    if (c != EOF) {
      consumeBreak(c);
    }
    replay = raw.append('\n').toString();
    replayPosition = 0;
    line = startLine;
    return next();
  }

  /** The next record's cells, or null at the end of the body. */
  List<String> next() throws IOException {
    int c = skipBlankLines(read());
    if (c == EOF) {
      return null;
    }
    recordLine = line;
    recordChars = 0;
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    while (true) {
      if (c == '"') {
        int quoteLine = line;
        while (true) {
          c = read();
          if (c == EOF) {
            throw malformed("the quoted cell that starts on line " + quoteLine + " is not closed");
          }
          if (c == '"') {
            c = read();
            if (c != '"') {
              break;
            }
          } else if (c == '\n' || (c == '\r' && peek() != '\n')) {
            line++;
          }
          append(cell, c);
        }
        if (c != delimiter && c != '\r' && c != '\n' && c != EOF) {
          throw malformed("line " + line + " has '" + (char) c + "' right after the closing quote of a cell; "
              + "a quoted cell must end at a delimiter ('" + delimiter + "') or the end of the line");
        }
      } else {
        while (c != delimiter && c != '\r' && c != '\n' && c != EOF) {
          append(cell, c);
          c = read();
        }
      }
      cells.add(cell.toString());
      cell.setLength(0);
      if (c == delimiter) {
        c = read();
        continue;
      }
      if (c != EOF) {
        consumeBreak(c);
      }
      return cells;
    }
  }

  /** The line the last record returned by {@link #next()} started on (1 is the header row). */
  int recordLine() {
    return recordLine;
  }

  char delimiter() {
    return delimiter;
  }

  private void append(StringBuilder cell, int c) {
    cell.append((char) c);
    checkLength(++recordChars, recordLine);
  }

  private static void checkLength(int chars, int startLine) {
    if (chars > MAX_RECORD_CHARS) {
      throw new BatchRefused(BatchRefused.Kind.MALFORMED_CSV, "the record that starts on line " + startLine
          + " is longer than " + MAX_RECORD_CHARS + " characters; is a quote not closed?");
    }
  }

  private int skipBlankLines(int first) throws IOException {
    int c = first;
    while (c == '\r' || c == '\n') {
      consumeBreak(c);
      c = read();
    }
    return c;
  }

  /** Consumes the line break that starts with {@code c} (CRLF counts once). */
  private void consumeBreak(int c) throws IOException {
    if (c == '\r' && peek() == '\n') {
      read();
    }
    line++;
  }

  private int peek() throws IOException {
    int c = read();
    if (c != EOF) {
      unread();
    }
    return c;
  }

  private int read() throws IOException {
    if (replay != null) {
      if (replayPosition < replay.length()) {
        return replay.charAt(replayPosition++);
      }
      replay = null;
    }
    if (position == limit) {
      limit = in.read(buffer, 0, buffer.length);
      position = 0;
      if (limit <= 0) {
        limit = 0;
        return EOF;
      }
    }
    return buffer[position++];
  }

  private void unread() {
    if (replay != null && replayPosition > 0) {
      replayPosition--;
    } else {
      position--;
    }
  }

  private BatchRefused malformed(String detail) {
    return new BatchRefused(BatchRefused.Kind.MALFORMED_CSV, "the body is not valid CSV (RFC 4180): " + detail);
  }
}
