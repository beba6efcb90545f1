package io.ferry.agent.sap.bapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sap.conn.jco.JCoFunctionTemplate;
import com.sap.conn.jco.JCoListMetaData;
import com.sap.conn.jco.JCoMetaData;

/**
 * A function module's interface as JSON Schema (draft 2020-12), from the metadata of SAP's repository: the request
 * {@code {importing, changing, tables, commit}} and the response {@code {exporting, changing, tables, messages}}.
 * Every field says its ABAP type ({@code x-sap-type}) and length ({@code x-sap-length}) beside the JSON constraints
 * that {@link AbapJson} checks, so an engine's form and the agent refuse the same values.
 */
final class FunctionSchemas {

  static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private FunctionSchemas() {}

  /** The body of a call: the import, changing and table parameters, and whether to commit. */
  static ObjectNode request(JCoFunctionTemplate t) {
    ObjectNode schema = root("The parameters of a call of " + t.getName());
    ObjectNode properties = schema.putObject("properties");
    properties.set("importing", parameters(t.getImportParameterList(), "import parameters", true));
    properties.set("changing", parameters(t.getChangingParameterList(), "changing parameters", false));
    properties.set("tables", parameters(t.getTableParameterList(), "table parameters", false));
    properties.putObject("commit").put("type", "boolean").put("description", "true: BAPI_TRANSACTION_COMMIT "
        + "(WAIT) in the same SAP session when no error came back, else BAPI_TRANSACTION_ROLLBACK");
    if (properties.get("importing").has("required")) {
      schema.putArray("required").add("importing");
    }
    return schema;
  }

  /** The answer of a call: the export, changing and table parameters as SAP returned them, and RETURN's messages. */
  static ObjectNode response(JCoFunctionTemplate t) {
    ObjectNode schema = root("The answer of a call of " + t.getName());
    ObjectNode properties = schema.putObject("properties");
    properties.set("exporting", parameters(t.getExportParameterList(), "export parameters", false));
    properties.set("changing", parameters(t.getChangingParameterList(), "changing parameters", false));
    properties.set("tables", parameters(t.getTableParameterList(), "table parameters", false));
    ObjectNode message = properties.putObject("messages").put("type", "array")
        .put("description", "the success, information and warning messages of the RETURN parameter")
        .putObject("items").put("type", "object");
    ObjectNode m = message.putObject("properties");
    m.putObject("type").put("type", "string").put("description", "S, I or W");
    m.putObject("id").put("type", "string").put("description", "message class");
    m.putObject("number").put("type", "string");
    m.putObject("message").put("type", "string");
    return schema;
  }

  private static ObjectNode root(String title) {
    ObjectNode schema = JSON.objectNode();
    schema.put("$schema", DIALECT);
    schema.put("title", title);
    schema.put("type", "object");
    schema.put("additionalProperties", false);
    return schema;
  }

  /** An object with one property per parameter; {@code withRequired}: the non-optional ones are required. */
  private static ObjectNode parameters(JCoListMetaData list, String description, boolean withRequired) {
    ObjectNode schema = JSON.objectNode().put("type", "object").put("description", description)
        .put("additionalProperties", false);
    ObjectNode properties = schema.putObject("properties");
    if (list == null) {
      return schema;
    }
    ArrayNode required = JSON.arrayNode();
    for (int i = 0; i < list.getFieldCount(); i++) {
      ObjectNode f = field(list, i);
      String declared = list.getDefault(i);
      if (declared != null && !declared.isBlank()) {
        // The ABAP literal SAP fills in when the caller leaves the parameter out ('FERRY', SPACE, SY-DATUM): not a
        // JSON value of the field's type, so not JSON Schema's "default".
        f.put("x-sap-default", declared.strip());
      }
      properties.set(list.getName(i), f);
      if (withRequired && !list.isOptional(i)) {
        required.add(list.getName(i));
      }
    }
    if (!required.isEmpty()) {
      schema.set("required", required);
    }
    return schema;
  }

  /** One field or parameter: the JSON form of its ABAP type, as {@link AbapJson} reads and writes it. */
  static ObjectNode field(JCoMetaData meta, int index) {
    AbapType type = AbapType.of(meta, index);
    int length = meta.getLength(index);
    int decimals = meta.getDecimals(index);
    ObjectNode f = JSON.objectNode();
    switch (type) {
      case STRUCTURE -> {
        f.put("type", "object");
        record(f, meta.getRecordMetaData(index));
      }
      case TABLE -> {
        f.put("type", "array");
        record(f.putObject("items").put("type", "object"), meta.getRecordMetaData(index));
      }
      case CHAR -> f.put("type", "string").put("maxLength", length);
      case STRING -> {
        f.put("type", "string");
        if (length > 0) {
          f.put("maxLength", length);
        }
      }
      case NUM -> f.put("type", "string").put("maxLength", length).put("pattern", "^[0-9]*$");
      case INT, INT1, INT2, INT8 -> f.put("type", "integer").put("minimum", type.min()).put("maximum", type.max());
      case BCD -> {
        int digits = AbapType.digits(type, length);
        f.put("type", "string").put("pattern", decimals == 0 ? "^-?[0-9]{1," + digits + "}$"
            : "^-?[0-9]{1," + Math.max(1, digits - decimals) + "}(\\.[0-9]{1," + decimals + "})?$");
        f.put("x-sap-decimals", decimals);
        f.put("x-sap-digits", digits);
      }
      case DECF16, DECF34 -> f.put("type", "string").put("pattern", "^-?[0-9]+(\\.[0-9]+)?$")
          .put("x-sap-digits", AbapType.digits(type, length));
      case FLOAT -> f.put("type", "number");
      case DATE -> {
        f.putArray("type").add("string").add("null");
        f.put("format", "date");
      }
      case TIME -> f.put("type", "string").put("format", "time")
          .put("pattern", "^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$");
      case BYTE -> f.put("type", "string").put("contentEncoding", "base64").put("maxLength", 4 * ((length + 2) / 3));
      case XSTRING -> f.put("type", "string").put("contentEncoding", "base64");
      default -> f.put("description", "not mapped by Ferry");
    }
    String text = meta.getDescription(index);
    if (text != null && !text.isBlank() && !f.has("description")) {
      f.put("description", text.strip());
    }
    f.put("x-sap-type", type == AbapType.STRUCTURE || type == AbapType.TABLE ? type.name()
        : meta.getTypeAsString(index));
    if (type == AbapType.STRUCTURE || type == AbapType.TABLE) {
      String name = meta.getRecordTypeName(index);
      if (name != null) {
        f.put("x-sap-structure", name);
      }
    } else {
      f.put("x-sap-length", length);
    }
    return f;
  }

  private static void record(ObjectNode schema, JCoMetaData line) {
    schema.put("additionalProperties", false);
    ObjectNode properties = schema.putObject("properties");
    if (line == null) {
      return;
    }
    for (int i = 0; i < line.getFieldCount(); i++) {
      properties.set(line.getName(i), field(line, i));
    }
  }
}
