#!/usr/bin/env python3
"""Quick pre-check of data/ for authors of curated files (the authoritative check is
`pactbase init` and the Rust tests). Usage: tools/check-data.py [FILE...]
Checks TOML syntax, required fields, vocabularies, state abbreviations (COW), dates,
source references, and compares atopid-linked memberships with ATOP 5.1's member file."""
import csv, re, sys, tomllib, pathlib, collections

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
KINDS = {"mutual-defense-pact", "security-assistance", "exercise-and-training", "technology-sharing",
         "regional-defense-alliance", "intelligence-sharing", "arms-control",
         "nonaggression-and-friendship"}
OBL = {"defense", "offense", "neutrality", "nonaggression", "consultation"}
STATUS = {"in-force", "terminated", "expired", "superseded", "suspended", "signed"}
ROLES = {"founding", "acceded", "partner", "observer"}
SCOPES = {"membership", "obligations", "integrated-command", "assistance"}
OUTCOMES = {"honoured", "limited", "declined", "disputed"}
EFFECTS = {"limits", "excludes"}
DOMAINS = {"cpx", "air", "land", "sea", "amphibious", "cyber"}
FOCUS = {"warfighting", "peacekeeping", "humanitarian", "counterterrorism"}
PROVISIONS = {"foreign_bases", "integrated_command", "military_aid", "technology_transfer",
              "intelligence_sharing", "joint_exercises", "arms_limits", "organisation"}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

abb = {}
for r in csv.DictReader(open(SHARED / "cow" / "states2016.csv")):
    abb[r["stateabb"]] = int(r["ccode"])
atop = collections.defaultdict(dict)
for r in csv.DictReader(open(SHARED / "atop-5.1" / "atop5_1m.csv")):
    a, m = int(r["atopid"]), int(r["member"])
    ent, ex = int(r["yrent"]), int(r["yrexit"])
    if m in atop[a]:
        e0, x0 = atop[a][m]
        ent = min(ent, e0)
        ex = 0 if 0 in (ex, x0) else max(ex, x0)
    atop[a][m] = (ent, ex)

errors = []
def err(f, msg): errors.append(f"{f}: {msg}")

def check_date(f, field, v):
    if not isinstance(v, str) or not DATE.match(v):
        err(f, f"{field}: date {v!r} must be YYYY, YYYY-MM or YYYY-MM-DD")

def check_state(f, field, s):
    if s not in abb:
        err(f, f"{field}: unknown COW abbreviation {s!r}")

def check_sources(f, d):
    ids = set()
    if not d.get("sources"):
        err(f, "at least one [[sources]] entry is required")
    for i, s in enumerate(d.get("sources", [])):
        for k in ("id", "title", "publisher", "consulted"):
            if not s.get(k):
                err(f, f"sources[{i}].{k} missing")
        if not (s.get("url") or s.get("reference")):
            err(f, f"sources[{i}] needs url or reference")
        ids.add(s.get("id"))
    return ids

