"""Helper of bench/reroute.sh: opens live meetings on the replicas, and reads what the moves took.

  python3 bench/reroute.py open BASE_URLS TOKEN ACCOUNT MEETINGS PEOPLE OUT
  python3 bench/reroute.py where BASE_URL TOKEN IDS_FILE REGION

open: MEETINGS meetings of ACCOUNT, PEOPLE participants each (a third in Mumbai, the rest in San
Jose), spread over the comma-separated replica URLs, joined by 16 threads; writes the ids to OUT.
where: how many participants of the meetings are in REGION now, and how many there are.
"""
import json
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

MUMBAI = {"latitude": 19.07, "longitude": 72.88}
SAN_JOSE = {"latitude": 37.34, "longitude": -121.89}


def call(method, url, token, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        text = r.read()
        return json.loads(text) if text else None


def open_one(args):
    base, token, account, label, people = args
    meeting = call("POST", base + "/api/v1/meetings", token, {"meetingId": label, "accountId": account})["id"]
    third = people // 3
    # San Jose first, then Mumbai: with the bench's cascade gain the Mumbai people open in-bom
    for p in range(people):
        where = SAN_JOSE if p < people - third else MUMBAI
        call("POST", base + "/api/v1/meetings/" + meeting + "/participants", token, {"id": "p%d" % p, "location": where})
    return meeting


def main():
    if sys.argv[1] == "open":
        bases, token, account, n, people, out = sys.argv[2].split(","), sys.argv[3], sys.argv[4], int(sys.argv[5]), \
            int(sys.argv[6]), sys.argv[7]
        jobs = [(bases[i % len(bases)], token, account, "%s-%d" % (account, i), people) for i in range(n)]
        with ThreadPoolExecutor(16) as pool:
            ids = list(pool.map(open_one, jobs))
        with open(out, "w") as f:
            f.write("\n".join(ids) + "\n")
    elif sys.argv[1] == "where":
        base, token, ids, region = sys.argv[2], sys.argv[3], open(sys.argv[4]).read().split(), sys.argv[5]
        inside = total = 0
        for meeting in ids:
            m = call("GET", base + "/api/v1/meetings/" + meeting, token)
            total += len(m["participants"])
            inside += sum(1 for p in m["participants"] if p["region"] == region)
        print(inside, total)


main()
