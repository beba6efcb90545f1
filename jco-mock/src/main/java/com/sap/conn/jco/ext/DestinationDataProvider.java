package com.sap.conn.jco.ext;

import java.util.Properties;

/**
 * Supplies the properties of a destination by name. The application implements it and registers
 * one instance per process with {@link Environment#registerDestinationDataProvider}.
 */
public interface DestinationDataProvider {

  String JCO_ASHOST = "jco.client.ashost";
  String JCO_SYSNR = "jco.client.sysnr";
  String JCO_CLIENT = "jco.client.client";
  String JCO_USER = "jco.client.user";
  String JCO_PASSWD = "jco.client.passwd";
  String JCO_LANG = "jco.client.lang";
  String JCO_MSHOST = "jco.client.mshost";
  String JCO_MSSERV = "jco.client.msserv";
  String JCO_R3NAME = "jco.client.r3name";
  String JCO_GROUP = "jco.client.group";
  String JCO_SAPROUTER = "jco.client.saprouter";
  String JCO_SNC_MODE = "jco.client.snc_mode";
  String JCO_SNC_PARTNERNAME = "jco.client.snc_partnername";
  String JCO_SNC_QOP = "jco.client.snc_qop";
  String JCO_POOL_CAPACITY = "jco.destination.pool_capacity";
  String JCO_PEAK_LIMIT = "jco.destination.peak_limit";
  String JCO_EXPIRATION_TIME = "jco.destination.expiration_time";
  String JCO_MAX_GET_TIME = "jco.destination.max_get_client_time";

  /** The destination's properties, or {@code null} when the provider does not know the name. */
  Properties getDestinationProperties(String destinationName);

  /** Whether the provider tells JCo about changed or deleted destinations. */
  boolean supportsEvents();

  void setDestinationDataEventListener(DestinationDataEventListener eventListener);
}
