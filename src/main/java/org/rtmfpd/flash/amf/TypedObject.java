package org.rtmfpd.flash.amf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Holds an AMF0 typed object (§2.18): a class name and its properties, in wire order. */
public record TypedObject(String className, Map<String, Object> properties) {

    public TypedObject {
        if (className == null) {
            throw new IllegalArgumentException("a typed object needs a class name");
        }
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }
}
