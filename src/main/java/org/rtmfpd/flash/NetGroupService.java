package org.rtmfpd.flash;

import java.util.List;
import org.rtmfpd.log.LogSafe;
import org.rtmfpd.rendezvous.GroupId;
import org.rtmfpd.rendezvous.PeerId;
import org.rtmfpd.rendezvous.Rendezvous;
import org.rtmfpd.session.SendFlow;
import org.rtmfpd.session.Session;
import org.rtmfpd.wire.WireException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NetGroup bootstrap on GC flows (brief §4.6): turns a join message on a client's GC flow into one
 * {@code 0b <peer ID>} message per member handed out, on the server's own GC flow associated with it,
 * and a member's departure into a referral that keeps the group connected. The client's group state
 * changes only after the rendezvous has accepted the join or leave.
 */
final class NetGroupService {
    private static final Logger LOG = LoggerFactory.getLogger(NetGroupService.class);

    private final Rendezvous<Session> rendezvous;
    private final NetConnectionService.Counter counter;

    NetGroupService(Rendezvous<Session> rendezvous, NetConnectionService.Counter counter) {
        this.rendezvous = rendezvous;
        this.counter = counter;
    }

    void onMessage(Session session, NetConnectionService.Client client, long flowId, FlowMetadata.Gc metadata,
            byte[] message) {
        GroupJoin join;
        try {
            join = GroupJoin.parse(message);
        } catch (WireException e) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("session {}: GC message ignored: {}", Integer.toHexString(session.nearId()),
                        LogSafe.message(e));
            }
            return;
        }
        GroupId group = join.groupId();
        if (client.hasGroups() && client.groupFlows().containsKey(flowId)) {
            return; // one join per flow
        }
        client.groupFlows().put(flowId, group);
        SendFlow reply = client.groupReplies().computeIfAbsent(group, g -> session.openFlow(metadata.toBytes(), flowId));
        java.util.concurrent.CompletionStage<List<PeerId>> handed;
        try {
            handed = rendezvous.join(client.peerId, session, group);
        } catch (RuntimeException e) {
            client.groupFlows().remove(flowId); // no half join: the join sent again is served
            throw e;
        }
        handed.whenComplete((members, failure) -> {
            if (failure != null || !session.isOpen()) {
                return;
            }
            for (PeerId member : members) {
                reply.send(new GroupMember(member).toBytes());
            }
            counter.count("group_join");
            LOG.debug("session {}: joined group {}, given {} members", Integer.toHexString(session.nearId()), group,
                    members.size());
            session.flush();
        });
    }

    /** The client closed its GC flow: it left that group. */
    void onFlowFinished(Session session, NetConnectionService.Client client, long flowId) {
        GroupId group = client.hasGroups() ? client.groupFlows().get(flowId) : null;
        if (group != null) {
            rendezvous.leave(client.peerId, session, group);
            client.groupFlows().remove(flowId);
            SendFlow reply = client.groupReplies().remove(group);
            if (reply != null) {
                reply.close();
            }
        }
    }

    /** Tells {@code recipient} about a member, on its reply flow for {@code group}, if it still has one. */
    void refer(Session recipient, GroupId group, PeerId member) {
        if (recipient.isOpen() && recipient.attachment() instanceof NetConnectionService.Client client) {
            SendFlow reply = client.hasGroups() ? client.groupReplies().get(group) : null;
            if (reply != null) {
                reply.send(new GroupMember(member).toBytes());
                recipient.flush();
            }
        }
    }
}
