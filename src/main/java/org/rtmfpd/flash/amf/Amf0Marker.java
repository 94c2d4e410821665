package org.rtmfpd.flash.amf;

/**
 * Names the AMF0 type markers that open every encoded value (AMF0 File Format Specification §2.1),
 * including the switch to AMF3 (§3.1).
 */
final class Amf0Marker {
    static final int NUMBER = 0x00;        // §2.2
    static final int BOOLEAN = 0x01;       // §2.3
    static final int STRING = 0x02;        // §2.4
    static final int OBJECT = 0x03;        // §2.5
    static final int NULL = 0x05;          // §2.7
    static final int UNDEFINED = 0x06;     // §2.8
    static final int REFERENCE = 0x07;     // §2.9
    static final int ECMA_ARRAY = 0x08;    // §2.10
    static final int OBJECT_END = 0x09;    // §2.11
    static final int STRICT_ARRAY = 0x0a;  // §2.12
    static final int DATE = 0x0b;          // §2.13
    static final int LONG_STRING = 0x0c;   // §2.14
    static final int TYPED_OBJECT = 0x10;  // §2.18
    static final int AVMPLUS = 0x11;       // §3.1: the next value is AMF3

    /** Longest UTF-8 string a STRING (u16 length) holds; longer ones are LONG_STRINGs (§2.14). */
    static final int MAX_SHORT_STRING = 0xffff;

    private Amf0Marker() {
    }
}
