package io.ferry.protocol;

import java.text.Normalizer;
import java.util.Optional;

/**
 * What free text from an engine may hold before it goes to SAP, shared by the customer fields and the
 * search text.
 *
 * <ul>
 *   <li>Refused: control characters (Unicode category Cc: NUL, TAB, CR, LF, ESC, DEL, the C1 controls),
 *       the line and paragraph separators U+2028/U+2029 (line breaks by another name), noncharacters
 *       (U+FDD0–U+FDEF and every U+xxFFFE/U+xxFFFF), and surrogates that do not form a pair. SAP stores
 *       such characters as they come (or, an unpaired surrogate, as {@code ?}); a customer's name is one
 *       line of printable text.
 *   <li>Blank: nothing left once white space, space separators (Zs, NBSP included), format characters
 *       (Cf: zero-width space, joiners, the byte order mark, bidi marks) and Unicode's other
 *       default-ignorable code points (Hangul fillers, variation selectors, the combining grapheme joiner)
 *       are taken away. Such a value looks empty in SAP, so it does not count as present.
 *   <li>Normalised: text is compared, measured and sent in Unicode normalisation form C, so {@code ü} is one
 *       character whether the engine sent it precomposed or as {@code u} plus a combining diaeresis.
 * </ul>
 */
public final class TextRules {

  private TextRules() {}

  /** {@code text} in normalisation form C (the same string when it already is). */
  public static String nfc(String text) {
    if (text == null || Normalizer.isNormalized(text, Normalizer.Form.NFC)) {
      return text;
    }
    return Normalizer.normalize(text, Normalizer.Form.NFC);
  }

  /**
   * Why {@code text} is refused, naming the first offending character by its code point and position (the
   * character itself is not repeated: it may not survive the answer's JSON); empty when it may be stored.
   */
  public static Optional<String> problem(String text) {
    int position = 0;
    for (int i = 0; i < text.length(); ) {
      char c = text.charAt(i);
      position++;
      int cp;
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        cp = Character.toCodePoint(c, text.charAt(i + 1));
        i += 2;
      } else if (Character.isSurrogate(c)) {
        return Optional.of("must be well-formed Unicode: an unpaired surrogate " + codePoint(c) + " is character "
            + position);
      } else {
        cp = c;
        i++;
      }
      int type = Character.getType(cp);
      if (type == Character.CONTROL) {
        return Optional.of("must not contain control characters (tab, line breaks, NUL, ESC …): " + codePoint(cp)
            + " is character " + position);
      }
      if (type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
        return Optional.of("must be one line: the line break " + codePoint(cp) + " is character " + position);
      }
      if (isNoncharacter(cp)) {
        return Optional.of("must not contain Unicode noncharacters: " + codePoint(cp) + " is character " + position);
      }
    }
    return Optional.empty();
  }

  private static final java.util.regex.Pattern LETTERS_AND_DIGITS = java.util.regex.Pattern.compile("[A-Za-z0-9]+");

  /**
   * What is wrong with a text field as an engine sent it, in the words every model's rules use: characters that
   * are not text, nothing visible, other than letters and digits (when {@code code}), or more than {@code maxLength}
   * characters in its NFC form (SAP's field length); empty when it is fine.
   */
  public static Optional<String> fieldProblem(String sent, int maxLength, boolean code) {
    Optional<String> unfit = unfitOrBlank(sent);
    if (unfit.isPresent()) {
      return unfit;
    }
    String value = nfc(sent);
    if (code && !isLettersAndDigits(value)) {
      return Optional.of("must contain only letters and digits, was '" + value + "'");
    }
    return tooLong(value, maxLength);
  }

  /** Characters that are not text, or nothing visible: the first checks of every text field. */
  public static Optional<String> unfitOrBlank(String sent) {
    Optional<String> unfit = problem(sent);
    if (unfit.isPresent()) {
      return unfit;
    }
    return isBlank(sent) ? Optional.of("must not be blank (white space, zero-width and other invisible characters "
        + "do not count)") : Optional.empty();
  }

  /** More than {@code maxLength} characters (SAP's field length) in {@code value}, already in NFC. */
  public static Optional<String> tooLong(String value, int maxLength) {
    return value.length() > maxLength ? Optional.of("must be at most " + maxLength
        + " characters (SAP's field length), was " + value.length()) : Optional.empty();
  }

  /** Whether {@code value} is one or more ASCII letters and digits (SAP's codes: sales organisations, units …). */
  public static boolean isLettersAndDigits(String value) {
    return LETTERS_AND_DIGITS.matcher(value).matches();
  }

  /** Whether nothing visible is left of {@code text} (see the class comment); true for the empty string. */
  public static boolean isBlank(String text) {
    return text.codePoints().allMatch(TextRules::isInvisible);
  }

  /** {@code text} without the blank characters (see {@link #isBlank}) at its start and end. */
  static String strip(String text) {
    int start = 0;
    int end = text.length();
    while (start < end) {
      int cp = text.codePointAt(start);
      if (!isInvisible(cp)) {
        break;
      }
      start += Character.charCount(cp);
    }
    while (end > start) {
      int cp = text.codePointBefore(end);
      if (!isInvisible(cp)) {
        break;
      }
      end -= Character.charCount(cp);
    }
    return text.substring(start, end);
  }

  private static boolean isInvisible(int cp) {
    if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
      return true;
    }
    return Character.getType(cp) == Character.FORMAT || isOtherDefaultIgnorable(cp);
  }

  /**
   * Default_Ignorable_Code_Point (Unicode's DerivedCoreProperties.txt) beyond the format characters, which
   * {@link Character#getType} already reports: the Java runtime has no accessor for the property itself.
   */
  private static boolean isOtherDefaultIgnorable(int cp) {
    return cp == 0x034F // combining grapheme joiner
        || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 // Hangul fillers
        || cp == 0x17B4 || cp == 0x17B5 // Khmer inherent vowels
        || (cp >= 0x180B && cp <= 0x180F) // Mongolian free variation selectors
        || (cp >= 0xFE00 && cp <= 0xFE0F) // variation selectors
        || (cp >= 0xE0100 && cp <= 0xE01EF) // variation selectors supplement
        || cp == 0x2065 || (cp >= 0xFFF0 && cp <= 0xFFF8) // reserved default-ignorable
        || (cp >= 0xE0000 && cp <= 0xE0FFF && Character.getType(cp) == Character.UNASSIGNED);
  }

  private static boolean isNoncharacter(int cp) {
    return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
  }

  private static String codePoint(int cp) {
    return String.format("U+%04X", cp);
  }
}
