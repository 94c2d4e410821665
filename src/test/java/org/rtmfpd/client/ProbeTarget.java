package org.rtmfpd.client;

import java.io.IOException;
import java.util.List;
import org.rtmfpd.crypto.Certificate;
import org.rtmfpd.crypto.CertificateOptions;
import org.rtmfpd.wire.Option;
import org.rtmfpd.wire.OptionList;

/** Opens the client tests' mini server to tests of other packages (the probe command's). */
public final class ProbeTarget implements AutoCloseable {
    private final UdpMiniServer server;
    private final Certificate certificate;

    private ProbeTarget(Certificate certificate) throws IOException {
        this.certificate = certificate;
        this.server = new UdpMiniServer(certificate);
    }

    /** A server; with {@code badCertificate} its certificate lacks the "accepts ancillary data" option. */
    public static ProbeTarget start(boolean badCertificate) throws IOException {
        Certificate certificate = badCertificate
                ? Certificate.of(OptionList.of(Option.ofVlu(CertificateOptions.SUPPORTED_GROUP, 2),
                        Option.of(CertificateOptions.EXTRA_RANDOMNESS, new byte[64])))
                : Certificate.ephemeral(List.of(org.rtmfpd.crypto.DhGroup.GROUP_2), new byte[64]);
        return new ProbeTarget(certificate);
    }

    public String url(String key) {
        return server.url(key);
    }

    public int port() {
        return server.address().getPort();
    }

    public byte[] fingerprint() {
        return certificate.fingerprint();
    }

    @Override
    public void close() {
        server.close();
    }
}
