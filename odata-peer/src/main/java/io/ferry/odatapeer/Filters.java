package io.ferry.odatapeer;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.olingo.odata2.api.edm.EdmException;
import org.apache.olingo.odata2.api.edm.EdmLiteralKind;
import org.apache.olingo.odata2.api.edm.EdmSimpleType;
import org.apache.olingo.odata2.api.uri.expression.BinaryExpression;
import org.apache.olingo.odata2.api.uri.expression.CommonExpression;
import org.apache.olingo.odata2.api.uri.expression.FilterExpression;
import org.apache.olingo.odata2.api.uri.expression.LiteralExpression;
import org.apache.olingo.odata2.api.uri.expression.MethodExpression;
import org.apache.olingo.odata2.api.uri.expression.PropertyExpression;
import org.apache.olingo.odata2.api.uri.expression.UnaryExpression;

/**
 * Evaluates a {@code $filter} that Olingo parsed against a stored row: comparisons
 * ({@code eq ne gt ge lt le}) of properties and literals, {@code and or not}, and the string functions
 * {@code substringof startswith endswith trim length} ({@code tolower} and {@code toupper} are refused, as SAP
 * Gateway's SADL runtime refuses them). Anything else is answered
 * {@code 501}, never silently ignored. A literal compared with an ALPHA-typed property goes through the
 * input conversion first, as SAP Gateway converts the select options it builds from a {@code $filter}
 * ({@code Customer eq '100000'} finds {@code 0000100000}); the string functions get the literal as sent.
 */
final class Filters {

  private Filters() {}

  static boolean matches(FilterExpression filter, Map<String, Object> row, Alpha alpha) throws SapError {
    return Boolean.TRUE.equals(eval(filter.getExpression(), row, alpha));
  }

  /** The value of an expression ({@code $orderby} sorts by it) for a stored row. */
  static Object value(CommonExpression e, Map<String, Object> row) throws SapError {
    return eval(e, row, new Alpha(false));
  }

  private static Object eval(CommonExpression e, Map<String, Object> row, Alpha alpha) throws SapError {
    switch (e.getKind()) {
      case LITERAL -> {
        LiteralExpression literal = (LiteralExpression) e;
        try {
          EdmSimpleType type = (EdmSimpleType) literal.getEdmType();
          return type.valueOfString(literal.getUriLiteral(), EdmLiteralKind.URI, null, type.getDefaultType());
        } catch (EdmException ex) {
          throw SapError.badRequest("$filter: invalid literal " + literal.getUriLiteral());
        }
      }
      case PROPERTY -> {
        return row.get(((PropertyExpression) e).getPropertyName());
      }
      case UNARY -> {
        UnaryExpression u = (UnaryExpression) e;
        Object v = eval(u.getOperand(), row, alpha);
        return switch (u.getOperator()) {
          case NOT -> !Boolean.TRUE.equals(v);
          default -> throw SapError.notImplemented("$filter: operator " + u.getOperator() + " is not supported by the peer");
        };
      }
      case BINARY -> {
        BinaryExpression b = (BinaryExpression) e;
        Object l = eval(b.getLeftOperand(), row, alpha);
        Object r = eval(b.getRightOperand(), row, alpha);
        if (b.getRightOperand() instanceof LiteralExpression && b.getLeftOperand() instanceof PropertyExpression p) {
          r = alpha.input(p.getPropertyName(), r);
        } else if (b.getLeftOperand() instanceof LiteralExpression && b.getRightOperand() instanceof PropertyExpression p) {
          l = alpha.input(p.getPropertyName(), l);
        }
        return switch (b.getOperator()) {
          case AND -> Boolean.TRUE.equals(l) && Boolean.TRUE.equals(r);
          case OR -> Boolean.TRUE.equals(l) || Boolean.TRUE.equals(r);
          case EQ -> Objects.equals(l, r);
          case NE -> !Objects.equals(l, r);
          case GT -> compare(l, r) > 0;
          case GE -> compare(l, r) >= 0;
          case LT -> compare(l, r) < 0;
          case LE -> compare(l, r) <= 0;
          default -> throw SapError.notImplemented("$filter: operator " + b.getOperator() + " is not supported by the peer");
        };
      }
      case METHOD -> {
        MethodExpression m = (MethodExpression) e;
        List<CommonExpression> p = m.getParameters();
        Object a = p.isEmpty() ? null : eval(p.get(0), row, alpha);
        Object b = p.size() < 2 ? null : eval(p.get(1), row, alpha);
        return switch (m.getMethod()) {
          case SUBSTRINGOF -> a != null && b != null && b.toString().contains(a.toString());
          case STARTSWITH -> a != null && b != null && a.toString().startsWith(b.toString());
          case ENDSWITH -> a != null && b != null && a.toString().endsWith(b.toString());
          // SAP Gateway's SADL runtime answers toupper and tolower with an error: so does the peer, so a
          // client that relies on them fails here rather than in production.
          case TOLOWER, TOUPPER -> throw SapError.notImplemented("$filter: function " + m.getMethod()
              + " is not supported (SAP Gateway does not take it)");
          case TRIM -> a == null ? null : a.toString().strip();
          case LENGTH -> a == null ? null : a.toString().length();
          default -> throw SapError.notImplemented("$filter: function " + m.getMethod() + " is not supported by the peer");
        };
      }
      default -> throw SapError.notImplemented("$filter: " + e.getKind() + " expressions are not supported by the peer");
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compare(Object l, Object r) throws SapError {
    if (l == null || r == null) {
      return l == r ? 0 : l == null ? -1 : 1;
    }
    if (l instanceof Comparable c && l.getClass().isInstance(r)) {
      return c.compareTo(r);
    }
    throw SapError.badRequest("$filter: cannot compare " + l + " with " + r);
  }
}
