#!/usr/bin/env python3
"""Clone the records in SEED_DIR/incidents into a workspace of N records: each clone gets its own
ID, its dates moved back by a whole number of days (every instant and date in the record, so
its steps stay in order and its durations realistic), a title of its own, and the kind and
state of the template it was cloned from. Used by benches/workspace.sh."""

import datetime
import pathlib
import random
import re
import sys

INSTANT = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)?")
SUBJECTS = ["spring sale", "loyalty newsletter", "order update", "abandoned-cart reminder",
            "welcome series", "back-in-stock alert", "weekly digest", "VIP preview",
            "price-drop alert", "account notice", "event invitation", "survey request"]
OPEN_SHARE = 0.02
WHAT = ["sent to the wrong list", "sent twice", "with a broken first name", "with a typo in the subject",
        "to unsubscribed addresses", "with broken links", "with the wrong price", "a day early"]


def shifted(text, days):
    def move(m):
        day = datetime.date(int(m[1]), int(m[2]), int(m[3])) - datetime.timedelta(days=days)
        return day.isoformat() + (m[4] or "")
    return INSTANT.sub(move, text)


def main(seed_dir, out_dir, count):
    rng = random.Random(1)
    templates = sorted(pathlib.Path(seed_dir, "incidents").glob("INC-*.yaml"))
    # A team's history is mostly closed incidents, with a few still open.
    weights = [OPEN_SHARE if "\nstatus: open\n" in t.read_text() else 1 for t in templates]
    out = pathlib.Path(out_dir, "incidents")
    out.mkdir(parents=True, exist_ok=True)
    per_day = {}
    for n in range(count):
        template = rng.choices(templates, weights)[0]
        text = template.read_text()
        old_id = re.search(r"^id: (\S+)$", text, re.M)[1]
        # Spread over about three years before the seed records' day, several on a busy day.
        days = 1 + rng.randrange(max(1, count * 3 // 25))
        text = shifted(text, days)
        day = re.search(r"^opened_at: (\d{4})-(\d{2})-(\d{2})", text, re.M)
        seq = per_day.get(day.groups(), 0) + 1
        per_day[day.groups()] = seq
        new_id = f"INC-{day[1]}{day[2]}{day[3]}-{seq:03d}"
        text = text.replace(old_id, new_id)
        title = f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(WHAT)} (#{n + 1})"
        text = re.sub(r"^title: .*$", lambda _: f"title: {title}", text, count=1, flags=re.M)
        (out / f"{new_id}.yaml").write_text(text)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
