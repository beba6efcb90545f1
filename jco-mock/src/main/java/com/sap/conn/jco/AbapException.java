package com.sap.conn.jco;

/**
 * A classic exception the called function module raised ({@code RAISE NOT_FOUND}); its key is the
 * exception name. BAPIs do not raise these: they report errors in their RETURN parameter.
 */
public class AbapException extends JCoException {

  private static final long serialVersionUID = 1L;

  public AbapException(String key) {
    super(JCO_ERROR_ABAP_EXCEPTION, key, (String) null);
  }

  public AbapException(String key, String message) {
    super(JCO_ERROR_ABAP_EXCEPTION, key, message);
  }

  /** A T100 message without a text of its own. */
  public AbapException(String key, String messageClass, char messageType, String messageNumber,
      String[] messageParameters) {
    super(JCO_ERROR_ABAP_EXCEPTION, key, (String) null, messageClass, messageType, messageNumber, messageParameters);
  }

  public AbapException(String key, String message, String messageClass, char messageType, String messageNumber,
      String[] messageParameters) {
    super(JCO_ERROR_ABAP_EXCEPTION, key, message, messageClass, messageType, messageNumber, messageParameters);
  }
}
