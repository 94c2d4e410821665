package org.rtmfpd.flash.amf;

/**
 * Holds an AMF0 date (§2.13): milliseconds since the Unix epoch, in UTC, as a double. The time
 * zone field that follows on the wire is reserved and always written as zero.
 */
public record AmfDate(double epochMillis) {
}
