package io.ferry.cli.connector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ferry.protocol.Protocol;
import io.ferry.relay.openapi.OpenApiDocument;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A Power Automate custom-connector package for a relay: {@code apiDefinition.swagger.json} (derived
 * from the relay's OpenAPI document), {@code apiProperties.json} (the API key as a secure connection
 * parameter, brand colour) and {@code icon.png}. Import it with {@code paconn create} or the maker
 * portal's "Import an OpenAPI file".
 */
public final class ConnectorPackage {

  public static final String API_DEFINITION = "apiDefinition.swagger.json";
  public static final String API_PROPERTIES = "apiProperties.json";
  public static final String ICON = "icon.png";
  /** A deep sea green; not one of the colours Microsoft reserves (#007ee5, #ffffff). */
  static final String BRAND_COLOR = "#0b6e4f";

  private static final ObjectMapper JSON = Protocol.json().copy().enable(SerializationFeature.INDENT_OUTPUT);

  private ConnectorPackage() {}

  /** Writes the three files into {@code dir} (created if needed) and returns their paths. */
  public static List<Path> write(ConnectorHost host, String website, String privacyPolicy, Path dir) throws IOException {
    Files.createDirectories(dir);
    ObjectNode swagger = new SwaggerExport(OpenApiDocument.template()).toSwagger(host, website, privacyPolicy);
    Path definition = dir.resolve(API_DEFINITION);
    Path properties = dir.resolve(API_PROPERTIES);
    Path icon = dir.resolve(ICON);
    Files.write(definition, JSON.writeValueAsBytes(swagger));
    Files.write(properties, JSON.writeValueAsBytes(apiProperties()));
    Files.write(icon, Icon.png(Color.decode(BRAND_COLOR)));
    return List.of(definition, properties, icon);
  }

  static ObjectNode apiProperties() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode props = root.putObject("properties");
    ObjectNode key = props.putObject("connectionParameters").putObject(SwaggerExport.API_KEY);
    key.put("type", "securestring");
    ObjectNode ui = key.putObject("uiDefinition");
    ui.put("displayName", "API Key");
    ui.put("description", "The API key of your Ferry tenant (fk_…), from the relay's operator.");
    ui.put("tooltip", "Provide your Ferry API key");
    ObjectNode constraints = ui.putObject("constraints");
    constraints.put("tabIndex", 2);
    constraints.put("clearText", false);
    constraints.put("required", "true");
    props.put("iconBrandColor", BRAND_COLOR);
    // Power Automate's capabilities list names connector kinds (gateway, cloud …); the connection test
    // itself is declared in the definition as x-ms-capabilities.testConnection.
    props.putArray("capabilities");
    props.put("publisher", "Ferry");
    props.put("stackOwner", "Ferry");
    props.putArray("policyTemplateInstances");
    return root;
  }
}
