package io.ferry.odatapeer;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.olingo.odata2.api.commons.HttpStatusCodes;
import org.apache.olingo.odata2.api.commons.ODataHttpHeaders;
import org.apache.olingo.odata2.api.edm.EdmAnnotatable;
import org.apache.olingo.odata2.api.edm.EdmAnnotationAttribute;
import org.apache.olingo.odata2.api.edm.EdmEntitySet;
import org.apache.olingo.odata2.api.edm.EdmEntityType;
import org.apache.olingo.odata2.api.edm.EdmException;
import org.apache.olingo.odata2.api.edm.EdmLiteralKind;
import org.apache.olingo.odata2.api.edm.EdmProperty;
import org.apache.olingo.odata2.api.edm.EdmSimpleType;
import org.apache.olingo.odata2.api.ep.EntityProvider;
import org.apache.olingo.odata2.api.ep.EntityProviderReadProperties;
import org.apache.olingo.odata2.api.ep.EntityProviderWriteProperties;
import org.apache.olingo.odata2.api.ep.entry.ODataEntry;
import org.apache.olingo.odata2.api.exception.ODataException;
import org.apache.olingo.odata2.api.processor.ODataResponse;
import org.apache.olingo.odata2.api.processor.ODataSingleProcessor;
import org.apache.olingo.odata2.api.uri.KeyPredicate;
import org.apache.olingo.odata2.api.uri.NavigationSegment;
import org.apache.olingo.odata2.api.uri.UriParser;
import org.apache.olingo.odata2.api.uri.info.DeleteUriInfo;
import org.apache.olingo.odata2.api.uri.info.GetEntityCountUriInfo;
import org.apache.olingo.odata2.api.uri.info.GetEntitySetCountUriInfo;
import org.apache.olingo.odata2.api.uri.info.GetEntitySetUriInfo;
import org.apache.olingo.odata2.api.uri.info.GetEntityUriInfo;
import org.apache.olingo.odata2.api.uri.info.GetMetadataUriInfo;
import org.apache.olingo.odata2.api.uri.info.PostUriInfo;
import org.apache.olingo.odata2.api.uri.info.PutMergePatchUriInfo;

/**
 * The service implementation behind Olingo: reads ({@code $filter}, {@code $orderby}, {@code $expand}, {@code $select},
 * {@code $top}, {@code $skip}, {@code $inlinecount}, {@code $count}), creates with deep insert, updates
 * (MERGE/PATCH change the properties sent, PUT replaces) and deletes, on the {@link Store}. An update or
 * delete needs {@code If-Match} with the entity's ETag (428 without, 412 on a mismatch), which SAP's
 * service enforces and Olingo, without concurrency facets in the EDMX, would not. One instance per
 * request; every method holds the store's monitor.
 */
final class PartnerProcessor extends ODataSingleProcessor {

  static final String SAP_NAMESPACE = "http://www.sap.com/Protocols/SAPData";

  private final Store store;
  private final byte[] metadata;
  private final Set<String> navigationNames;
  private final AtomicBoolean concurrentChange;
  /** Server-driven paging: at most this many entities per collection answer; 0 for all. */
  private final int pageSize;

  /**
   * @param concurrentChange test hook: when set, the next update or delete first finds its entity
   *     changed by someone else (and clears the flag)
   */
  PartnerProcessor(Store store, byte[] metadata, Set<String> navigationNames, AtomicBoolean concurrentChange,
      int pageSize) {
    this.pageSize = pageSize;
    this.store = store;
    this.metadata = metadata;
    this.navigationNames = navigationNames;
    this.concurrentChange = concurrentChange;
  }

  /** The EDMX as it is, byte for byte, with SAP's annotations; Olingo would write its own rendering. */
  @Override
  public ODataResponse readMetadata(GetMetadataUriInfo uriInfo, String contentType) {
    return ODataResponse.status(HttpStatusCodes.OK)
        .contentHeader("application/xml")
        .header(ODataHttpHeaders.DATASERVICEVERSION, "2.0")
        .entity(new ByteArrayInputStream(metadata))
        .build();
  }

