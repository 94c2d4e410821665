package org.rtmfpd.wire;

import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Turns a decoded value into what it holds that came from the input: bytes in arrays and addresses, and
 * elements in lists. A decoder that produces more of either than its input had bytes made something up.
 */
record DecodedSize(long bytes, long elements) {

    static DecodedSize of(Object value) {
        if (value instanceof byte[] array) {
            return new DecodedSize(array.length, 0);
        }
        if (value instanceof PeerAddress address) {
            return new DecodedSize(address.size(), 0);
        }
        if (value instanceof List<?> list) {
            DecodedSize sum = new DecodedSize(0, list.size());
            for (Object element : list) {
                sum = sum.plus(of(element));
            }
            return sum;
        }
        if (value instanceof Record record) {
            DecodedSize sum = new DecodedSize(0, 0);
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                sum = sum.plus(of(read(component, record)));
            }
            return sum;
        }
        return new DecodedSize(0, 0);
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            component.getAccessor().setAccessible(true);
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private DecodedSize plus(DecodedSize other) {
        return new DecodedSize(bytes + other.bytes, elements + other.elements);
    }
}
