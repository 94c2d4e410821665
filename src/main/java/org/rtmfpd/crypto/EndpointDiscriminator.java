package org.rtmfpd.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.rtmfpd.wire.Option;
import org.rtmfpd.wire.OptionList;
import org.rtmfpd.wire.WireException;

/**
 * An endpoint discriminator (RFC 7425 §4.4): the option list in an IHello that says which endpoint the
 * initiator wants, by fingerprint (peer ID), required hostname, or ancillary data (Flash's connect URL).
 */
public record EndpointDiscriminator(Optional<byte[]> fingerprint, Optional<String> hostname,
                                    Optional<String> ancillaryData) {

    /** Parses an EPD; throws {@link WireException} if it is malformed or names nothing. */
    public static EndpointDiscriminator parse(byte[] epd) {
        OptionList options = OptionList.parse(epd);
        Optional<byte[]> fingerprint = options.first(CertificateOptions.FINGERPRINT).map(Option::value);
        if (fingerprint.isPresent() && fingerprint.get().length != CertificateOptions.FINGERPRINT_LENGTH) {
            throw new WireException("fingerprint EPD of " + fingerprint.get().length + " bytes, expected 32");
        }
        Optional<String> hostname = options.first(CertificateOptions.HOSTNAME).map(o -> text(o.value()));
        Optional<String> ancillary = options.first(CertificateOptions.ANCILLARY_DATA).map(o -> text(o.value()));
        if (fingerprint.isEmpty() && hostname.isEmpty() && ancillary.isEmpty()) {
            throw new WireException("endpoint discriminator names no endpoint");
        }
        return new EndpointDiscriminator(fingerprint, hostname, ancillary);
    }

    /** The canonical EPD of an endpoint, {@code 21 0f <fingerprint>} (RFC 7425 §4.4.4). */
    public static byte[] ofFingerprint(byte[] fingerprint) {
        return OptionList.of(Option.of(CertificateOptions.FINGERPRINT, fingerprint)).toBytes();
    }

    /** The EPD Flash sends to a server: the connect URL as ancillary data (RFC 7425 §4.4.2.2). */
    public static byte[] ofAncillaryData(String url) {
        return OptionList.of(Option.of(CertificateOptions.ANCILLARY_DATA, url.getBytes(StandardCharsets.UTF_8))).toBytes();
    }

    /**
     * Whether an endpoint with this certificate is the one selected (RFC 7425 §4.4.3): a fingerprint
     * alone decides; otherwise a hostname must match and ancillary data needs option 0x0a.
     */
    public boolean selects(Certificate certificate) {
        if (fingerprint.isPresent()) {
            return certificate.hasFingerprint(fingerprint.get());
        }
        if (hostname.isPresent()) {
            Optional<String> own = certificate.options().first(CertificateOptions.HOSTNAME).map(o -> text(o.value()));
            if (own.isEmpty() || !own.get().equals(hostname.get())) {
                return false;
            }
        }
        return ancillaryData.isEmpty() || certificate.acceptsAncillaryData();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
