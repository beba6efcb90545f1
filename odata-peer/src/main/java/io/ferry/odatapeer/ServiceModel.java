package io.ferry.odatapeer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.olingo.odata2.api.edm.provider.EntityType;
import org.apache.olingo.odata2.api.edm.provider.NavigationProperty;
import org.apache.olingo.odata2.api.edm.provider.Schema;
import org.apache.olingo.odata2.api.exception.ODataException;
import org.apache.olingo.odata2.core.edm.provider.EdmxProvider;

/**
 * One OData service the peer serves: its name, its path below the server, its {@code $metadata} byte for byte and
 * the entity data model Olingo builds from it.
 */
record ServiceModel(String name, EdmxProvider edm, byte[] metadata, Set<String> navigationNames) {

  static final String SERVICES_PATH = "/sap/opu/odata/sap/";

  /** The service root path: {@code /sap/opu/odata/sap/API_BUSINESS_PARTNER}. */
  String path() {
    return SERVICES_PATH + name;
  }

  /** Whether {@code requestPath} is this service's root or below it. */
  boolean serves(String requestPath) {
    return requestPath.equals(path()) || requestPath.startsWith(path() + "/");
  }

  /** Loads {@code <name>.edmx} from the peer's class path. */
  static ServiceModel load(String name) throws IOException {
    String resource = name + ".edmx";
    byte[] metadata;
    try (InputStream in = ServiceModel.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the peer's class path");
      }
      metadata = in.readAllBytes();
    }
    try {
      EdmxProvider edm = new EdmxProvider().parse(new ByteArrayInputStream(metadata), false);
      Set<String> navigationNames = new LinkedHashSet<>();
      for (Schema schema : edm.getSchemas()) {
        for (EntityType type : schema.getEntityTypes()) {
          if (type.getNavigationProperties() != null) {
            type.getNavigationProperties().stream().map(NavigationProperty::getName).forEach(navigationNames::add);
          }
        }
      }
      return new ServiceModel(name, edm, metadata, Set.copyOf(navigationNames));
    } catch (ODataException e) {
      throw new IllegalStateException("the EDMX " + resource + " cannot be read: " + e.getMessage(), e);
    }
  }
}
