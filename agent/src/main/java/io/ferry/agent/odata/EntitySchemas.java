package io.ferry.agent.odata;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * A service's {@code $metadata} (OData V2 EDMX with SAP's annotations), read once, and the JSON Schema (draft
 * 2020-12) of each of its entity sets: what an engine shows its user for a request's body or an answer.
 *
 * <p>The EDMX is parsed with the JDK's parser, securely: no DTD, no external entity or schema is read.
 */
final class EntitySchemas {

  static final String SAP = "http://www.sap.com/Protocols/SAPData";
  static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";
  /** How deep navigation properties are followed: the set's own, and theirs (a deep insert's usual depth). */
  static final int NAVIGATION_DEPTH = 2;

  private record Property(String name, String type, String maxLength, String precision, String scale, String label,
      boolean readOnly, boolean nullable) {}

  private record Navigation(String name, String relationship, String toRole) {}

  private record EntityType(String name, String label, List<String> keys, List<Property> properties,
      List<Navigation> navigations) {}

  /** Entity types by qualified name (and by alias-qualified name). */
  private final Map<String, EntityType> types = new HashMap<>();
  /** Entity sets by name: their entity type's qualified name. */
  private final Map<String, String> sets = new LinkedHashMap<>();
  /** Association ends by "association qualified name/role": the end's type and multiplicity. */
  private final Map<String, String[]> ends = new HashMap<>();

  private EntitySchemas() {}

