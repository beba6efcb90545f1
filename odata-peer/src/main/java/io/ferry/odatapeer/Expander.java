package io.ferry.odatapeer;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.olingo.odata2.api.ODataCallback;
import org.apache.olingo.odata2.api.edm.EdmException;
import org.apache.olingo.odata2.api.ep.EntityProviderWriteProperties;
import org.apache.olingo.odata2.api.ep.callback.OnWriteEntryContent;
import org.apache.olingo.odata2.api.ep.callback.OnWriteFeedContent;
import org.apache.olingo.odata2.api.ep.callback.WriteCallbackContext;
import org.apache.olingo.odata2.api.ep.callback.WriteEntryCallbackContext;
import org.apache.olingo.odata2.api.ep.callback.WriteEntryCallbackResult;
import org.apache.olingo.odata2.api.ep.callback.WriteFeedCallbackContext;
import org.apache.olingo.odata2.api.ep.callback.WriteFeedCallbackResult;
import org.apache.olingo.odata2.api.exception.ODataApplicationException;
import org.apache.olingo.odata2.api.uri.ExpandSelectTreeNode;

/**
 * Supplies Olingo's writer with the rows of an expanded navigation property ({@code $expand}, and the
 * inline content of a deep insert's answer), at any depth.
 */
final class Expander implements OnWriteEntryContent, OnWriteFeedContent {

  private final Store store;
  private final URI serviceRoot;
  private final Map<String, ODataCallback> callbacks = new HashMap<>();

  Expander(Store store, URI serviceRoot, Set<String> navigationNames) {
    this.store = store;
    this.serviceRoot = serviceRoot;
    navigationNames.forEach(n -> callbacks.put(n, this));
  }

  EntityProviderWriteProperties properties(ExpandSelectTreeNode tree) {
    return EntityProviderWriteProperties.serviceRoot(serviceRoot).expandSelectTree(tree).callbacks(callbacks).build();
  }

  @Override
  public WriteEntryCallbackResult retrieveEntryResult(WriteEntryCallbackContext context) throws ODataApplicationException {
    List<Store.Row> rows = rows(context);
    WriteEntryCallbackResult result = new WriteEntryCallbackResult();
    result.setEntryData(rows.isEmpty() ? null : copy(rows.get(0)));
    result.setInlineProperties(properties(context.getCurrentExpandSelectTreeNode()));
    return result;
  }

  @Override
  public WriteFeedCallbackResult retrieveFeedResult(WriteFeedCallbackContext context) throws ODataApplicationException {
    WriteFeedCallbackResult result = new WriteFeedCallbackResult();
    result.setFeedData(rows(context).stream().map(this::copy).toList());
    result.setInlineProperties(properties(context.getCurrentExpandSelectTreeNode()));
    return result;
  }

  private List<Store.Row> rows(WriteCallbackContext context) throws ODataApplicationException {
    try {
      // The entry data was written in the external form; the store joins on the internal one.
      return navigate(store, context.getSourceEntitySet().getName(), store.alpha().input(context.getEntryData()),
          context.getNavigationProperty().getName());
    } catch (EdmException e) {
      throw new ODataApplicationException("cannot expand: " + e.getMessage(), java.util.Locale.ENGLISH, e);
    }
  }

  /** The rows {@code navigation} leads to from the row {@code sourceData} of {@code sourceSet}. */
  static List<Store.Row> navigate(Store store, String sourceSet, Map<String, Object> sourceData, String navigation) {
    return Links.of(sourceSet, navigation).map(link -> {
      Map<String, Object> values = link.targetValues(sourceData);
      return values.containsValue(null) ? List.<Store.Row>of() : store.where(link.target(), values);
    }).orElse(List.of());
  }

  /** The row's values as the service answers them: numbers in the external form (ALPHA output). */
  Map<String, Object> copy(Store.Row row) {
    return store.alpha().output(row.data);
  }
}
