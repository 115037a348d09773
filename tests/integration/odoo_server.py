"""Start a real Odoo server (several workers) on a test database, and API clients for it.

Used by the integration tests and by the API benchmark: requests then run in
separate processes with their own transactions, as in production.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import uuid

import requests

from odoo import SUPERUSER_ID, api

BASE_PATH = "/api/healthcare/v1"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(database, rc, workers=2, logfile=None):
    """Odoo serving ``database`` with ``workers`` HTTP workers; yields its base URL."""
    port = free_port()
    args = [sys.executable, "-m", "odoo", "-c", rc, "-d", database, f"--db-filter=^{database}$"]
    for option, variable in (("--db_host", "PGHOST"), ("--db_port", "PGPORT"), ("--db_user", "PGUSER")):
        if os.environ.get(variable):
            args += [option, os.environ[variable]]
    args += [
        f"--workers={workers}",
        "--max-cron-threads=0",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--gevent-port={free_port()}",
        "--limit-time-real=300",
        "--log-level=warn",
        f"--logfile={logfile or os.devnull}",
    ]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                if requests.get(base + BASE_PATH + "/health", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"the Odoo server did not start (exit {process.poll()})")
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


def create_integration_user(env, name, password=None):
    """A user of the main company with only the Integration role."""
    company = env.ref("base.main_company")
    vals = {
        "name": name,
        "login": f"api-{uuid.uuid4().hex[:10]}",
        "company_id": company.id,
        "company_ids": [(6, 0, company.ids)],
        "groups_id": [(6, 0, env.ref("healthcare_billing_core.group_hc_integration").ids)],
    }
    if password:
        vals["password"] = password
    return env["res.users"].create(vals)


def create_client(registry, name, mode="immediate", rate_limit=0):
    """A committed API client of the main company with every event type; returns (public_id, secret)."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        user = create_integration_user(env, f"{name} technical user")
        client = env["hc.api.client"].create(
            {
                "name": name,
                "company_id": company.id,
                "user_id": user.id,
                "processing_mode": mode,
                "rate_limit": rate_limit,
                "allowed_event_type_ids": [
                    (6, 0, env["hc.api.event.type"].search([("direction", "=", "inbound")]).ids)
                ],
            }
        )
        secret = client._hc_set_new_secret(keep_previous=False)
        return client.public_id, secret


def signed_post(session, base, public_id, secret, body, key, timeout=60):
    from odoo.addons.charge_capture_api.signing import sign  # noqa: PLC0415

    raw = json.dumps(body).encode() if not isinstance(body, bytes) else body
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": key,
        "X-HC-Client": public_id,
        "X-HC-Timestamp": timestamp,
        "X-HC-Signature": sign(secret, timestamp, raw),
    }
    return session.post(base + BASE_PATH + "/events", data=raw, headers=headers, timeout=timeout)


def charge_event(event_id, accession, mrn, lines=5, codes=("85025", "80053", "36415", "85610", "81001")):
    """A charge.created event for the demo facility (LAB1), payer and services."""
    return {
        "event_id": event_id,
        "event_type": "charge.created",
        "occurred_at": "2025-06-02T10:15:00Z",
        "source_system": "BENCHLIS",
        "facility": {"code": "LAB1"},
        "patient": {
            "identifiers": [{"type": "MR", "value": mrn}],
            "first_name": "Test",
            "last_name": "Patient",
            "birth_date": "1975-03-04",
            "sex": "U",
        },
        "coverages": [{"payer_id": "BVHP1", "member_id": f"M{mrn}", "priority": 1}],
        "encounter": {"external_id": accession, "date_of_service": "2025-06-02", "diagnosis_codes": ["Z00.00"]},
        "charges": [
            {"line_id": f"L{index}", "code_system": "CPT", "code": codes[index % len(codes)], "units": 1}
            for index in range(lines)
        ],
    }