  /** @throws IllegalArgumentException when the text is not an EDMX document Ferry can read */
  static EntitySchemas parse(String edmx) {
    Document doc;
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      doc = b.parse(new InputSource(new StringReader(edmx)));
    } catch (Exception e) {
      throw new IllegalArgumentException("the service's $metadata is not an EDMX document the agent can read: "
          + e.getMessage(), e);
    }
    EntitySchemas s = new EntitySchemas();
    NodeList schemas = doc.getElementsByTagNameNS("*", "Schema");
    for (int i = 0; i < schemas.getLength(); i++) {
      Element schema = (Element) schemas.item(i);
      String namespace = schema.getAttribute("Namespace");
      String alias = schema.getAttribute("Alias");
      for (Element t : children(schema, "EntityType")) {
        EntityType type = s.entityType(t);
        s.types.put(namespace + "." + type.name(), type);
        if (!alias.isEmpty()) {
          s.types.put(alias + "." + type.name(), type);
        }
      }
      for (Element a : children(schema, "Association")) {
        for (Element end : children(a, "End")) {
          String[] value = {end.getAttribute("Type"), end.getAttribute("Multiplicity")};
          s.ends.put(namespace + "." + a.getAttribute("Name") + "/" + end.getAttribute("Role"), value);
          if (!alias.isEmpty()) {
            s.ends.put(alias + "." + a.getAttribute("Name") + "/" + end.getAttribute("Role"), value);
          }
        }
      }
      for (Element container : children(schema, "EntityContainer")) {
        for (Element set : children(container, "EntitySet")) {
          s.sets.put(set.getAttribute("Name"), set.getAttribute("EntityType"));
        }
      }
    }
    if (s.sets.isEmpty()) {
      throw new IllegalArgumentException("the service's $metadata names no entity set");
    }
    return s;
  }

  boolean hasEntitySet(String name) {
    return sets.containsKey(name);
  }

  List<String> entitySets() {
    return List.copyOf(sets.keySet());
  }

  /** The JSON Schema of {@code entitySet}'s entities; empty when the service has no such set. */
  java.util.Optional<ObjectNode> schema(String service, String entitySet) {
    EntityType type = types.get(sets.get(entitySet));
    if (type == null) {
      return java.util.Optional.empty();
    }
    ObjectNode root = object(type, NAVIGATION_DEPTH);
    ObjectNode schema = JsonNodeFactory.instance.objectNode();
    schema.put("$schema", DRAFT);
    schema.put("title", entitySet);
    if (type.label() != null) {
      schema.put("description", type.label() + " (" + service + "/" + entitySet + ")");
    }
    schema.setAll(root);
    return java.util.Optional.of(schema);
  }

  private ObjectNode object(EntityType type, int depth) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("type", "object");
    ArrayNode keys = o.putArray("x-sap-keys");
    type.keys().forEach(keys::add);
    ObjectNode properties = o.putObject("properties");
    for (Property p : type.properties()) {
      properties.set(p.name(), property(p));
    }
    if (depth > 0) {
      for (Navigation n : type.navigations()) {
        String[] end = ends.get(n.relationship() + "/" + n.toRole());
        EntityType target = end == null ? null : types.get(end[0]);
        if (target == null) {
          continue;
        }
        ObjectNode inner = object(target, depth - 1);
        ObjectNode nav;
        if ("*".equals(end[1])) {
          nav = JsonNodeFactory.instance.objectNode();
          nav.put("type", "array");
          nav.put("description", "navigation to " + (target.label() == null ? target.name() : target.label())
              + " (to many); in a deep insert an array, or {\"results\": [...]} as OData V2 writes it");
          nav.set("items", inner);
        } else {
          nav = inner;
          nav.put("description", "navigation to " + (target.label() == null ? target.name() : target.label())
              + " (" + end[1] + ")");
        }
        properties.set(n.name(), nav);
      }
    }
    return o;
  }

  private static ObjectNode property(Property p) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    switch (p.type()) {
      case "Edm.String" -> {
        o.put("type", "string");
        if (p.maxLength() != null && p.maxLength().chars().allMatch(Character::isDigit)) {
          o.put("maxLength", Integer.parseInt(p.maxLength()));
        }
      }
      case "Edm.DateTime", "Edm.DateTimeOffset" -> o.put("type", "string").put("format", "date-time");
      case "Edm.Time" -> o.put("type", "string").put("format", "duration");
      case "Edm.Decimal" -> {
        o.put("type", "string").put("format", "decimal").put("pattern", "^-?[0-9]+(\\.[0-9]+)?$");
        if (p.precision() != null) {
          o.put("x-precision", Integer.parseInt(p.precision()));
        }
        if (p.scale() != null && p.scale().chars().allMatch(Character::isDigit)) {
          o.put("x-scale", Integer.parseInt(p.scale()));
        }
      }
      case "Edm.Boolean" -> o.put("type", "boolean");
      case "Edm.Byte", "Edm.SByte", "Edm.Int16", "Edm.Int32" -> o.put("type", "integer");
      // OData V2 JSON writes 64-bit integers as strings (JavaScript numbers lose their precision).
      case "Edm.Int64" -> o.put("type", "string").put("format", "int64").put("pattern", "^-?[0-9]+$");
      case "Edm.Double", "Edm.Single" -> o.put("type", "number");
      case "Edm.Guid" -> o.put("type", "string").put("format", "uuid");
      case "Edm.Binary" -> o.put("type", "string").put("contentEncoding", "base64");
      default -> o.put("type", "string");
    }
    StringBuilder description = new StringBuilder(p.label() == null ? "" : p.label());
    if ("Edm.Decimal".equals(p.type()) && p.precision() != null) {
      description.append(description.isEmpty() ? "" : " ").append("(decimal, precision ").append(p.precision())
          .append(p.scale() == null ? "" : ", scale " + p.scale()).append(")");
    }
    if (!description.isEmpty()) {
      o.put("description", description.toString());
    }
    if (p.readOnly()) {
      o.put("readOnly", true);
    }
    o.put("x-sap-type", p.type());
    return o;
  }

  private EntityType entityType(Element t) {
    List<String> keys = new ArrayList<>();
    for (Element key : children(t, "Key")) {
      for (Element ref : children(key, "PropertyRef")) {
        keys.add(ref.getAttribute("Name"));
      }
    }
    List<Property> properties = new ArrayList<>();
    for (Element p : children(t, "Property")) {
      properties.add(new Property(p.getAttribute("Name"), p.getAttribute("Type"), attr(p, "MaxLength"),
          attr(p, "Precision"), attr(p, "Scale"), sap(p, "label"),
          "false".equals(sap(p, "creatable")) || "false".equals(sap(p, "updatable")),
          !"false".equals(p.getAttribute("Nullable"))));
    }
    List<Navigation> navigations = new ArrayList<>();
    for (Element n : children(t, "NavigationProperty")) {
      navigations.add(new Navigation(n.getAttribute("Name"), n.getAttribute("Relationship"), n.getAttribute("ToRole")));
    }
    return new EntityType(t.getAttribute("Name"), sap(t, "label"), keys, properties, navigations);
  }

  private static String attr(Element e, String name) {
    String v = e.getAttribute(name);
    return v.isEmpty() ? null : v;
  }

  private static String sap(Element e, String name) {
    String v = e.getAttributeNS(SAP, name);
    return v.isEmpty() ? null : v;
  }

  private static List<Element> children(Element parent, String localName) {
    List<Element> found = new ArrayList<>();
    for (var n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && localName.equals(e.getLocalName())) {
        found.add(e);
      }
    }
    return found;
  }
}
