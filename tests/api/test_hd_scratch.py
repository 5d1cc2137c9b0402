import pytest
import requests
from rest_framework.throttling import SimpleRateThrottle
from .world import build_world, path_candidates
pytestmark = pytest.mark.django_db(transaction=True)

def test_cookie(live_server, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})
    w = build_world()
    s = requests.Session()
    h = {"Authorization": f"Token {w.tokens['admin']}"}
    r = s.get(live_server.url + "/api/v1/schema/?format=json")
    print("schema", r.headers.get("Set-Cookie"))
    schema = r.json()
    def get(p):
        r = s.get(live_server.url + p, headers=h)
        if r.headers.get("Set-Cookie"): print("SET", p, r.status_code, r.headers.get("Set-Cookie"))
        return r.json() if r.status_code == 200 else None
    cache = {}
    for p in schema["paths"]:
        path_candidates(p, get, cache=cache)
