package org.rtmfpd.client;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One NetGroup this client joined through the server, and the member peer IDs the server sent for it
 * ({@code 0b <32-byte peer ID>} messages on the server's GC flow). Safe to read from any thread.
 */
public final class GroupMembership {
    private final byte[] groupId;
    private final List<byte[]> members = new CopyOnWriteArrayList<>();

    GroupMembership(byte[] groupId) {
        this.groupId = groupId.clone();
    }

    public byte[] groupId() {
        return groupId.clone();
    }

    /** The member peer IDs received so far, in arrival order, without repeats. */
    public List<byte[]> members() {
        List<byte[]> copy = new ArrayList<>();
        for (byte[] member : members) {
            copy.add(member.clone());
        }
        return copy;
    }

    /** Records a member; returns false if it was already known. */
    boolean add(byte[] peerId) {
        for (byte[] known : members) {
            if (java.util.Arrays.equals(known, peerId)) {
                return false;
            }
        }
        members.add(peerId.clone());
        return true;
    }

    @Override
    public String toString() {
        return "GroupMembership[" + HexFormat.of().formatHex(groupId) + ", " + members.size() + " members]";
    }
}
