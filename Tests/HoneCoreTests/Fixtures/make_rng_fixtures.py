#!/usr/bin/env python3
"""Reference outputs of SplitMix64 and xoshiro256** for the HoneCore random tests.

Regenerate from this folder with:

    python3 make_rng_fixtures.py

It writes rng_fixtures.json next to this script. The generators are implemented here
from the published reference C code, independently of the Swift sources:

- SplitMix64: Sebastiano Vigna, https://prng.di.unimi.it/splitmix64.c
  (after Steele, Lea & Flood, "Fast splittable pseudorandom number generators", 2014).
- xoshiro256**: David Blackman and Sebastiano Vigna, https://prng.di.unimi.it/xoshiro256starstar.c
  ("Scrambled linear pseudorandom number generators", 2018), including its jump() with the
  published JUMP constants. Its state is seeded from SplitMix64 as the authors recommend.

The derived values follow the published methods, which Hone's helpers document:
unit doubles are the top 53 bits times 2^-53 (Vigna, "Generating uniform doubles in the
unit interval", https://prng.di.unimi.it/#remarks); bounded integers use Lemire's
nearly divisionless method ("Fast Random Integer Generation in an Interval", ACM TOMACS
2019, algorithm 5); permutations are Fisher-Yates from the last index down.

Python integers are unbounded, so every operation is masked to 64 bits. Outputs are
written as decimal strings because JSON numbers above 2^53 are not portable, and doubles
as float.hex() strings so they are exact.
"""

import json
import pathlib

OUTPUT = pathlib.Path(__file__).with_name("rng_fixtures.json")
MASK = (1 << 64) - 1
SEEDS = [0, 1, 42, 0xDEADBEEF, MASK]
COUNT = 8


def splitmix64(state):
    """Yields the outputs of splitmix64.c's next() from `state` (x in the C code)."""
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Xoshiro256StarStar:
    """xoshiro256starstar.c: next() and jump()."""

    JUMP = [0x180EC6D33CFD0ABA, 0xD5A61266F0C9392C, 0xA9582618E03FC9AA, 0x39ABDC4529B1661C]

    def __init__(self, seed):
        expander = splitmix64(seed)
        self.s = [next(expander) for _ in range(4)]

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def jump(self):
        acc = [0, 0, 0, 0]
        for word in self.JUMP:
            for bit in range(64):
                if word & (1 << bit):
                    acc = [a ^ b for a, b in zip(acc, self.s)]
                self.next()
        self.s = acc


def next_int_below(rng, bound):
    """Lemire 2019: the high word of next() * bound, rejecting the biased low words."""
    product = rng.next() * bound
    if (product & MASK) < bound:
        threshold = ((1 << 64) - bound) % bound
        while (product & MASK) < threshold:
            product = rng.next() * bound
    return product >> 64


def permutation(rng, count):
    order = list(range(count))
    for i in range(count - 1, 0, -1):
        j = next_int_below(rng, i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def main():
    cases = []
    for seed in SEEDS:
        expander = splitmix64(seed)
        splitmix = [next(expander) for _ in range(COUNT)]
        xoshiro = Xoshiro256StarStar(seed)
        initial_state = list(xoshiro.s)
        outputs = [xoshiro.next() for _ in range(COUNT)]
        jumped = Xoshiro256StarStar(seed)
        jumped.jump()
        after_jump = [jumped.next() for _ in range(COUNT)]
        unit = Xoshiro256StarStar(seed)
        unit_doubles = [float((unit.next() >> 11) * 2.0**-53).hex() for _ in range(COUNT)]
        bounded = Xoshiro256StarStar(seed)
        below_7 = [next_int_below(bounded, 7) for _ in range(COUNT)]
        below_huge = [next_int_below(bounded, 3 << 61) for _ in range(COUNT)]
        shuffled = Xoshiro256StarStar(seed)
        permutation_20 = permutation(shuffled, 20)
        cases.append(
            {
                "seed": str(seed),
                "splitMix64": [str(v) for v in splitmix],
                "xoshiroInitialState": [str(v) for v in initial_state],
                "xoshiro256StarStar": [str(v) for v in outputs],
                "xoshiroAfterJump": [str(v) for v in after_jump],
                "unitDoubles": unit_doubles,
                "nextIntBelow7": below_7,
                "nextIntBelow3Times2To61": [str(v) for v in below_huge],
                "permutation20": permutation_20,
            }
        )
    OUTPUT.write_text(json.dumps({"cases": cases}, indent=1) + "\n")


if __name__ == "__main__":
    main()
