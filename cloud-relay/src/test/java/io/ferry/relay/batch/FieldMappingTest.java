package io.ferry.relay.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.protocol.Problem.FieldError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldMappingTest {

  @Test
  void pairsMapSourcesToCanonicalFieldPaths() {
    FieldMapping m = FieldMapping.parse("Account Name:name, Zip:postalcode,Sales Org:salesOrganization,"
        + "Div:salesArea.division", BatchMode.INSERT);
    assertThat(m.targets()).containsExactly(Map.entry("Account Name", "name"), Map.entry("Zip", "postalCode"),
        Map.entry("Sales Org", "salesArea.salesOrganization"), Map.entry("Div", "salesArea.division"));
    assertThat(m.targetOf("account name")).contains("name");
  }

  @Test
  void aSourceMayHoldColonsAndQuotedCommas() {
    FieldMapping m = FieldMapping.parse("crm:id:externalId,\"Name, first\":name,\"say \"\"x\"\"\":city",
        BatchMode.INSERT);
    assertThat(m.targets()).containsExactly(Map.entry("crm:id", "externalId"), Map.entry("Name, first", "name"),
        Map.entry("say \"x\"", "city"));
  }

  @Test
  void unknownTargetsAreRefusedNamingEach() {
    assertThatThrownBy(() -> FieldMapping.parse("Zip:postcode,A:name,B:owner", BatchMode.INSERT))
        .isInstanceOfSatisfying(BatchRefused.class, e -> {
          assertThat(e.kind()).isEqualTo(BatchRefused.Kind.INVALID_MAPPING);
          assertThat(e.detail()).contains("postcode, owner");
          assertThat(e.errors()).extracting(FieldError::field).containsOnly("mapping");
          assertThat(e.errors()).hasSize(2);
        });
  }

  @Test
  void customerNumberIsATargetOfUpdateBatchesOnly() {
    assertThat(FieldMapping.parse("Kunde:customerNumber", BatchMode.UPDATE).targets())
        .containsEntry("Kunde", "customerNumber");
    assertThatThrownBy(() -> FieldMapping.parse("Kunde:customerNumber", BatchMode.INSERT))
        .isInstanceOf(BatchRefused.class).hasMessageContaining("only an update batch");
  }

  @Test
  void malformedEntriesAreRefused() {
    for (String bad : new String[] {"Zip", ":name", "A:name,B:name", "A:name,A:city", "\"A:name", ",", " "}) {
      assertThatThrownBy(() -> FieldMapping.parse(bad, BatchMode.INSERT)).as(bad).isInstanceOf(BatchRefused.class);
    }
    assertThat(FieldMapping.parse(null, BatchMode.INSERT).isEmpty()).isTrue();
  }
}
