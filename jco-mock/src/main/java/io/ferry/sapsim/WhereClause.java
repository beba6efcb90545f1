package io.ferry.sapsim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The WHERE clause of RFC_READ_TABLE's OPTIONS, parsed for one table: comparisons {@code FIELD op 'literal'}
 * with op one of {@code EQ = NE <> GT > LT < GE >= LE <= LIKE}, joined by {@code AND}, {@code OR}, {@code NOT}
 * and parentheses, as Open SQL reads them (AND binds tighter than OR). The OPTIONS rows are joined with a
 * blank, so a token must not be split across two rows. Anything else, including a column the table does
 * not have, is {@link Invalid}: the function answers it with OPTION_NOT_VALID, as SAP's dynamic SELECT
 * fails on it.
 */
final class WhereClause {

  /** The clause cannot be read, or names a column the table does not have. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  private final DbTable table;
  private final List<String> tokens;
  private int pos;

  private WhereClause(DbTable table, List<String> tokens) {
    this.table = table;
    this.tokens = tokens;
  }

  /** The rows' filter; every row passes an empty clause. */
  static Predicate<Map<String, String>> parse(String text, DbTable table) throws Invalid {
    List<String> tokens = tokenize(text);
    if (tokens.isEmpty()) {
      return row -> true;
    }
    WhereClause w = new WhereClause(table, tokens);
    Predicate<Map<String, String>> p = w.or();
    if (w.pos != tokens.size()) {
      throw new Invalid("Unexpected '" + tokens.get(w.pos) + "'");
    }
    return p;
  }

  private static List<String> tokenize(String text) throws Invalid {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '\'') {
        StringBuilder lit = new StringBuilder("'");
        i++;
        while (true) {
          if (i >= text.length()) {
            throw new Invalid("Literal not closed");
          }
          if (text.charAt(i) == '\'') {
            if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
              lit.append('\'');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          lit.append(text.charAt(i++));
        }
        out.add(lit.toString());
      } else if (c == '(' || c == ')') {
        out.add(String.valueOf(c));
        i++;
      } else if ("<>=".indexOf(c) >= 0) {
        int j = i + 1;
        while (j < text.length() && "<>=".indexOf(text.charAt(j)) >= 0) {
          j++;
        }
        out.add(text.substring(i, j));
        i = j;
      } else {
        int j = i;
        while (j < text.length() && !Character.isWhitespace(text.charAt(j)) && "()'<>=".indexOf(text.charAt(j)) < 0) {
          j++;
        }
        out.add(text.substring(i, j));
        i = j;
      }
    }
    return out;
  }

  private String peek() {
    return pos < tokens.size() ? tokens.get(pos) : null;
  }

  private boolean keyword(String k) {
    String t = peek();
    if (t != null && !t.startsWith("'") && t.equalsIgnoreCase(k)) {
      pos++;
      return true;
    }
    return false;
  }

  private String next(String expected) throws Invalid {
    String t = peek();
    if (t == null) {
      throw new Invalid("Clause ends where " + expected + " is expected");
    }
    pos++;
    return t;
  }

  private Predicate<Map<String, String>> or() throws Invalid {
    Predicate<Map<String, String>> p = and();
    while (keyword("OR")) {
      p = p.or(and());
    }
    return p;
  }

  private Predicate<Map<String, String>> and() throws Invalid {
    Predicate<Map<String, String>> p = factor();
    while (keyword("AND")) {
      p = p.and(factor());
    }
    return p;
  }

  private Predicate<Map<String, String>> factor() throws Invalid {
    if (keyword("NOT")) {
      return factor().negate();
    }
    if ("(".equals(peek())) {
      pos++;
      Predicate<Map<String, String>> p = or();
      if (!")".equals(next("')'"))) {
        throw new Invalid("')' expected");
      }
      return p;
    }
    return comparison();
  }

  private Predicate<Map<String, String>> comparison() throws Invalid {
    String field = next("a field name");
    DbTable.Column col = table.column(field.toUpperCase(Locale.ROOT));
    if (col == null) {
      throw new Invalid("Unknown column name '" + field + "' in table " + table.name());
    }
    String op = next("an operator").toUpperCase(Locale.ROOT);
    String literal = literal(next("a value"), col);
    return switch (op) {
      case "EQ", "=" -> row -> col.compare(value(row, col), literal) == 0;
      case "NE", "<>", "><" -> row -> col.compare(value(row, col), literal) != 0;
      case "GT", ">" -> row -> col.compare(value(row, col), literal) > 0;
      case "LT", "<" -> row -> col.compare(value(row, col), literal) < 0;
      case "GE", ">=", "=>" -> row -> col.compare(value(row, col), literal) >= 0;
      case "LE", "<=", "=<" -> row -> col.compare(value(row, col), literal) <= 0;
      case "LIKE" -> {
        Pattern pattern = like(literal);
        yield row -> pattern.matcher(value(row, col).stripTrailing()).matches();
      }
      default -> throw new Invalid("Operator '" + op + "' is not supported");
    };
  }

  private static String value(Map<String, String> row, DbTable.Column col) {
    return row.getOrDefault(col.name(), "");
  }

  /** A quoted literal, or a bare number for a numeric column. */
  private static String literal(String token, DbTable.Column col) throws Invalid {
    if (token.startsWith("'")) {
      String v = token.substring(1);
      if (col.numeric()) {
        try {
          new java.math.BigDecimal(v.isBlank() ? "0" : v.strip());
        } catch (NumberFormatException e) {
          throw new Invalid("'" + v + "' is not a number for " + col.name());
        }
      }
      return v;
    }
    if (token.matches("-?[0-9]+(\\.[0-9]+)?")) {
      return token;
    }
    throw new Invalid("A value is expected, found '" + token + "'");
  }

  /** Open SQL's LIKE: {@code %} any characters, {@code _} one. */
  private static Pattern like(String literal) {
    StringBuilder re = new StringBuilder();
    for (char c : literal.stripTrailing().toCharArray()) {
      switch (c) {
        case '%' -> re.append(".*");
        case '_' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
