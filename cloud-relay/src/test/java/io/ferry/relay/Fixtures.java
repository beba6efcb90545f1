package io.ferry.relay;

import io.ferry.protocol.Customer;
import io.ferry.protocol.SalesArea;
import io.ferry.protocol.SapMessage;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Test data and waiting without sleeping blindly. */
final class Fixtures {

  static final String CUSTOMER_JSON = """
      {"externalId":"CRM-4711","name":"Muster GmbH","street":"Hauptstrasse","houseNumber":"5",
       "postalCode":"69190","city":"Walldorf","country":"DE","language":"de","currency":"EUR",
       "email":"info@muster.example",
       "salesArea":{"salesOrganization":"1000","distributionChannel":"10","division":"00"},
       "companyCode":"1000"}""";

  private Fixtures() {}

  /** What SAP answers for a created customer. */
  static Customer created(Customer sent, String number) {
    return sent.withCustomerNumber(number)
        .withSapMessages(List.of(new SapMessage("S", "F2", "144", "Customer " + number + " has been created")));
  }

  static Customer sample(String number) {
    return Customer.builder().customerNumber(number).name("Muster GmbH").street("Hauptstrasse")
        .postalCode("69190").city("Walldorf").country("DE").language("de").currency("EUR")
        .salesArea(new SalesArea("1000", "10", "00")).build();
  }

  /** Polls a condition until it holds or the timeout passes; for state with no event to wait on. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    io.ferry.testing.Await.until(what, timeout, condition);
  }

}
