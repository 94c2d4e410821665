package org.rtmfpd.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.rtmfpd.testing.Generators;

/** Turns a valid encoding into a damaged one: a flipped bit, an inserted or deleted byte, a truncation. */
record Mutation(Kind kind, int position, int value) {
    enum Kind { FLIP, SET, INSERT, DELETE, TRUNCATE }

    static Mutation any(Random r) {
        return new Mutation(Generators.pick(r, Kind.class), Generators.intBetween(r, 0, Integer.MAX_VALUE),
                Generators.intBetween(r, 0, 0xff));
    }

    /** One to four mutations. */
    static List<Mutation> some(Random r) {
        return Generators.listOf(r, 1, 4, Mutation::any);
    }

    static byte[] applyAll(byte[] bytes, List<Mutation> mutations) {
        byte[] out = bytes;
        for (Mutation mutation : mutations) {
            out = mutation.apply(out);
        }
        return out;
    }

    byte[] apply(byte[] in) {
        if (in.length == 0 && kind != Kind.INSERT) {
            return in;
        }
        int at = in.length == 0 ? 0 : position % in.length;
        return switch (kind) {
            case FLIP -> {
                byte[] out = in.clone();
                out[at] ^= (byte) (1 << (value % Byte.SIZE));
                yield out;
            }
            case SET -> {
                byte[] out = in.clone();
                out[at] = (byte) value;
                yield out;
            }
            case INSERT -> {
                int where = position % (in.length + 1);
                yield Bytes.concat(Arrays.copyOf(in, where), new byte[] {(byte) value},
                        Arrays.copyOfRange(in, where, in.length));
            }
            case DELETE -> Bytes.concat(Arrays.copyOf(in, at), Arrays.copyOfRange(in, at + 1, in.length));
            case TRUNCATE -> Arrays.copyOf(in, at);
        };
    }
}
