package org.rtmfpd.flash.amf;

/** Stands for the AMF0 (and AMF3) {@code undefined} value, which Java has no value for. */
public enum Undefined {
    VALUE;

    @Override
    public String toString() {
        return "undefined";
    }
}
