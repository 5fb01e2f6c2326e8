"""Benchmark workload: two days of synthetic shop traffic through the full report.

Everything is generated in memory from a fixed seed, so every run does the same work
and prints the same digest.
"""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta, timezone

from logstats import parse_lines, render_report

SITE = "shop.example.com"
SEED = 20240501
TODAY_LINES = 55_000
YESTERDAY_LINES = 1_200
CLIENTS = 8_000
BLOCKLIST_SIZE = 1_000
CATEGORIES = 60
PRODUCTS = 150_000
AGENTS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/125.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "curl/8.5.0",
]
EXTERNAL = "https://www.google.com/"
WORDS = ["lamp", "desk", "chair", "rug", "mug", "kettle", "shelf", "sofa", "bed", "clock"]


def random_ips(rng: random.Random, n: int) -> list[str]:
    """`n` distinct public-looking IPv4 addresses."""
    ips: dict[str, None] = {}
    while len(ips) < n:
        ips[f"{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"] = None
    return list(ips)


def random_request(rng: random.Random) -> tuple[str, str, int]:
    """(path, referrer, status) for one request on the shop."""
    home = f"https://{SITE}"
    product = rng.randrange(PRODUCTS)
    kind = rng.random()
    if kind < 0.06:
        source = rng.choice(["-", EXTERNAL, f"{home}/c/{rng.randrange(CATEGORIES)}"])
        return "/", source, 200
    if kind < 0.14:
        page = f"/c/{rng.randrange(CATEGORIES)}"
        if rng.random() < 0.3:
            page += f"?page={rng.randint(2, 9)}"
        return page, rng.choice(["-", EXTERNAL, f"{home}/", f"{home}/"]), 200
    if kind < 0.72:
        roll = rng.random()
        if roll < 0.1:
            source = EXTERNAL
        elif roll < 0.4:
            source = f"{home}/search?q={rng.choice(WORDS)}"
        else:
            source = f"{home}/c/{product % CATEGORIES}"
        return f"/p/{product}", source, 500 if roll > 0.99 else 200
    if kind < 0.84:
        return f"/p/{product}/reviews", f"{home}/p/{product}", 200
    if kind < 0.87:
        return f"/search?q={rng.choice(WORDS)}", f"{home}/", 200
    if kind < 0.90:
        return "/cart", f"{home}/p/{product}", 200
    if kind < 0.97:
        return f"/static/app.{rng.randint(1, 3)}.js", f"{home}/", 304 if kind < 0.94 else 200
    return rng.choice(["/wp-login.php", f"/p/{product}/old", "/.env"]), "-", 404


def make_log(rng: random.Random, day: datetime, n: int, clients: list[str], with_time: bool) -> list[str]:
    """`n` log lines for one day; `with_time` adds nginx's request time field."""
    lines = []
    date = day.strftime("%d/%b/%Y")
    step = 86_000 / n
    for i in range(n):
        hours, rest = divmod(int(i * step) + rng.randrange(300), 3600)
        stamp = f"{date}:{hours:02d}:{rest // 60:02d}:{rest % 60:02d} +0200"
        path, referrer, status = random_request(rng)
        size = "-" if status == 304 else rng.randrange(200, 90_000)
        line = (
            f'{rng.choice(clients)} - - [{stamp}] "GET {path} HTTP/1.1" {status} {size} '
            f'"{referrer}" "{rng.choice(AGENTS)}"'
        )
        if with_time:
            line += f" {0.002 + rng.expovariate(20.0):.3f}"
        lines.append(line)
    return lines


def main() -> None:
    rng = random.Random(SEED)
    clients = random_ips(rng, CLIENTS)
    blocklist = random_ips(rng, BLOCKLIST_SIZE) + rng.sample(clients, 100)
    day = datetime(2024, 5, 2)
    yesterday = make_log(rng, day - timedelta(days=1), YESTERDAY_LINES, clients[: CLIENTS // 2], False)
    today = make_log(rng, day, TODAY_LINES, clients, True)

    report = render_report(
        parse_lines(today), site=SITE, previous=parse_lines(yesterday), blocklist=blocklist
    )
    print("\n".join(report.splitlines()[:3]))
    print(f"report: {len(report)} chars, sha256 {hashlib.sha256(report.encode()).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
