package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** SAP's sales area: sales organisation, distribution channel and division. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SalesArea(String salesOrganization, String distributionChannel, String division) {

  /** {@code 1000/10/00}: the form operators write in configuration files and logs. */
  @Override
  public String toString() {
    return salesOrganization + "/" + distributionChannel + "/" + division;
  }
}
