"""The Redis backend (``REDIS_URL`` set): sorted sets shared by every process.

Each update is one ``EVALSHA`` of ``SET_ENTRY``, the Lua twin of ``logic.set_entry``: atomic,
one round trip, O(log n) per board touched. Every member of a board has score 0 and is
ordered by its string (key + ":" + id), so ``ZLEXCOUNT board - (key`` counts the members
strictly ahead: the shared rank. Keys are built inside the scripts, so this backend needs
one Redis, not a cluster (as channels_redis does).
"""

import redis

from leaderboard.boards.base import Backend, Row, Slice, board_name, data_hash
from leaderboard.boards.entry import SUM_KEY_FORMAT, SUM_OFFSET, UNIT_KEY_FORMAT, Entry

_COMMON = (
    """
local KINDS = {"class", "school", "commune"}
local OFF = OFFSET
local SUM_KEY, UNIT_KEY = "SUM_KEY_FORMAT", "UNIT_KEY_FORMAT"
local function split(s) local t = {} for f in (s .. "|"):gmatch("([^|]*)|") do t[#t + 1] = f end return t end
""".replace("OFFSET", str(SUM_OFFSET))
    .replace("SUM_KEY_FORMAT", SUM_KEY_FORMAT)
    .replace("UNIT_KEY_FORMAT", UNIT_KEY_FORMAT)
)

SET_ENTRY = (
    _COMMON
    + """
local P, scope, parent, member, newraw = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local function students(sc, key, units, add)
  local item = key .. ":" .. member
  local boards = {P .. sc .. ":all"}
  for i = 1, 3 do
    if units[i] ~= "" then boards[#boards + 1] = P .. sc .. ":in:" .. KINDS[i] .. ":" .. units[i] end
  end
  for _, b in ipairs(boards) do
    if add then redis.call("ZADD", b, 0, item) else redis.call("ZREM", b, item) end
  end
end
local function unit_add(sc, kind, unit, ds, dn)
  if unit == "" or (ds == 0 and dn == 0) then return end
  local h, z = P .. sc .. ":u:" .. kind, P .. sc .. ":units:" .. kind
  local raw = redis.call("HGET", h, unit)
  local s, n = 0, 0
  if raw then
    local f = split(raw)
    redis.call("ZREM", z, f[1] .. ":" .. unit)
    s, n = tonumber(f[2]), tonumber(f[3])
  end
  s, n = s + ds, n + dn
  if n <= 0 then
    redis.call("HDEL", h, unit)
  else
    local key = string.format(UNIT_KEY, OFF - s)
    redis.call("HSET", h, unit, key .. "|" .. string.format("%d|%d", s, n))
    redis.call("ZADD", z, 0, key .. ":" .. unit)
  end
end
local function parent_add(ds, dt, dn, units)
  local h = P .. parent .. ":t"
  local raw = redis.call("HGET", h, member)
  local s, t, n, cur = 0, 0, 0, units
  if raw then
    local f = split(raw)
    s, t, n = tonumber(f[2]), tonumber(f[3]), tonumber(f[4])
    cur = {f[5], f[6], f[7]}
    students(parent, f[1], cur, false)
  end
  local was = n
  s, t, n = s + ds, t + dt, n + dn
  if dn > 0 then cur = units end
  if n <= 0 then
    redis.call("HDEL", h, member)
  else
    local key = string.format(SUM_KEY, OFF - s, t)
    local units_raw = cur[1] .. "|" .. cur[2] .. "|" .. cur[3]
    redis.call("HSET", h, member, key .. "|" .. string.format("%d|%d|%d", s, t, n) .. "|" .. units_raw)
    students(parent, key, cur, true)
  end
  local dm = 0
  if was <= 0 and n > 0 then dm = 1 elseif was > 0 and n <= 0 then dm = -1 end
  for i = 1, 3 do unit_add(parent, KINDS[i], units[i], ds, dm) end
end
local mh = P .. scope .. ":m"
local oldraw = redis.call("HGET", mh, member)
if not oldraw then oldraw = "" end
if oldraw == newraw then return 0 end
if oldraw ~= "" then
  local f = split(oldraw)
  local units, sc = {f[5], f[6], f[7]}, tonumber(f[2])
  students(scope, f[1], units, false)
  for i = 1, 3 do unit_add(scope, KINDS[i], units[i], -sc, -1) end
  if parent ~= "" then parent_add(-sc, -tonumber(f[3]), -1, units) end
  redis.call("HDEL", mh, member)
end
if newraw ~= "" then
  local f = split(newraw)
  local units, sc = {f[5], f[6], f[7]}, tonumber(f[2])
  students(scope, f[1], units, true)
  for i = 1, 3 do unit_add(scope, KINDS[i], units[i], sc, 1) end
  if parent ~= "" then parent_add(sc, tonumber(f[3]), 1, units) end
  redis.call("HSET", mh, member, newraw)
end
return 1
"""
)

