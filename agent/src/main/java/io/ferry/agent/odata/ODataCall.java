package io.ferry.agent.odata;

import java.util.List;
import java.util.Map;

/**
 * One checked request on a configured service: the path and query already validated by {@link ODataPaths} and
 * {@link ODataQuery}.
 *
 * @param service the agent's name of the service
 * @param method GET, POST, PUT, PATCH, MERGE or DELETE
 * @param segments the path below the service root, segment by segment, as the engine encoded them
 * @param query the system query options, name and URL-encoded value, in the engine's order
 * @param body the JSON body (text), or null
 * @param ifMatch the engine's If-Match, or null
 */
public record ODataCall(String service, String method, List<String> segments, List<Map.Entry<String, String>> query,
    String body, String ifMatch) {

  public ODataCall {
    segments = List.copyOf(segments);
    query = List.copyOf(query);
  }

  public boolean isRead() {
    return "GET".equals(method);
  }

  /** For logs and metrics: method, service and entity set — no key values, query or body. */
  public String logged() {
    return method + " " + service + "/" + ODataPaths.entitySet(segments);
  }

  /** For messages to the engine, which sent it: method, service and path, never the query's values nor the body. */
  public String describe() {
    return method + " " + service + "/" + String.join("/", segments);
  }
}
