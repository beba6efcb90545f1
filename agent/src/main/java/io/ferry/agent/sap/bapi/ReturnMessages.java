package io.ferry.agent.sap.bapi;

import io.ferry.protocol.SapMessage;
import java.util.List;

/**
 * Reads a BAPI's RETURN structure into {@link SapMessage}s. It understands BAPIRETURN1, BAPIRET1 and
 * BAPIRET2 ({@code ID} and {@code NUMBER}) and the older BAPIRETURN, which joins class and number in
 * {@code CODE} ({@code QC160}). A blank TYPE means no message.
 */
final class ReturnMessages {

  private ReturnMessages() {}

  /** Every row of a RETURN table (BAPIRET2, as the sales-order BAPIs answer), in order. */
  static List<SapMessage> ofTable(com.sap.conn.jco.JCoTable ret) {
    List<SapMessage> all = new java.util.ArrayList<>();
    for (int i = 0; i < ret.getNumRows(); i++) {
      ret.setRow(i);
      all.addAll(of(ret));
    }
    return all;
  }

  static List<SapMessage> of(com.sap.conn.jco.JCoRecord ret) {
    String type = ret.getString("TYPE").strip();
    if (type.isEmpty()) {
      return List.of();
    }
    String id;
    String number;
    if (ret.getMetaData().hasField("CODE")) {
      String code = ret.getString("CODE").strip();
      boolean numbered = code.length() > 3 && code.substring(code.length() - 3).chars().allMatch(Character::isDigit);
      id = numbered ? code.substring(0, code.length() - 3) : code;
      number = numbered ? code.substring(code.length() - 3) : "";
    } else {
      id = ret.getString("ID").strip();
      number = ret.getString("NUMBER").strip();
    }
    return List.of(new SapMessage(type, blankToNull(id), blankToNull(number), blankToNull(ret.getString("MESSAGE").strip())));
  }

  static boolean hasError(List<SapMessage> messages) {
    return messages.stream().anyMatch(SapMessage::isError);
  }

  static boolean is(List<SapMessage> messages, String id, String number) {
    return messages.stream().anyMatch(m -> id.equals(m.id()) && number.equals(m.number()));
  }

  /** The first error's text, for exception messages. */
  static String firstError(List<SapMessage> messages) {
    return messages.stream().filter(SapMessage::isError).findFirst()
        .map(m -> m.id() + " " + m.number() + " " + m.message()).orElse("no message");
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
