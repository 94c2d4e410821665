package org.rtmfpd.flash.amf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Holds an AMF0 ECMA array (§2.10): string keys to values, in wire order. It differs from an
 * anonymous object only in its marker and its count hint, which is why it has its own type.
 */
public record EcmaArray(Map<String, Object> entries) {

    public EcmaArray {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }
}
