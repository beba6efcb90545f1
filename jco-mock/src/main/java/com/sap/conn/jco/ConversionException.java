package com.sap.conn.jco;

/**
 * A value could not be converted to or from a field's ABAP type: letters into a NUMC field, or (in
 * this stand-in) a text longer than a CHAR field. Group {@link JCoException#JCO_ERROR_CONVERSION}.
 */
public class ConversionException extends JCoRuntimeException {

  private static final long serialVersionUID = 1L;

  public ConversionException(String message) {
    super(JCoException.JCO_ERROR_CONVERSION, "JCO_ERROR_CONVERSION", message);
  }
}
