package io.ferry.sapsim;

/** Sales organisation, distribution channel and division: the key of KNVV. */
record SalesAreaKey(String salesOrg, String distrChannel, String division) {

  boolean isComplete() {
    return !salesOrg.isBlank() && !distrChannel.isBlank() && !division.isBlank();
  }

  @Override
  public String toString() {
    return salesOrg + "/" + distrChannel + "/" + division;
  }
}
