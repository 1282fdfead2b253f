"""Run inside valgrind's callgrind by `bench/run.py --instructions`: request each route through Django's test
client, calling os.getppid() around the measured requests. Callgrind dumps its counts before every getppid()
(--dump-before=getppid), so each measured stretch lands in a dump file of its own.

    argv: JSON of {"username": ..., "routes": [[name, path, anonymous], ...], "requests": K}
"""

import json
import os
import sys

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stp_portal.settings.base")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

plan = json.loads(sys.argv[1])
signed_in = Client(HTTP_X_FORWARDED_PROTO="https")
signed_in.force_login(get_user_model().objects.get(username=plan["username"]))
clients = {False: signed_in, True: Client(HTTP_X_FORWARDED_PROTO="https")}  # by "anonymous"
for _name, path, anonymous in plan["routes"]:
    client = clients[anonymous]
    for _ in range(2):  # warm: imports, template compilation, caches
        assert client.get(path).status_code == 200, path
    os.getppid()  # dump: start-up and warming
    for _ in range(plan["requests"]):
        client.get(path)
    os.getppid()  # dump: the measured requests
