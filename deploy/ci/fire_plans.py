#!/usr/bin/env python3
"""Fires routing-plan requests at once, for deploy/image-check.sh (a burst before SIGTERM, a
reservation race across replicas).

    fire_plans.py TOKEN COUNT BODY URL [URL...]  > answers.json

BODY is the JSON request with {i} where the request number goes (e.g. in the meeting id). Request
i goes to URL i mod len(URLs). All COUNT requests are sent together: one thread each, released by a
barrier once every connection is about to be made, so they really compete. Prints
[{"i", "url", "status", "body"}] (body parsed as JSON when it is).
"""
import json
import sys
import threading
import urllib.error
import urllib.request


def main(token, count, body, urls):
    count = int(count)
    answers = [None] * count
    barrier = threading.Barrier(count)

    def send(i):
        url = urls[i % len(urls)]
        request = urllib.request.Request(url, data=body.replace('{i}', str(i)).encode(), method='POST', headers={
            'Authorization': f'Bearer {token}', 'Content-Type': 'application/json', 'Accept': 'application/json'})
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode()
        except Exception as e:  # connection refused, timeout: an answer the check must see, not a crash
            status, text = 0, repr(e)
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = text
        answers[i] = {'i': i, 'url': url, 'status': status, 'body': parsed}

    threads = [threading.Thread(target=send, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    json.dump(answers, sys.stdout)


if __name__ == '__main__':
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
