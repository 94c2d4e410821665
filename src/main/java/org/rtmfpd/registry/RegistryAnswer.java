package org.rtmfpd.registry;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.rtmfpd.rendezvous.PeerId;

/**
 * One HTTP answer of the name registry, before it meets Netty: status, content type and body, and the
 * events it counts. The XML answers are those of the Stratus sample's {@code reg.cgi}, in the shape its
 * {@code HttpIdManager.as} parses (Flex {@code HTTPService}, result format "object"):
 * <pre>
 * &lt;?xml version="1.0" encoding="utf-8"?&gt;
 * &lt;result&gt;&lt;update&gt;true&lt;/update&gt;&lt;/result&gt;
 * &lt;?xml version="1.0" encoding="utf-8"?&gt;
 * &lt;result&gt;&lt;friend&gt;&lt;user&gt;U&lt;/user&gt;&lt;identity&gt;PEERID&lt;/identity&gt;&lt;/friend&gt;&lt;/result&gt;
 * </pre>
 * each followed by a newline; a friend that is not registered has no {@code identity} element.
 *
 * @param status      the HTTP status code
 * @param contentType the Content-Type
 * @param body        the body, UTF-8
 * @param events      what to count
 * @param refusal     a short reason for the {@code X-Rtmfpd-Refused} header when a register is answered
 *                    {@code false}
 */
public record RegistryAnswer(int status, String contentType, String body, List<RegistryEvent> events,
        Optional<String> refusal) {
    public static final String XML = "text/xml; charset=utf-8";
    public static final String TEXT = "text/plain; charset=utf-8";
    public static final String HTML = "text/html; charset=utf-8";
    public static final String POLICY = "text/x-cross-domain-policy";
    static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

    public RegistryAnswer {
        events = List.copyOf(events);
    }

    /** A 4xx or 5xx answer with a one-line text body that says what to do. */
    public static RegistryAnswer error(int status, RegistryEvent event, String message) {
        return new RegistryAnswer(status, TEXT, "rtmfpd name registry: " + message + "\n", List.of(event),
                Optional.empty());
    }

    public byte[] bodyBytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code update} element of a register, refresh or unregister answer. */
    static String update(boolean done) {
        return "<update>" + done + "</update>";
    }

    /** The {@code friend} element of a look-up answer: the name as asked, and the peer ID if registered. */
    static String friend(String asked, Optional<PeerId> peer) {
        StringBuilder out = new StringBuilder("<friend><user>").append(escape(asked)).append("</user>");
        peer.ifPresent(p -> out.append("<identity>").append(p.toHex()).append("</identity>"));
        return out.append("</friend>").toString();
    }

    /** A whole XML answer around {@code elements}. */
    static String result(CharSequence elements) {
        return DECLARATION + "<result>" + elements + "</result>\n";
    }

    /** Escapes text for an XML element (the names are checked free of characters XML cannot hold). */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
