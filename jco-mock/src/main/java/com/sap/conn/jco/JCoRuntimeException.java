package com.sap.conn.jco;

/**
 * An unchecked JCo failure: a programming error against the data containers, such as a field name
 * that does not exist ({@link JCoException#JCO_ERROR_FIELD_NOT_FOUND}).
 */
public class JCoRuntimeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int group;
  private final String key;

  public JCoRuntimeException(int group, String key, String message) {
    super("(" + group + ") " + key + ": " + message); // the form JCo logs, as JCoException
    this.group = group;
    this.key = key;
  }

  public int getGroup() {
    return group;
  }

  public String getKey() {
    return key;
  }
}
