package org.rtmfpd.nat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the NAT check page ({@code /check} on the registry's HTTP listener; docs/nat.md): one HTML
 * file with no outside resources, whose script asks the browser's WebRTC stack to gather server
 * reflexive candidates from this server's STUN addresses from one local socket, and shows the verdict
 * of the matching case. The verdicts are {@link NatVerdict}'s, computed here for every case a browser
 * can tell apart, so the page and {@code rtmfpd probe --nat} say the same words.
 */
public final class CheckPage {
    /** What a browser cannot tell: it cannot ask for CHANGE-REQUEST, so filtering is never known. */
    static final String BROWSER_FILTERING = "a browser cannot ask the server to answer from another address: run rtmfpd"
            + " probe --nat";

    private CheckPage() {
    }

    /** The page for a server whose first STUN endpoints are {@code endpoints}. */
    public static String render(StunEndpoints endpoints) {
        return TEMPLATE.replace("/*CONFIG*/", config(endpoints)).replace("/*VERDICTS*/", verdicts());
    }

    /** The STUN addresses as the script needs them; a wildcard host is left to the page's own host name. */
    static String config(StunEndpoints endpoints) {
        InetSocketAddress primary = endpoints.primary();
        String host = primary.getAddress().isAnyLocalAddress() ? "null" : quote(primary.getAddress().getHostAddress());
        String alternate = endpoints.alternate().map(a -> "{\"ip\":" + quote(a.getAddress().getHostAddress())
                + ",\"port\":" + a.getPort() + "}").orElse("null");
        return "{\"host\":" + host + ",\"port\":" + primary.getPort() + ",\"alternate\":" + alternate + "}";
    }

    /** The verdict of each case the page can end in, as JSON: lines and summary. */
    static String verdicts() {
        Map<String, NatVerdict> cases = new LinkedHashMap<>();
        Optional<NatBehaviour> none = Optional.empty();
        cases.put("unreachable", new NatVerdict(false, Optional.empty(), none, "no answer from the server's port", none,
                "no answer from the server's port", Optional.empty()));
        cases.put("no-nat", new NatVerdict(true, Optional.of(false), Optional.of(NatBehaviour.ENDPOINT_INDEPENDENT), "",
                none, BROWSER_FILTERING, Optional.empty()));
        for (NatBehaviour m : NatBehaviour.values()) {
            cases.put(m.asMapping(), new NatVerdict(true, Optional.of(true), Optional.of(m), "", none, BROWSER_FILTERING,
                    Optional.empty()));
        }
        cases.put("no-alternate", new NatVerdict(true, Optional.of(true), none, NatClassifier.NO_ALTERNATE, none,
                BROWSER_FILTERING, Optional.empty()));
        cases.put("lost", new NatVerdict(true, Optional.of(true), none, NatClassifier.NO_ALTERNATE_ANSWER, none,
                BROWSER_FILTERING, Optional.empty()));
        List<String> entries = new ArrayList<>();
        cases.forEach((name, v) -> {
            List<String> lines = v.lines().stream().map(CheckPage::quote).toList();
            entries.add(quote(name) + ":{\"lines\":[" + String.join(",", lines) + "],\"summary\":" + quote(v.summary()) + "}");
        });
        return "{" + String.join(",", entries) + "}";
    }

    /** A JSON string that is also safe inside a script element. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static final String TEMPLATE = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>rtmfpd: can this network reach peers directly?</title>
            <style>
            body{font:16px/1.45 system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;color:#222}
            h1{font-size:1.4em} #summary{font-size:1.15em;padding:.8em 1em;border-left:6px solid #888;background:#f4f4f4}
            body[data-p2p="expected"] #summary{border-color:#2a7}
            body[data-p2p="not expected"] #summary{border-color:#c33}
            pre{background:#f8f8f8;padding:.8em;white-space:pre-wrap} small{color:#666}
            </style></head>
            <body data-state="running">
            <h1>Can this network reach peers directly?</h1>
            <p id="summary">Checking: asking the server's STUN addresses through your browser (WebRTC)&hellip;</p>
            <pre id="verdict"></pre>
            <p><small id="detail"></small></p>
            <p><small>This page sends a few UDP packets to this server only, and nothing elsewhere. A browser tells
            UDP reachability and how the NAT maps; for the filtering as well, run <code>rtmfpd probe --nat</code>.</small></p>
            <script>
            "use strict";
            const config = /*CONFIG*/;
            const verdicts = /*VERDICTS*/;
            const host = config.host || location.hostname.replace(/^\\[|\\]$/g, "");
            const url = (h, p) => "stun:" + (h.indexOf(":") >= 0 ? "[" + h + "]" : h) + ":" + p;
            const servers = [url(host, config.port)];
            if (config.alternate) {
              servers.push(url(config.alternate.ip, config.port), url(config.alternate.ip, config.alternate.port));
            }
            const mapped = new Map();
            const failed = new Set();
            let hosts = 0;
            function show(name, detail) {
              const v = verdicts[name];
              document.getElementById("verdict").textContent = v.lines.join("\\n");
              document.getElementById("summary").textContent = v.summary;
              document.getElementById("detail").textContent = detail;
              const p2p = v.lines[v.lines.length - 1].replace(/^[^:]*: /, "");
              document.body.setAttribute("data-p2p", p2p);
              document.body.setAttribute("data-case", name);
              document.body.setAttribute("data-state", "done");
            }
            function decide() {
              const answered = servers.length - failed.size;
              let distinct = 0, base = "";
              for (const [b, set] of mapped) { if (set.size > distinct) { distinct = set.size; base = b; } }
              const detail = "STUN servers: " + servers.join(", ") + "; without answer: " + (failed.size ? [...failed].join(", ") : "none")
                + "; mapped addresses" + (base ? " of " + base : "") + ": " + (distinct ? [...mapped.get(base)].join(", ") : "none (the same as the local address)");
              if (answered === 0 || (failed.has(servers[0]) && distinct === 0)) { show("unreachable", detail); return; }
              if (distinct === 0) { show("no-nat", detail); return; }
              if (!config.alternate) { show("no-alternate", detail); return; }
              if (distinct >= 3) { show("APDM", detail); return; }
              if (failed.size > 0) { show("lost", detail); return; }
              show(distinct === 1 ? "EIM" : "ADM", detail);
            }
            async function run() {
              let pc;
              try {
                pc = new RTCPeerConnection({iceServers: [{urls: servers}], iceCandidatePoolSize: 0});
              } catch (e) {
                document.getElementById("summary").textContent = "This browser has no WebRTC (" + e + "): it cannot run the check.";
                document.body.setAttribute("data-state", "failed");
                return;
              }
              pc.onicecandidateerror = e => { if (e.url) { failed.add(e.url.replace(/\\?.*$/, "")); } };
              pc.onicecandidate = e => {
                const c = e.candidate;
                if (!c) { pc.close(); decide(); return; }
                if (c.type === "host") { hosts++; }
                if (c.type === "srflx") {
                  const b = (c.relatedAddress || "?") + ":" + (c.relatedPort || "?");
                  if (!mapped.has(b)) { mapped.set(b, new Set()); }
                  mapped.get(b).add(c.address + ":" + c.port);
                }
              };
              pc.createDataChannel("check");
              await pc.setLocalDescription(await pc.createOffer());
            }
            run();
            </script>
            </body></html>
            """;
}
