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

  public JCoException(int group, String key) {
    this(group, key, null);
  }

  public JCoException(int group, String key, String message) {
    this(group, key, message, ' ', null, null, null);
  }

  public JCoException(int group, String key, String message, char messageType, String messageClass,
      String messageNumber, String[] messageParameters) {
    super(message);
    this.group = group;
    this.key = key;
    this.messageText = message;
    this.messageType = messageType;
    this.messageClass = messageClass;
    this.messageNumber = messageNumber;
    this.messageParameters = messageParameters == null ? new String[0] : messageParameters.clone();
  }

  public int getGroup() {
    return group;
  }

  public String getKey() {
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

  /** {@code (103) JCO_ERROR_LOGON_FAILURE: Name or password is incorrect}: the form JCo logs. */
  @Override
  public String getMessage() {
    String text = messageText == null ? "" : ": " + messageText;
    return "(" + group + ") " + key + text;
  }
}
