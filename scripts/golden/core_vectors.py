#!/usr/bin/env python3
"""Independent Python implementations that produced the golden values in Tests/FathomCoreTests/GoldenTests.swift:
SampleIdentity (SHA-256 over length-prefixed fields) and xoshiro256** seeded through SplitMix64."""
import hashlib

M = (1 << 64) - 1


def identity(task, version, params, length, index, seed):
    h = hashlib.sha256()
    for field in ["fathom-sample-v1", task, str(version), params, str(length), str(index), str(seed)]:
        h.update(f"{len(field.encode())}:".encode())
        h.update(field.encode())
    d = h.digest()
    return d.hex()[:16], int.from_bytes(d[:8], "big")


def xoshiro(seed, n):
    x, s = seed, []
    for _ in range(4):
        x = (x + 0x9E3779B97F4A7C15) & M
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        s.append(z ^ (z >> 31))
    rotl = lambda v, k: ((v << k) | (v >> (64 - k))) & M
    out = []
    for _ in range(n):
        out.append((rotl((s[1] * 5) & M, 7) * 9) & M)
        t = (s[1] << 17) & M
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45)
    return out


if __name__ == "__main__":
    print(identity("ruler.niah_single_1", 1, '{"keys":1,"value_type":"numbers"}', 4096, 7, 42))
    print(xoshiro(42, 4))
    print(hashlib.sha256(b"a" * 1000000).hexdigest())
