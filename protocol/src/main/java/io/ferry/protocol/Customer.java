package io.ferry.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The one customer model both SAP backends map to. Engines send it; answers add {@code customerNumber}
 * and {@code sapMessages}. Absent fields are omitted from JSON, never written as null, because typed
 * fields in Power Automate break on nulls. Text is kept in Unicode normalisation form C whatever form it
 * came in, so what reaches SAP is what {@link CustomerRules} measured.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Customer(
    String customerNumber,
    String externalId,
    String name,
    String name2,
    String street,
    String houseNumber,
    String postalCode,
    String city,
    String region,
    String country,
    String language,
    String currency,
    String email,
    String phone,
    SalesArea salesArea,
    String companyCode,
    String referenceCustomer,
    List<SapMessage> sapMessages) {

  public Customer {
    externalId = TextRules.nfc(externalId);
    name = TextRules.nfc(name);
    name2 = TextRules.nfc(name2);
    street = TextRules.nfc(street);
    houseNumber = TextRules.nfc(houseNumber);
    postalCode = TextRules.nfc(postalCode);
    city = TextRules.nfc(city);
    region = TextRules.nfc(region);
    email = TextRules.nfc(email);
    phone = TextRules.nfc(phone);
    sapMessages = sapMessages == null ? List.of() : List.copyOf(sapMessages);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  public Customer withCustomerNumber(String number) {
    return toBuilder().customerNumber(number).build();
  }

  public Customer withSapMessages(List<SapMessage> messages) {
    return toBuilder().sapMessages(messages).build();
  }

  /** Builder, because eighteen positional arguments invite mistakes. */
  public static final class Builder {
    private String customerNumber;
    private String externalId;
    private String name;
    private String name2;
    private String street;
    private String houseNumber;
    private String postalCode;
    private String city;
    private String region;
    private String country;
    private String language;
    private String currency;
    private String email;
    private String phone;
    private SalesArea salesArea;
    private String companyCode;
    private String referenceCustomer;
    private List<SapMessage> sapMessages = List.of();

    private Builder() {}

    private Builder(Customer c) {
      customerNumber = c.customerNumber;
      externalId = c.externalId;
      name = c.name;
      name2 = c.name2;
      street = c.street;
      houseNumber = c.houseNumber;
      postalCode = c.postalCode;
      city = c.city;
      region = c.region;
      country = c.country;
      language = c.language;
      currency = c.currency;
      email = c.email;
      phone = c.phone;
      salesArea = c.salesArea;
      companyCode = c.companyCode;
      referenceCustomer = c.referenceCustomer;
      sapMessages = c.sapMessages;
    }

    public Builder customerNumber(String v) { customerNumber = v; return this; }
    public Builder externalId(String v) { externalId = v; return this; }
    public Builder name(String v) { name = v; return this; }
    public Builder name2(String v) { name2 = v; return this; }
    public Builder street(String v) { street = v; return this; }
    public Builder houseNumber(String v) { houseNumber = v; return this; }
    public Builder postalCode(String v) { postalCode = v; return this; }
    public Builder city(String v) { city = v; return this; }
    public Builder region(String v) { region = v; return this; }
    public Builder country(String v) { country = v; return this; }
    public Builder language(String v) { language = v; return this; }
    public Builder currency(String v) { currency = v; return this; }
    public Builder email(String v) { email = v; return this; }
    public Builder phone(String v) { phone = v; return this; }
    public Builder salesArea(SalesArea v) { salesArea = v; return this; }
    public Builder companyCode(String v) { companyCode = v; return this; }
    public Builder referenceCustomer(String v) { referenceCustomer = v; return this; }
    public Builder sapMessages(List<SapMessage> v) { sapMessages = v; return this; }

    public Customer build() {
      return new Customer(customerNumber, externalId, name, name2, street, houseNumber, postalCode, city,
          region, country, language, currency, email, phone, salesArea, companyCode, referenceCustomer,
          sapMessages);
    }
  }
}