def agreement(f, d):
    for k in ("id", "name", "kinds", "signed", "status", "region", "summary", "members"):
        if k not in d:
            err(f, f"missing {k}")
    if d.get("id") != f.stem:
        err(f, f"id {d.get('id')!r} must equal file name {f.stem!r}")
    for k in d.get("kinds", []):
        if k not in KINDS:
            err(f, f"unknown kind {k!r}")
    for k in ("signed", "in_force", "ended"):
        if k in d:
            check_date(f, k, d[k])
    if d.get("status") not in STATUS:
        err(f, f"status {d.get('status')!r} not in {sorted(STATUS)}")
    for k in d.get("provisions", {}):
        if k not in PROVISIONS:
            err(f, f"unknown provision {k!r}")
    ids = check_sources(f, d)
    members = set()
    for i, m in enumerate(d.get("members", [])):
        check_state(f, f"members[{i}].state", m.get("state"))
        members.add(m.get("state"))
        check_date(f, f"members[{i}].joined", m.get("joined"))
        if "left" in m:
            check_date(f, f"members[{i}].left", m["left"])
        if m.get("role") not in ROLES:
            err(f, f"members[{i}].role {m.get('role')!r}")
        if "source" in m and m["source"] not in ids:
            err(f, f"members[{i}].source {m['source']!r} is not a source id")
        for j, s in enumerate(m.get("suspensions", [])):
            check_date(f, f"members[{i}].suspensions[{j}].from", s.get("from"))
            if "to" in s:
                check_date(f, f"members[{i}].suspensions[{j}].to", s["to"])
            if s.get("scope") not in SCOPES:
                err(f, f"members[{i}].suspensions[{j}].scope {s.get('scope')!r}")
            for t in s.get("toward", []):
                check_state(f, f"members[{i}].suspensions[{j}].toward", t)
    for i, o in enumerate(d.get("obligations", [])):
        if o.get("type") not in OBL:
            err(f, f"obligations[{i}].type {o.get('type')!r}")
        for side in ("from", "toward"):
            v = o.get(side)
            if isinstance(v, list):
                for s in v:
                    check_state(f, f"obligations[{i}].{side}", s)
                    if s not in members and not (side == "toward"):
                        err(f, f"obligations[{i}].from {s} is not a member")
            elif v not in ("all",) and not (side == "toward" and v == "third-party"):
                err(f, f"obligations[{i}].{side} {v!r}")
        if "source" in o and o["source"] not in ids:
            err(f, f"obligations[{i}].source {o['source']!r} is not a source id")
    for i, r in enumerate(d.get("reservations", [])):
        if r.get("state") not in members:
            err(f, f"reservations[{i}].state {r.get('state')!r} is not a member")
        if r.get("effect") not in EFFECTS:
            err(f, f"reservations[{i}].effect {r.get('effect')!r} not in {sorted(EFFECTS)}")
        if not r.get("text"):
            err(f, f"reservations[{i}].text missing")
        if "source" in r and r["source"] not in ids:
            err(f, f"reservations[{i}].source {r['source']!r} is not a source id")
    for i, v in enumerate(d.get("invocations", [])):
        check_date(f, f"invocations[{i}].date", v.get("date"))
        if v.get("by") not in members:
            err(f, f"invocations[{i}].by {v.get('by')!r} is not a member")
        against = v.get("against", [])
        for s in [against] if isinstance(against, str) else against:
            check_state(f, f"invocations[{i}].against", s)
        if v.get("obligation") not in OBL:
            err(f, f"invocations[{i}].obligation {v.get('obligation')!r} not in {sorted(OBL)}")
        if v.get("outcome") not in OUTCOMES:
            err(f, f"invocations[{i}].outcome {v.get('outcome')!r} not in {sorted(OUTCOMES)}")
        if not (v.get("note") or "").strip():
            err(f, f"invocations[{i}].note missing")
        if "source" in v and v["source"] not in ids:
            err(f, f"invocations[{i}].source {v['source']!r} is not a source id")
    a = d.get("atopid")
    if a is not None:
        if a not in atop:
            err(f, f"atopid {a} not in ATOP 5.1 member file")
            return
        ours = {}
        for m in d.get("members", []):
            c = abb.get(m.get("state"))
            if c is None: continue
            j = int(m["joined"][:4]); l = int(m["left"][:4]) if "left" in m else 0
            if l > 2018: l = 0
            ours[c] = (j, l)
        exc = {(abb.get(e.get("state")), e.get("field")) for e in d.get("atop_exceptions", [])}
        for c in set(ours) | set(atop[a]):
            if c not in ours and c not in (8152,):
                if (c, "member") not in exc: err(f, f"ATOP {a}: member {c} in ATOP, not here")
            elif c not in atop[a]:
                if (c, "member") not in exc: err(f, f"ATOP {a}: member {c} here, not in ATOP")
            else:
                if ours[c][0] != atop[a][c][0] and (c, "joined") not in exc:
                    err(f, f"ATOP {a}: member {c} joined {ours[c][0]} here, ATOP {atop[a][c][0]}")
                if ours[c][1] != atop[a][c][1] and (c, "left") not in exc:
                    err(f, f"ATOP {a}: member {c} left {ours[c][1] or 'ongoing'} here, ATOP {atop[a][c][1] or 'ongoing (0)'}")

def exercise(f, d):
    for k in ("id", "name", "domains", "focus", "participants", "years", "summary"):
        if k not in d:
            err(f, f"missing {k}")
    if d.get("id") != f.stem:
        err(f, "id must equal file name")
    for x in d.get("domains", []):
        if x not in DOMAINS: err(f, f"domain {x!r}")
    for x in d.get("focus", []):
        if x not in FOCUS: err(f, f"focus {x!r}")
    for s in d.get("participants", []):
        check_state(f, "participants", s)
    if "host" in d: check_state(f, "host", d["host"])
    check_sources(f, d)

files = [pathlib.Path(a) for a in sys.argv[1:]] or sorted((ROOT / "data").glob("*/*.toml"))
for f in files:
    try:
        d = tomllib.loads(f.read_text())
    except Exception as e:
        err(f, f"TOML: {e}"); continue
    (exercise if f.parent.name == "exercises" else agreement)(f, d)
print("\n".join(errors) or f"ok: {len(files)} files")
sys.exit(1 if errors else 0)