  @Override
  public ODataResponse readEntitySet(GetEntitySetUriInfo uri, String contentType) throws ODataException {
    synchronized (store) {
      List<Store.Row> rows = resolve(uri.getStartEntitySet(), uri.getKeyPredicates(), uri.getNavigationSegments());
      if (uri.getFilter() != null) {
        List<Store.Row> kept = new ArrayList<>();
        for (Store.Row r : rows) {
          if (Filters.matches(uri.getFilter(), r.data, store.alpha())) {
            kept.add(r);
          }
        }
        rows = kept;
      }
      rows = OrderBy.sort(uri.getOrderBy(), rows);
      int count = rows.size();
      int skip = uri.getSkip() == null ? 0 : uri.getSkip();
      int top = uri.getTop() == null ? Integer.MAX_VALUE : uri.getTop();
      // $skiptoken: how many rows of this query (after $skip) earlier pages answered.
      int token = skipToken(uri.getSkipToken());
      long wanted = top == Integer.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, (long) top - token);
      long page = pageSize > 0 ? Math.min(wanted, pageSize) : wanted;
      long from = (long) skip + token;
      boolean more = pageSize > 0 && wanted > page && from + page < count;
      Expander expander = expander();
      List<Map<String, Object>> data = rows.stream().skip(from).limit(page).map(expander::copy).toList();
      EntityProviderWriteProperties.ODataEntityProviderPropertiesBuilder b = EntityProviderWriteProperties
          .fromProperties(expander.properties(UriParser.createExpandSelectTree(uri.getSelect(), uri.getExpand())))
          .inlineCountType(uri.getInlineCount())
          .inlineCount(count);
      if (more) {
        b.nextLink(nextLink(token + (int) page));
      }
      EntityProviderWriteProperties properties = b.build();
      return EntityProvider.writeFeed(contentType, uri.getTargetEntitySet(), data, properties);
    }
  }

  private static int skipToken(String token) throws ODataException {
    if (token == null || token.isEmpty()) {
      return 0;
    }
    try {
      int n = Integer.parseInt(token);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new org.apache.olingo.odata2.api.exception.ODataApplicationException("$skiptoken '" + token
        + "' is not one this service handed out", java.util.Locale.ENGLISH, HttpStatusCodes.BAD_REQUEST);
  }

  /** The request's own URL with {@code $skiptoken} set to {@code token}: what Gateway's {@code __next} is. */
  private String nextLink(int token) throws ODataException {
    java.net.URI request = getContext().getPathInfo().getRequestUri();
    StringBuilder query = new StringBuilder();
    if (request.getRawQuery() != null) {
      for (String pair : request.getRawQuery().split("&")) {
        if (!pair.isEmpty() && !pair.startsWith("$skiptoken=") && !pair.startsWith("%24skiptoken=")) {
          query.append(pair).append('&');
        }
      }
    }
    query.append("$skiptoken=").append(token);
    String base = request.toString();
    int q = base.indexOf('?');
    return (q < 0 ? base : base.substring(0, q)) + "?" + query;
  }

  @Override
  public ODataResponse countEntitySet(GetEntitySetCountUriInfo uri, String contentType) throws ODataException {
    synchronized (store) {
      List<Store.Row> rows = resolve(uri.getStartEntitySet(), uri.getKeyPredicates(), uri.getNavigationSegments());
      int n = 0;
      for (Store.Row r : rows) {
        if (uri.getFilter() == null || Filters.matches(uri.getFilter(), r.data, store.alpha())) {
          n++;
        }
      }
      return EntityProvider.writeText(Integer.toString(n));
    }
  }

  @Override
  public ODataResponse readEntity(GetEntityUriInfo uri, String contentType) throws ODataException {
    synchronized (store) {
      Store.Row row = single(uri.getStartEntitySet(), uri.getKeyPredicates(), uri.getNavigationSegments());
      ODataResponse written = EntityProvider.writeEntry(contentType, uri.getTargetEntitySet(), expander().copy(row),
          expander().properties(UriParser.createExpandSelectTree(uri.getSelect(), uri.getExpand())));
      return withEtag(ODataResponse.fromResponse(written), row).build();
    }
  }

  @Override
  public ODataResponse existsEntity(GetEntityCountUriInfo uri, String contentType) throws ODataException {
    synchronized (store) {
      List<Store.Row> rows = resolve(uri.getStartEntitySet(), uri.getKeyPredicates(), uri.getNavigationSegments());
      return EntityProvider.writeText(rows.isEmpty() ? "0" : "1");
    }
  }

  @Override
  public ODataResponse createEntity(PostUriInfo uri, InputStream content, String requestContentType,
      String contentType) throws ODataException {
    EdmEntitySet target = uri.getTargetEntitySet();
    ODataEntry entry = EntityProvider.readEntry(requestContentType, target, content,
        EntityProviderReadProperties.init().mergeSemantic(false).build());
    synchronized (store) {
      Map<String, Object> linked = Map.of();
      List<NavigationSegment> navs = uri.getNavigationSegments();
      if (!navs.isEmpty()) {
        Store.Row parent = single(uri.getStartEntitySet(), uri.getKeyPredicates(), navs.subList(0, navs.size() - 1));
        String navigation = navs.get(navs.size() - 1).getNavigationProperty().getName();
        linked = Links.of(parent.set, navigation).orElseThrow(() -> SapError.notImplemented(
            "The peer cannot create through " + navigation + " of " + parent.set)).targetValues(parent.data);
      } else if (readOnly(target, "creatable")) {
        throw SapError.notAllowed(target.getName() + " cannot be created on its own"
            + (target.getName().equals("A_Customer") ? ": create it with its business partner (deep insert of to_Customer)" : ""));
      }
      DeepInsert.Result created = target.getName().equals("A_SalesOrder") && navs.isEmpty()
          ? new SalesOrderInsert(store).create(entry)
          : new DeepInsert(store).create(target, entry, linked);
      ODataResponse written = EntityProvider.writeEntry(contentType, target, expander().copy(created.row()),
          expander().properties(entry.getExpandSelectTree()));
      return withEtag(ODataResponse.fromResponse(written), created.row())
          .status(HttpStatusCodes.CREATED)
          .header("sap-message", GatewayErrors.sapMessageHeader(created.messages()))
          .build();
    }
  }

  @Override
  public ODataResponse updateEntity(PutMergePatchUriInfo uri, InputStream content, String requestContentType,
      boolean merge, String contentType) throws ODataException {
    EdmEntitySet target = uri.getTargetEntitySet();
    ODataEntry entry = EntityProvider.readEntry(requestContentType, target, content,
        EntityProviderReadProperties.init().mergeSemantic(merge).build());
    synchronized (store) {
      Store.Row row = single(uri.getStartEntitySet(), uri.getKeyPredicates(), uri.getNavigationSegments());
      if (readOnly(target, "updatable")) {
        throw SapError.notAllowed(target.getName() + " cannot be changed");
      }
      checkIfMatch(row);
      if (entry.containsInlineEntry()) {
        throw SapError.badRequest("Deep update is not supported: change " + store.describe(row)
            + " and its related entities one by one");
      }
      EdmEntityType type = target.getEntityType();
      Map<String, Object> changed = new LinkedHashMap<>(row.data);
      List<String> keys = type.getKeyPropertyNames();
      Map<String, Object> sentValues = store.alpha().input(entry.getProperties());
      for (String name : type.getPropertyNames()) {
        boolean sent = sentValues.containsKey(name);
        if (keys.contains(name)) {
          if (sent && !String.valueOf(sentValues.get(name)).equals(String.valueOf(row.data.get(name)))) {
            throw SapError.badRequest("Key property " + name + " of " + store.describe(row) + " cannot be changed");
          }
        } else if (!readOnly(target, name, "updatable")) {
          if (sent) {
            changed.put(name, sentValues.get(name));
          } else if (!merge) {
            changed.remove(name);
          }
        }
      }
      Checks.normalize(row.set, changed);
      List<SapError.Detail> problems = new ArrayList<>();
      Checks.onUpdate(row.set, changed, store.describe(row), problems);
      if (!problems.isEmpty()) {
        throw new SapError(HttpStatusCodes.BAD_REQUEST, problems);
      }
      row.data.clear();
      row.data.putAll(changed);
      store.touch(row);
      return withEtag(ODataResponse.newBuilder(), row).build();
    }
  }

  @Override
  public ODataResponse deleteEntity(DeleteUriInfo uri, String contentType) throws ODataException {
    synchronized (store) {
      Store.Row row = single(uri.getStartEntitySet(), uri.getKeyPredicates(), uri.getNavigationSegments());
      if (readOnly(uri.getTargetEntitySet(), "deletable")) {
        throw SapError.notAllowed(row.set + " cannot be deleted");
      }
      checkIfMatch(row);
      delete(row);
      return ODataResponse.newBuilder().build();
    }
  }

  private void delete(Store.Row row) {
    for (Links.Link link : Links.ALL) {
      if (link.source().equals(row.set)) {
        Expander.navigate(store, row.set, row.data, link.navigation()).forEach(this::delete);
      }
    }
    store.delete(row);
  }

  /** The entity's ETag in the {@code ETag} header, when its set has ETags. */
  private ODataResponse.ODataResponseBuilder withEtag(ODataResponse.ODataResponseBuilder b, Store.Row row) {
    return store.versioned(row.set) ? b.eTag(row.etag()) : b;
  }

  /**
   * {@code If-Match} is checked only on entity sets under concurrency control: SAP Gateway has no ETag to
   * compare for the others and changes them without one.
   */
  private void checkIfMatch(Store.Row row) throws SapError {
    if (!store.versioned(row.set)) {
      return;
    }
    if (concurrentChange.getAndSet(false)) {
      store.touch(row);
    }
    String ifMatch = getContext().getRequestHeader("If-Match");
    if (ifMatch == null || ifMatch.isBlank()) {
      throw SapError.preconditionRequired(store.describe(row));
    }
    for (String tag : ifMatch.split(",")) {
      String t = tag.strip();
      if (t.equals("*") || t.equals(row.etag())) {
        return;
      }
    }
    throw SapError.preconditionFailed(store.describe(row));
  }

  private Expander expander() throws ODataException {
    return new Expander(store, getContext().getPathInfo().getServiceRoot(), navigationNames);
  }

  private Store.Row single(EdmEntitySet start, List<KeyPredicate> keys, List<NavigationSegment> navs)
      throws ODataException {
    List<Store.Row> rows = resolve(start, keys, navs);
    if (rows.size() != 1) {
      throw SapError.notFound(navs.isEmpty() ? start.getName() + keyText(keys)
          : navs.get(navs.size() - 1).getNavigationProperty().getName());
    }
    return rows.get(0);
  }

  /** The rows a resource path names: an entity set, an entity, or where navigation leads from one. */
  private List<Store.Row> resolve(EdmEntitySet start, List<KeyPredicate> keys, List<NavigationSegment> navs)
      throws ODataException {
    List<Store.Row> rows;
    if (keys.isEmpty()) {
      rows = stored(start) ? store.all(start.getName()) : List.of();
    } else {
      Store.Row row = stored(start) ? store.find(start.getName(), keyValues(keys)).orElse(null) : null;
      if (row == null) {
        throw SapError.notFound(start.getName() + keyText(keys));
      }
      rows = List.of(row);
    }
    for (NavigationSegment segment : navs) {
      if (rows.size() != 1) {
        throw SapError.badRequest("Navigation needs a single entity");
      }
      Store.Row source = rows.get(0);
      rows = Expander.navigate(store, source.set, source.data, segment.getNavigationProperty().getName());
      if (!segment.getKeyPredicates().isEmpty()) {
        List<Object> wanted = store.key(segment.getEntitySet().getName(), keyValues(segment.getKeyPredicates()));
        rows = rows.stream().filter(r -> store.key(r.set, r.data).equals(wanted)).toList();
        if (rows.isEmpty()) {
          throw SapError.notFound(segment.getEntitySet().getName() + keyText(segment.getKeyPredicates()));
        }
      }
    }
    return rows;
  }

  private static boolean stored(EdmEntitySet set) throws EdmException {
    return Links.storedSets().contains(set.getName());
  }

  /** The key predicate's values, through the service's input conversion (ALPHA) as Gateway applies it. */
  private Map<String, Object> keyValues(List<KeyPredicate> keys) throws EdmException {
    Map<String, Object> values = new LinkedHashMap<>();
    for (KeyPredicate k : keys) {
      EdmProperty p = k.getProperty();
      EdmSimpleType type = (EdmSimpleType) p.getType();
      values.put(p.getName(), type.valueOfString(k.getLiteral(), EdmLiteralKind.DEFAULT, p.getFacets(), type.getDefaultType()));
    }
    return store.alpha().input(values);
  }

  private static String keyText(List<KeyPredicate> keys) throws EdmException {
    if (keys.size() == 1) {
      return "('" + keys.get(0).getLiteral() + "')";
    }
    List<String> parts = new ArrayList<>();
    for (KeyPredicate k : keys) {
      parts.add(k.getProperty().getName() + "='" + k.getLiteral() + "'");
    }
    return "(" + String.join(",", parts) + ")";
  }

  /** Whether the entity set is annotated {@code sap:<flag>="false"} (creatable, updatable, deletable). */
  static boolean readOnly(EdmEntitySet set, String flag) throws EdmException {
    return isFalse(set, flag);
  }

  /** Whether the property is annotated {@code sap:<flag>="false"}: SAP ignores what a client sends for it. */
  static boolean readOnly(EdmEntitySet set, String property, String flag) throws EdmException {
    return set.getEntityType().getProperty(property) instanceof EdmAnnotatable a && isFalse(a, flag);
  }

  private static boolean isFalse(EdmAnnotatable annotatable, String flag) throws EdmException {
    if (annotatable.getAnnotations() == null) {
      return false;
    }
    EdmAnnotationAttribute a = annotatable.getAnnotations().getAnnotationAttribute(flag, SAP_NAMESPACE);
    return a != null && "false".equals(a.getText());
  }
}
