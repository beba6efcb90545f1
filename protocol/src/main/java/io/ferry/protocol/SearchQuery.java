package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A customer search as a {@code customer.search} job carries it.
 *
 * @param text what the engine searched for (matched against names and the external id)
 * @param top the most customers one page may hold
 * @param cursor where the previous page ended, as the agent returned it; absent for the first page. Opaque
 *     to the relay and the engine.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SearchQuery(String text, Integer top, String cursor) {}
