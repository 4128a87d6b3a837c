"""Unique, real-looking account names that fit their segment, and who owns each account."""

from bench.seed import words

CITY_SHARE = 0.2
TRIES = 20


def names(rng, n: int) -> list[tuple[str, str, str]]:
    """``n`` different (name, segment, email domain) triples, segments in their usual shares."""
    industries: dict[str, list[str]] = {}
    for industry, segment in words.INDUSTRIES:
        industries.setdefault(segment, []).append(industry)
    segments = list(words.SEGMENT_WEIGHTS)
    chosen = rng.choices(segments, weights=words.SEGMENT_WEIGHTS.values(), k=n)
    seen: set[str] = set()
    result = []
    for segment in chosen:
        for _ in range(TRIES):
            prefix, industry = rng.choice(words.PREFIXES), rng.choice(industries[segment])
            city = rng.choice(words.CITIES) if rng.random() < CITY_SHARE else ""
            name = f"{prefix} {industry}{f' ({city})' if city else ''} {rng.choice(words.SUFFIXES)}"
            if name not in seen:
                break
        else:
            # Only a data set far larger than the word lists gets here; a number keeps it unique.
            name = f"{name} {len(result) + 1}"
        seen.add(name)
        domain = f"{prefix}{industry.split()[0]}{city}".lower() + ".example"
        result.append((name, segment, domain))
    return result


def owners(rng, ref, n: int) -> list[int | None]:
    """Each account's owner: mostly a rep (some carry bigger books), a few admins, a few none."""
    reps = ref.member_ids
    weights = [rng.uniform(0.6, 1.4) for _ in reps]
    picked = rng.choices(reps, weights=weights, k=n)
    for index in range(n):
        roll = rng.random()
        if roll < 0.03:
            picked[index] = None
        elif roll < 0.05:
            picked[index] = rng.choice(ref.admin_ids)
    return picked
