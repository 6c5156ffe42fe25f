#!/usr/bin/env python3
"""Compare `subledger timeline --format json` with a gen-register-repo truth file.

usage: subledger timeline --format json | scripts/compare-truth.py TRUTH.jsonl
Prints the first differences and exits 1 when the two disagree.
"""
import json
import sys

ORDER = ["removed", "added", "renamed", "invalid", "repaired", "relocated", "changed"]


def project(event):
    kind = event["kind"]
    out = {"kind": kind, "id": event["id"]}
    if kind == "renamed":
        out = {"kind": kind, "from": event["from"], "id": event["id"]}
    elif kind == "relocated":
        out.update(added=event["added"], removed=event["removed"])
    elif kind == "changed":
        out["field"] = event["field"]
    return out


def main():
    truth = [json.loads(line) for line in open(sys.argv[1])]
    ours = json.load(sys.stdin)["commits"]
    mine = [{"commit": c["commit"], "events": [project(e) for e in c["events"]]} for c in ours]
    bad = 0
    for i in range(max(len(truth), len(mine))):
        a = truth[i] if i < len(truth) else None
        b = mine[i] if i < len(mine) else None
        if a != b:
            bad += 1
            if bad <= 5:
                print(f"line {i}:\n  truth: {json.dumps(a)}\n  ours:  {json.dumps(b)}")
    print(f"{len(truth)} truth lines, {len(mine)} timeline commits, {bad} differ")
    sys.exit(1 if bad else 0)


main()
