package com.sap.conn.jco;

/**
 * A checked JCo failure, as SAP's JCo 3 raises it. The group says what kind of failure it is
 * (communication, logon, ABAP exception, ...); callers branch on it, never on the text.
 *
 * <p>When the ABAP system answered with a T100 message, {@link #getMessageClass()},
 * {@link #getMessageNumber()}, {@link #getMessageType()} and the parameters carry it.
 */
public class JCoException extends Exception {

  private static final long serialVersionUID = 1L;

  public static final int JCO_ERROR_COMMUNICATION = 102;
  public static final int JCO_ERROR_LOGON_FAILURE = 103;
  public static final int JCO_ERROR_SYSTEM_FAILURE = 104;
  public static final int JCO_ERROR_APPLICATION_EXCEPTION = 105;
  public static final int JCO_ERROR_RESOURCE = 106;
  public static final int JCO_ERROR_PROTOCOL = 107;
  public static final int JCO_ERROR_INTERNAL = 108;
  public static final int JCO_ERROR_CANCELLED = 109;
  public static final int JCO_ERROR_STATE_BUSY = 110;
  public static final int JCO_ERROR_CONVERSION = 122;
  public static final int JCO_ERROR_FUNCTION_NOT_FOUND = 123;
  public static final int JCO_ERROR_ABAP_EXCEPTION = 126;
  public static final int JCO_ERROR_FIELD_NOT_FOUND = 127;
  public static final int JCO_ERROR_ILLEGAL_ARGUMENT = 131;
  public static final int JCO_ERROR_TIMEOUT = 135;
  public static final int JCO_ERROR_PASSWORD_CHANGE_REQUIRED = 138;
  public static final int JCO_ERROR_DESTINATION_DATA_INVALID = 180;

  private final int group;
  private final String key;
  private final String messageText;
  private final char messageType;
  private final String messageClass;
  private final String messageNumber;
  private final String[] messageParameters;

  // The constructors of SAP JCo 3, with their parameter order (class before type: messageClass, messageType,
  // messageNumber). Where no key is given, the key is the name of the group's constant.

  public JCoException(int group, String message) {
    this(group, keyOf(group), message, null, ' ', null, null, null, null);
  }

  public JCoException(int group, String key, String message) {
    this(group, key, message, null, ' ', null, null, null, null);
  }

  public JCoException(int group, String message, Throwable cause) {
    this(group, keyOf(group), message, null, ' ', null, null, cause, null);
  }

  public JCoException(int group, String key, String message, Throwable cause) {
    this(group, key, message, null, ' ', null, null, cause, null);
  }

  public JCoException(int group, String key, String message, String messageClass, char messageType,
      String messageNumber, String... messageParameters) {
    this(group, key, message, messageClass, messageType, messageNumber, messageParameters, null, null);
  }

  public JCoException(int group, String key, String message, String messageClass, char messageType,
      String messageNumber, String[] messageParameters, Throwable cause) {
    this(group, key, message, messageClass, messageType, messageNumber, messageParameters, cause, null);
  }

  public JCoException(int group, String message, String messageClass, char messageType, String messageNumber,
      String[] messageParameters, Throwable cause, String raisedBy) {
    this(group, keyOf(group), message, messageClass, messageType, messageNumber, messageParameters, cause,
        raisedBy);
  }

  /** @param raisedBy the function module that raised it, when it came from SAP (JCo keeps it; so does this) */
  public JCoException(int group, String key, String message, String messageClass, char messageType,
      String messageNumber, String[] messageParameters, Throwable cause, String raisedBy) {
    // {@code (103) JCO_ERROR_LOGON_FAILURE: Name or password is incorrect}: the form JCo logs.
    super("(" + group + ") " + key + (message == null ? "" : ": " + message), cause);
    this.group = group;
    this.key = key;
    this.messageText = message;
    this.messageType = messageType;
    this.messageClass = messageClass;
    this.messageNumber = messageNumber;
    this.messageParameters = messageParameters == null ? new String[0] : messageParameters.clone();
  }

  public final int getGroup() {
    return group;
  }

  public final String getKey() {
    return key;
  }

  /** The text without the group and key prefix that {@link #getMessage()} adds. */
  public String getMessageText() {
    return messageText;
  }

  public char getMessageType() {
    return messageType;
  }

  public String getMessageClass() {
    return messageClass;
  }

  public String getMessageNumber() {
    return messageNumber;
  }

  public String[] getMessageParameters() {
    return messageParameters.clone();
  }

  public String getMessageParameter(int index) {
    return index >= 0 && index < messageParameters.length ? messageParameters[index] : null;
  }

  @Override
  public String toString() {
    return getClass().getName() + ": " + getMessage();
  }

  /** The name of a group's constant, {@code JCO_ERROR_LOGON_FAILURE} for 103. */
  private static String keyOf(int group) {
    for (java.lang.reflect.Field f : JCoException.class.getFields()) {
      try {
        if (f.getType() == int.class && f.getName().startsWith("JCO_ERROR_") && f.getInt(null) == group) {
          return f.getName();
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    return "JCO_ERROR_" + group;
  }
}