READ = """
local board, hash, top, member, around = KEYS[1], KEYS[2], tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
local function rows(start, stop)
  local out, prev = {}, nil
  if stop < start then return out end
  local items = redis.call("ZRANGE", board, start, stop)
  for i, item in ipairs(items) do
    local key, m = string.match(item, "^([^:]*):(.*)$")
    local position = start + i - 1
    local rank
    if prev == nil then
      rank = redis.call("ZLEXCOUNT", board, "-", "(" .. key) + 1
    elseif prev[1] == key then
      rank = prev[2]
    else
      rank = position + 1
    end
    prev = {key, rank}
    out[#out + 1] = {m, position, rank, redis.call("HGET", hash, m) or ""}
  end
  return out
end
local total = redis.call("ZCARD", board)
local result = {total, rows(0, top - 1), {}, {}}
if member ~= "" then
  local raw = redis.call("HGET", hash, member)
  if raw then
    local key = string.match(raw, "^([^|]*)")
    local position = redis.call("ZRANK", board, key .. ":" .. member)
    if position then
      local near = rows(math.max(0, position - around), position + around)
      result[4] = near
      for _, r in ipairs(near) do if r[1] == member then result[3] = r end end
    end
  end
end
return result
"""


def _decode(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _row(values) -> Row:
    return Row(_decode(values[0]), int(values[1]), int(values[2]), _decode(values[3]))


def _slice(result) -> Slice:
    total, top_rows, me, near = result
    return Slice(
        total=int(total), top=[_row(r) for r in top_rows], me=_row(me) if me else None, around=[_row(r) for r in near]
    )


class RedisBackend(Backend):
    name = "redis"

    def __init__(self, url: str, prefix: str):
        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        self.prefix = f"{prefix}:lb:"
        self._set_entry = self.client.register_script(SET_ENTRY)
        self._read = self.client.register_script(READ)

    def set_entry(self, scope, parent, member, entry):
        raw = entry.raw() if entry is not None else ""
        return bool(self._set_entry(args=[self.prefix, scope, parent, member, raw]))

    def set_entries(self, scope, parent, entries):
        # Pipelined in chunks: a rebuild of 100,000 entries is a few hundred round trips.
        for start in range(0, len(entries), 500):
            pipe = self.client.pipeline(transaction=False)
            for member, entry in entries[start : start + 500]:
                raw = entry.raw() if entry is not None else ""
                self._set_entry(args=[self.prefix, scope, parent, member, raw], client=pipe)
            pipe.execute()

    def get_entry(self, scope, member):
        raw = self.client.hget(f"{self.prefix}{scope}:m", member)
        return Entry.parse(member, _decode(raw)) if raw else None

    def entries(self, scope):
        raw = self.client.hgetall(f"{self.prefix}{scope}:m")
        return {_decode(m): Entry.parse(_decode(m), _decode(r)) for m, r in raw.items()}

    def read(self, scope, board, *, round_scope, top, member="", around=2):
        keys = [self.prefix + board_name(scope, board), self.prefix + data_hash(scope, board, round_scope=round_scope)]
        return _slice(self._read(keys=keys, args=[top, member, around]))

    def read_many(self, scope, reads, *, round_scope):
        pipe = self.client.pipeline(transaction=False)
        for board, top, member, around in reads:
            keys = [
                self.prefix + board_name(scope, board),
                self.prefix + data_hash(scope, board, round_scope=round_scope),
            ]
            self._read(keys=keys, args=[top, member, around], client=pipe)
        return [_slice(result) for result in pipe.execute()]

    def meta(self, scope):
        return {_decode(k): _decode(v) for k, v in self.client.hgetall(f"{self.prefix}{scope}:meta").items()}

    def set_meta(self, scope, values):
        self.client.hset(f"{self.prefix}{scope}:meta", mapping={k: str(v) for k, v in values.items()})

    def _keys(self, scope) -> list[bytes]:
        return list(self.client.scan_iter(match=f"{self.prefix}{scope}:*", count=1000))

    def clear(self, scope):
        keys = self._keys(scope)
        for start in range(0, len(keys), 1000):
            self.client.unlink(*keys[start : start + 1000])

    def dump(self, scope):
        out = {}
        for key in self._keys(scope):
            name = _decode(key)[len(self.prefix) :]
            if name.endswith(":meta"):
                continue
            kind = _decode(self.client.type(key))
            if kind == "zset":
                out[name] = [_decode(m) for m in self.client.zrange(key, 0, -1)]
            elif kind == "hash":
                out[name] = {_decode(k): _decode(v) for k, v in self.client.hgetall(key).items()}
        return dict(sorted(out.items()))
