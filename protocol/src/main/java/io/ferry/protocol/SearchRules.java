package io.ferry.protocol;

import io.ferry.protocol.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules of a customer list ({@code GET /v1/customers?search=…&top=…&cursor=…}): checked by the
 * relay before a job exists, relied on by the agent.
 *
 * <ul>
 *   <li>{@code search} is optional. Absent or blank: every customer, page by page. Otherwise, without its
 *       surrounding spaces (and other invisible characters) and in Unicode normalisation form C,
 *       {@value #MIN_TEXT} to {@value #MAX_TEXT} characters (a name is at most 35); one character would match
 *       nearly every customer. Control characters and unpaired surrogates are refused as in a customer's
 *       fields ({@link TextRules}).
 *   <li>{@code top}: a whole number from 1 to {@value #MAX_TOP}; absent: {@value #DEFAULT_TOP}.
 *   <li>{@code cursor}: where the previous page ended, exactly as the previous answer's {@code nextLink}
 *       carries it. Opaque to engines; up to {@value #MAX_CURSOR} URL-safe characters.
 * </ul>
 */
public final class SearchRules {

  public static final int DEFAULT_TOP = 50;
  public static final int MAX_TOP = 200;
  public static final int MIN_TEXT = 2;
  public static final int MAX_TEXT = 35;
  public static final int MAX_CURSOR = 64;

  /** RFC 3986's unreserved characters: a cursor goes into a URL as it is. */
  private static final Pattern CURSOR = Pattern.compile("[A-Za-z0-9._~-]{1," + MAX_CURSOR + "}");

  private SearchRules() {}

  /** Problems with the query parameters as the engine sent them (each may be null); empty when valid. */
  public static List<FieldError> check(String search, String top, String cursor) {
    List<FieldError> errors = new ArrayList<>();
    Optional<String> unfit = search == null ? Optional.empty() : TextRules.problem(search);
    if (unfit.isPresent()) {
      errors.add(new FieldError("search", unfit.get()));
    } else if (search != null && !TextRules.isBlank(search)) {
      String text = text(search);
      if (text.length() < MIN_TEXT) {
        errors.add(new FieldError("search", "must be at least " + MIN_TEXT + " characters (or left out to list every "
            + "customer), was '" + text + "'"));
      } else if (text.length() > MAX_TEXT) {
        errors.add(new FieldError("search", "must be at most " + MAX_TEXT + " characters (the length of a name in SAP), was "
            + text.length()));
      }
    }
    if (top != null) {
      Integer n = parseTop(top);
      if (n == null || n < 1 || n > MAX_TOP) {
        errors.add(new FieldError("top", "must be a whole number from 1 to " + MAX_TOP + ", was '" + top + "'"));
      }
    }
    if (cursor != null && !CURSOR.matcher(cursor).matches()) {
      errors.add(new FieldError("cursor", "is not a cursor Ferry made: follow the nextLink of the previous page as it is"));
    }
    return errors;
  }

  /** The query the relay hands to the agent; call after {@link #check} found nothing. */
  public static SearchQuery query(String search, String top, String cursor) {
    String text = search == null || TextRules.isBlank(search) ? null : text(search);
    Integer n = top == null ? Integer.valueOf(DEFAULT_TOP) : parseTop(top);
    return new SearchQuery(text, n, cursor);
  }

  /** The text searched for: without invisible characters around it, in NFC (as {@link Customer} keeps names). */
  private static String text(String search) {
    return TextRules.nfc(TextRules.strip(search));
  }

  private static Integer parseTop(String top) {
    if (top.isEmpty() || top.length() > 4 || !top.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    return Integer.valueOf(top);
  }
}
