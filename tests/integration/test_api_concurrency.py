"""Identical requests arriving at the same moment on different Odoo workers.

A real server with two HTTP workers serves the test database; the requests of a
pair are released together by a barrier, so both transactions run at once and
the unique constraints of the inbound events decide.
"""

import os
import threading
import uuid

import pytest
import requests
from odoo_server import charge_event, create_client, running_server, signed_post

from odoo import SUPERUSER_ID, api


@pytest.fixture(scope="module")
def server(registry):
    with running_server(os.environ["HC_TEST_DB"], os.environ["HC_ODOO_RC"], workers=2) as base:
        yield base


def _pair(base, public_id, secret, bodies, keys):
    barrier = threading.Barrier(2)
    responses = [None, None]

    def send(index):
        with requests.Session() as session:
            barrier.wait(10)
            responses[index] = signed_post(session, base, public_id, secret, bodies[index], keys[index])

    threads = [threading.Thread(target=send, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return responses


def _count(registry, model, domain):
    with registry.cursor() as cr:
        return api.Environment(cr, SUPERUSER_ID, {})[model].search_count(domain)


def test_two_identical_requests_at_once_create_one_event(registry, server):
    public_id, secret = create_client(registry, "Concurrency LIS")
    for round_ in range(8):
        tag = uuid.uuid4().hex[:8]
        body = charge_event(f"EVT-{tag}", f"ACC-{tag}", f"MRN-{tag}", lines=3)
        first, second = _pair(server, public_id, secret, [body, body], [f"key-{tag}"] * 2)
        assert (first.status_code, second.status_code) == (201, 201), (round_, first.text, second.text)
        assert first.json() == second.json()
        replayed = [response.headers.get("Idempotent-Replayed") for response in (first, second)]
        assert sorted(replayed, key=str) == [None, "true"] or sorted(replayed, key=str) == ["true", None]
        assert replayed.count("true") == 1
        assert _count(registry, "hc.inbound.event", [("idempotency_key", "=", f"key-{tag}")]) == 1
        assert _count(registry, "hc.encounter", [("external_id", "=", f"ACC-{tag}")]) == 1
        assert _count(registry, "hc.encounter.line", [("encounter_id.external_id", "=", f"ACC-{tag}")]) == 3


def test_same_event_under_two_keys_at_once_is_processed_once(registry, server):
    public_id, secret = create_client(registry, "Concurrency LIS 2")
    for _round in range(4):
        tag = uuid.uuid4().hex[:8]
        body = charge_event(f"EVT-{tag}", f"ACC-{tag}", f"MRN-{tag}", lines=2)
        responses = _pair(server, public_id, secret, [body, body], [f"a-{tag}", f"b-{tag}"])
        assert sorted(response.status_code for response in responses) == [201, 409]
        conflict = next(response for response in responses if response.status_code == 409)
        assert conflict.json()["error"]["code"] == "duplicate_event"
        assert _count(registry, "hc.encounter", [("external_id", "=", f"ACC-{tag}")]) == 1
