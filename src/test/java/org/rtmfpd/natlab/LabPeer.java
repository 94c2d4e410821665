package org.rtmfpd.natlab;

import java.util.List;

/** The test's side of a {@link LabPeerAgent}: a client in a lab host, named, driven by commands. */
final class LabPeer {
    /** How long an answer other than a meeting's may take. */
    static final long ANSWER_MILLIS = 30_000;

    /** A meeting's outcome: met (in {@code millis}, at {@code address}) or not, and why. */
    record Meeting(boolean met, long millis, String detail) {
    }

    private final LabProcess agent;
    final String host;
    final String name;
    private String peerId;

    LabPeer(LabProcess agent, String host, String name) {
        this.agent = agent;
        this.host = host;
        this.name = name;
    }

    /** Opens the client bound to {@code bind} and connects it to {@code url}; {@code report}: setPeerInfo. */
    LabPeer connect(String bind, String url, boolean report) {
        return connect(bind, url, report, 0);
    }

    /** As above, its handshakes trying for {@code openMillis} (0: the agent's default). */
    LabPeer connect(String bind, String url, boolean report, long openMillis) {
        ask("open " + name + " " + bind + (openMillis > 0 ? " " + openMillis : ""), "opened");
        String line = ask("connect " + name + " " + url + " " + (report ? "report" : "silent"), "connected");
        peerId = line.split(" ")[2];
        return this;
    }

    String peerId() {
        return peerId;
    }

    /**
     * Asks the server for an introduction to {@code target} and waits at most {@code millis} for the session.
     * Several meetings of one client may run at once, from different threads.
     */
    Meeting meet(LabPeer target, long millis) {
        agent.send("meet " + name + " " + target.peerId() + " " + millis);
        String about = " " + target.peerId() + " ";
        String line = agent.await(l -> l.startsWith(name + " met" + about) || l.startsWith(name + " failed" + about)
                || l.startsWith(name + " error "), millis + ANSWER_MILLIS);
        String[] w = line.split(" ", 5);
        if (w[1].equals("error")) {
            throw new LabException(host + "/" + name + ": " + line);
        }
        return new Meeting(w[1].equals("met"), Long.parseLong(w[3]), w.length > 4 ? w[4] : "");
    }

    /** Joins the NetGroup {@code groupId} and returns the members the server gave within {@code millis}. */
    List<String> join(String groupId, long millis) {
        String line = ask("join " + name + " " + groupId + " " + millis, "members");
        String list = line.substring((name + " members ").length());
        return List.of(list.split(",")).stream().filter(s -> !s.isEmpty()).toList();
    }

    void close() {
        ask("close " + name, "closed");
    }

    private String ask(String command, String expected) {
        agent.send(command);
        String line = agent.await(l -> l.startsWith(name + " " + expected) || l.startsWith(name + " error "),
                ANSWER_MILLIS);
        if (line.startsWith(name + " error ")) {
            throw new LabException(host + "/" + name + ": " + command + ": " + line);
        }
        return line;
    }
}
