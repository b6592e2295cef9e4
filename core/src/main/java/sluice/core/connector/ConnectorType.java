package sluice.core.connector;

/** Who is on the other side of a connector. */
public enum ConnectorType {
    /** A business partner or service provider. */
    PARTNER,
    /** The organization's own servers, devices and applications. */
    ON_PREMISES
}
