package org.rtmfpd.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Turns a valid encoding into a damaged one: a flipped bit, an inserted or deleted byte, a truncation. */
public record Mutation(Kind kind, int position, int value) {
    public enum Kind { FLIP, SET, INSERT, DELETE, TRUNCATE }

    public static Mutation any(Random r) {
        return new Mutation(Generators.pick(r, Kind.class), Generators.intBetween(r, 0, Integer.MAX_VALUE),
                Generators.intBetween(r, 0, 0xff));
    }

    /** One to four mutations. */
    public static List<Mutation> some(Random r) {
        return Generators.listOf(r, 1, 4, Mutation::any);
    }

    public static byte[] applyAll(byte[] bytes, List<Mutation> mutations) {
        byte[] out = bytes;
        for (Mutation mutation : mutations) {
            out = mutation.apply(out);
        }
        return out;
    }

    public byte[] apply(byte[] in) {
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
                byte[] out = new byte[in.length + 1];
                System.arraycopy(in, 0, out, 0, where);
                out[where] = (byte) value;
                System.arraycopy(in, where, out, where + 1, in.length - where);
                yield out;
            }
            case DELETE -> {
                byte[] out = new byte[in.length - 1];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(in, at + 1, out, at, in.length - at - 1);
                yield out;
            }
            case TRUNCATE -> Arrays.copyOf(in, at);
        };
    }
}
