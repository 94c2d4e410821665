package org.rtmfpd.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of {@link RedisClusterStore}: each read-then-write of the store is one script, so
 * that it is atomic in Redis. Every script starts with {@link #COMMON}; the data model they share is
 * described in {@link RedisClusterStore}.
 *
 * <p>Arguments common to all: {@code KEYS[1]} = {@code <P>:nodes} (it routes the call to the one slot
 * of the namespace on Redis Cluster), {@code ARGV[1]} = the key prefix {@code <P>} (such as
 * {@code {rtmfpd}}), {@code ARGV[2]} = now (ms, from the caller's clock), {@code ARGV[3]} = the node
 * lifetime (ms), {@code ARGV[4]} = the TTL of every key (ms). A script's own arguments start at
 * {@code ARGV[5]}.
 */
final class RedisScripts {
    private RedisScripts() {
    }

    /** Score of a group member: join sequence × 2^14 + the member's cap (cap < 2^14). */
    static final int CAP_BITS_MULTIPLIER = 16384;

    static final String COMMON = """
            local P = ARGV[1]
            local NOW = tonumber(ARGV[2])
            local LIFE = tonumber(ARGV[3])
            local TTL = tonumber(ARGV[4])
            local K_NODES = P .. ':nodes'
            local K_NODEINFO = P .. ':nodeinfo'
            local K_PEERS = P .. ':peers'
            local K_KEYPEERS = P .. ':keypeers'
            local K_PEERGROUPS = P .. ':peergroups'
            local K_SEQ = P .. ':seq'
            local CAPM = 16384

            local alive_cache = {}
            local function alive(node)
              local c = alive_cache[node]
              if c == nil then
                local s = redis.call('ZSCORE', K_NODES, node)
                c = false
                if s and NOW - tonumber(s) <= LIFE then c = true end
                alive_cache[node] = c
              end
              return c
            end
            local function parse(rec)
              return string.match(rec, '^([^|]*)|([^|]*)|')
            end
            -- the record, key hash and node of a peer whose node is alive; nil otherwise
            local function live(peer)
              local rec = redis.call('HGET', K_PEERS, peer)
              if not rec then return nil end
              local kh, node = parse(rec)
              if not alive(node) then return nil end
              return rec, kh, node
            end
            local function split(s)
              local t = {}
              if s then for x in string.gmatch(s, '[^,]+') do t[#t + 1] = x end end
              return t
            end
            local function without(list, item)
              local t = {}
              for _, x in ipairs(list) do if x ~= item then t[#t + 1] = x end end
              return t
            end
            local function hsetlist(key, field, list)
              if #list == 0 then redis.call('HDEL', key, field)
              else redis.call('HSET', key, field, table.concat(list, ',')) end
            end
            local function touch(key) redis.call('PEXPIRE', key, TTL) end
            local function touchShared()
              touch(K_NODES); touch(K_NODEINFO); touch(K_PEERS); touch(K_KEYPEERS)
              touch(K_PEERGROUPS); touch(K_SEQ)
            end
            local function groupKey(gk) return P .. ':group:' .. gk end
            local function window(cap) return math.max(1, cap - 1) end

            -- removes peer (held by node) from group gk; answers the referral that repairs it, or nil
            local function leaveGroup(gk, peer, node)
              local key = groupKey(gk)
              local rank = redis.call('ZRANK', key, peer)
              if not rank then return nil end
              local fol = redis.call('ZRANGE', key, rank + 1, rank + 1, 'WITHSCORES')
              redis.call('ZREM', key, peer)
              local ng = P .. ':nodegroups:' .. node
              if redis.call('HINCRBY', ng, gk, -1) <= 0 then redis.call('HDEL', ng, gk) end
              if rank == 0 or #fol == 0 then return nil end
              local follower = fol[1]
              local frec, fkh, fnode = live(follower)
              if not frec then return nil end
              local t = math.max(0, rank - window(math.fmod(tonumber(fol[2]), CAPM)))
              local stop = math.max(0, t - 64)
              while t >= stop do
                local m = redis.call('ZRANGE', key, t, t)[1]
                if m and live(m) then
                  local kh, ghex = string.match(gk, '^([^:]*):(.*)$')
                  return {kh, ghex, follower, fnode, m}
                end
                t = t - 1
              end
              return nil
            end

            -- removes a peer's record and group places; answers the referrals
            local function removePeer(peer, rec)
              local kh, node = parse(rec)
              redis.call('HDEL', K_PEERS, peer)
              redis.call('SREM', P .. ':nodepeers:' .. node, peer)
              local kn = kh .. '|' .. node
              if redis.call('HINCRBY', K_KEYPEERS, kn, -1) <= 0 then redis.call('HDEL', K_KEYPEERS, kn) end
              local refs = {}
              for _, gk in ipairs(split(redis.call('HGET', K_PEERGROUPS, peer))) do
                local r = leaveGroup(gk, peer, node)
                if r then refs[#refs + 1] = r end
              end
              redis.call('HDEL', K_PEERGROUPS, peer)
              return refs
            end

            -- removes up to budget peers of a dead node, adding their referrals to refs; once its last
            -- peer is gone, the node itself. Answers the budget left and whether the node is gone.
            local function removeSome(node, refs, budget)
              local np = P .. ':nodepeers:' .. node
              local batch = redis.call('SPOP', np, budget)
              for _, peer in ipairs(batch) do
                local rec = redis.call('HGET', K_PEERS, peer)
                if rec then
                  local _, rnode = parse(rec)
                  if rnode == node then
                    for _, r in ipairs(removePeer(peer, rec)) do refs[#refs + 1] = r end
                  end
                end
              end
              budget = budget - #batch
              if redis.call('SCARD', np) > 0 then return budget, false end
              redis.call('DEL', np, P .. ':nodegroups:' .. node)
              redis.call('ZREM', K_NODES, node)
              redis.call('HDEL', K_NODEINFO, node)
              return budget, true
            end
            local function stillValid(refs)
              local out = {}
              for _, r in ipairs(refs) do
                local rec, _, rnode = live(r[3])
                if rec and rnode == r[4] and live(r[5]) then out[#out + 1] = r end
              end
              return out
            end
            """;

    /**
     * ARGV[5] node, ARGV[6] {@code advertise (comma list)|sessions|max sessions|1 if draining}: the node
     * is alive now, with this load. Answers {{node, its info} for each live node, 1 if
     * the node was dead (unheard of for a lifetime, or unknown: the others may have swept its peers)}.
     */
    static final String HEARTBEAT = """
            local node = ARGV[5]
            local prev = redis.call('ZSCORE', K_NODES, node)
            local lapsed = 0
            if not prev or NOW - tonumber(prev) > LIFE then lapsed = 1 end
            redis.call('ZADD', K_NODES, NOW, node)
            redis.call('HSET', K_NODEINFO, node, ARGV[6])
            touchShared()
            -- every listed node's own keys, dead ones too: they must outlive the node until a sweep
            -- removes it, or its records in the shared keys would be left with no index
            for _, n in ipairs(redis.call('ZRANGE', K_NODES, 0, -1)) do
              touch(P .. ':nodepeers:' .. n)
              touch(P .. ':nodegroups:' .. n)
            end
            -- the groups this node has members in
            for _, gk in ipairs(redis.call('HKEYS', P .. ':nodegroups:' .. node)) do touch(groupKey(gk)) end
            local live = {}
            for _, n in ipairs(redis.call('ZRANGEBYSCORE', K_NODES, NOW - LIFE, '+inf')) do
              live[#live + 1] = n
              live[#live + 1] = redis.call('HGET', K_NODEINFO, n) or ''
            end
            return {live, lapsed}
            """;

    /**
     * ARGV[5] peer, ARGV[6] key hash, ARGV[7] node, ARGV[8] addresses, ARGV[9] max sessions. Answers
     * {'MAX_SESSIONS'} or {status, old record or '', referrals}.
     */
    static final String ADMIT = """
            local peer, kh, node, addrs, max = ARGV[5], ARGV[6], ARGV[7], ARGV[8], tonumber(ARGV[9])
            if not alive(node) then
              return redis.error_reply('NODE_NOT_ALIVE node ' .. node .. ' has no live heartbeat')
            end
            local old = redis.call('HGET', K_PEERS, peer)
            local oldLive, okh = false, nil
            if old then
              local onode
              okh, onode = parse(old)
              oldLive = alive(onode)
            end
            local count = 0
            for _, n in ipairs(redis.call('ZRANGEBYSCORE', K_NODES, NOW - LIFE, '+inf')) do
              count = count + tonumber(redis.call('HGET', K_KEYPEERS, kh .. '|' .. n) or '0')
            end
            if oldLive and okh == kh then count = count - 1 end
            if count >= max then return {'MAX_SESSIONS'} end
            local refs = {}
            local status = 'REGISTERED'
            if old then
              refs = removePeer(peer, old)
              if oldLive then status = 'REPLACED' end
            end
            redis.call('HSET', K_PEERS, peer, kh .. '|' .. node .. '|' .. addrs)
            local np = P .. ':nodepeers:' .. node
            redis.call('SADD', np, peer)
            redis.call('HINCRBY', K_KEYPEERS, kh .. '|' .. node, 1)
            touch(np)
            touchShared()
            return {status, old or '', stillValid(refs)}
            """;

    /** ARGV[5] peer, ARGV[6] node, ARGV[7] addresses. Answers 1 if updated. */
    static final String UPDATE = """
            local peer, node = ARGV[5], ARGV[6]
            local rec = redis.call('HGET', K_PEERS, peer)
            if not rec then return 0 end
            local kh, rnode = parse(rec)
            if rnode ~= node then return 0 end
            redis.call('HSET', K_PEERS, peer, kh .. '|' .. node .. '|' .. ARGV[7])
            touchShared()
            return 1
            """;

    /** ARGV[5] peer, ARGV[6] node. Answers the referrals. */
    static final String REMOVE = """
            local peer, node = ARGV[5], ARGV[6]
            local rec = redis.call('HGET', K_PEERS, peer)
            if not rec then return {} end
            local _, rnode = parse(rec)
            if rnode ~= node then return {} end
            local refs = stillValid(removePeer(peer, rec))
            touchShared()
            return refs
            """;

    /**
     * ARGV[5] key hash, ARGV[6] target, ARGV[7] the asking node, ARGV[8] the ask (bytes): publishes the
     * ask to the inbox of the target's node if the target is live, of the key, on another node. Answers
     * {'REFUSED', reason} or {'ROUTED', target record}.
     */
    static final String ROUTE = """
            local kh, target, node = ARGV[5], ARGV[6], ARGV[7]
            local rec, tkh, tnode = live(target)
            if not rec or tnode == node then return {'REFUSED', 'UNKNOWN_TARGET'} end
            if tkh ~= kh then return {'REFUSED', 'OTHER_DEVELOPER_KEY'} end
            redis.call('PUBLISH', P .. ':inbox:' .. tnode, ARGV[8])
            return {'ROUTED', rec}
            """;

    /** ARGV[5] peer. Answers its record if it is live, or false. */
    static final String FIND = """
            local rec = live(ARGV[5])
            if not rec then return false end
            return rec
            """;

    /**
     * ARGV[5] key hash, ARGV[6] group hex, ARGV[7] peer, ARGV[8] node, ARGV[9] cap, ARGV[10] max groups
     * per peer, ARGV[11] a random number in [0, 1). Answers the member IDs to hand, newest first.
     */
    static final String JOIN = """
            local kh, ghex, peer, node = ARGV[5], ARGV[6], ARGV[7], ARGV[8]
            local cap, maxGroups, rnd = tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11])
            local rec, rkh, rnode = live(peer)
            if not rec or rnode ~= node or rkh ~= kh then return {} end
            local gk = kh .. ':' .. ghex
            local key = groupKey(gk)
            local already = redis.call('ZSCORE', key, peer)
            local mine = split(redis.call('HGET', K_PEERGROUPS, peer))
            if not already and #mine >= maxGroups then return {} end

            -- live others, newest first, until more than cap are found
            local n = redis.call('ZCARD', key)
            local got, ranks = {}, {}
            local idx = n - 1
            while idx >= 0 and #got <= cap do
              local lo = math.max(0, idx - 31)
              local chunk = redis.call('ZRANGE', key, lo, idx)
              for j = #chunk, 1, -1 do
                local m = chunk[j]
                if m ~= peer and live(m) then
                  got[#got + 1] = m
                  ranks[#ranks + 1] = lo + j - 1
                  if #got > cap then break end
                end
              end
              idx = lo - 1
            end
            local out = got
            if #got > cap then
              local w = window(cap)
              out = {}
              for i = 1, w do out[i] = got[i] end
              if cap >= 2 then
                -- one of the older members (ranks below the w-th newest) at random: the live one
                -- nearest below the drawn rank, else the nearest above it
                local bound = ranks[w]
                local r = math.min(bound - 1, math.floor(rnd * bound))
                local pick = nil
                local t = r
                while t >= 0 and not pick do
                  local m = redis.call('ZRANGE', key, t, t)[1]
                  if m ~= peer and live(m) then pick = m end
                  t = t - 1
                end
                t = r + 1
                while t < bound and not pick do
                  local m = redis.call('ZRANGE', key, t, t)[1]
                  if m ~= peer and live(m) then pick = m end
                  t = t + 1
                end
                if pick then out[#out + 1] = pick end
              end
            end

            if not already then
              local seq = redis.call('INCR', K_SEQ)
              redis.call('ZADD', key, string.format('%d', seq * CAPM + cap), peer)
              mine[#mine + 1] = gk
              hsetlist(K_PEERGROUPS, peer, mine)
              local ng = P .. ':nodegroups:' .. node
              redis.call('HINCRBY', ng, gk, 1)
              touch(ng)
            end
            touch(key)
            touchShared()
            return out
            """;

    /** ARGV[5] key hash, ARGV[6] group hex, ARGV[7] peer, ARGV[8] node. Answers {} or {referral}. */
    static final String LEAVE = """
            local kh, ghex, peer, node = ARGV[5], ARGV[6], ARGV[7], ARGV[8]
            local rec = redis.call('HGET', K_PEERS, peer)
            if not rec then return {} end
            local rkh, rnode = parse(rec)
            if rnode ~= node or rkh ~= kh then return {} end
            local gk = kh .. ':' .. ghex
            local mine = split(redis.call('HGET', K_PEERGROUPS, peer))
            local kept = without(mine, gk)
            if #kept == #mine then return {} end
            hsetlist(K_PEERGROUPS, peer, kept)
            local r = leaveGroup(gk, peer, node)
            touchShared()
            if r then return {r} end
            return {}
            """;

    /**
     * ARGV[5] the most peers to remove: removes the nodes whose heartbeat is older than the lifetime, and
     * their peers. Answers {1 if dead peers are left for another call or 0, referrals}.
     */
    static final String SWEEP = """
            local refs, budget, more = {}, tonumber(ARGV[5]), 0
            for _, node in ipairs(redis.call('ZRANGEBYSCORE', K_NODES, '-inf', '(' .. (NOW - LIFE))) do
              if budget <= 0 then more = 1; break end
              local gone
              budget, gone = removeSome(node, refs, budget)
              if not gone then more = 1 end
            end
            touchShared()
            return {more, stillValid(refs)}
            """;

    /**
     * ARGV[5] node, ARGV[6] the most peers to remove: the node is stopping (or publishing its state
     * again). It is marked dead at once (heartbeat 0), so that its peers are gone for every call, and a
     * sweep finishes what is left if the caller stops. Answers {1 if peers are left for another call or
     * 0, referrals}.
     */
    static final String LEAVE_CLUSTER = """
            redis.call('ZADD', K_NODES, 0, ARGV[5])
            local refs = {}
            local _, gone = removeSome(ARGV[5], refs, tonumber(ARGV[6]))
            touchShared()
            local more = 1
            if gone then more = 0 end
            return {more, stillValid(refs)}
            """;

    /** A script's full text and its SHA-1, as Redis names it. */
    record Script(String name, String text, String sha) {
        static Script of(String name, String body) {
            String text = COMMON + "\n" + body;
            return new Script(name, text, sha1(text));
        }
    }

    static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
