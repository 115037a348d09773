"""Throughput and latency of the event API against Odoo's standard external API.

A real Odoo server with 2 HTTP workers serves a database that has the addons and
their demo data (``setup/run``'s ``healthcare_billing`` or the test database).
10 concurrent clients post ``charge.created`` events of 5 lines; then the same
records (patient, identifier, coverage, encounter with its lines) are created
through ``execute_kw`` create calls, as an integrator would without the API,
with the same concurrency; then every event is replayed (same key, same body).

Usage (from the repository root, with the configuration setup/ generated):

    python3 tests/benchmarks/bench_api.py -c .local/odoo.conf -d healthcare_billing [--events 300]

Records are added to the database (API clients, patients, encounters).
"""

import argparse
import os
import statistics
import sys
import threading
import time
import uuid
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))

from odoo_server import charge_event, create_client, create_integration_user, running_server, signed_post


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(label, latencies, elapsed):
    print(
        f"{label:<34} {len(latencies):>5} events in {elapsed:6.2f} s: {len(latencies) / elapsed:7.1f} events/s, "
        f"p50 {statistics.median(latencies) * 1000:6.1f} ms, p95 {percentile(latencies, 0.95) * 1000:6.1f} ms"
    )
    return len(latencies) / elapsed


def run_concurrently(work, items, concurrency):
    latencies = []
    lock = threading.Lock()
    local = threading.local()

    def one(item):
        if not hasattr(local, "session"):
            local.session = requests.Session()
        start = time.perf_counter()
        work(local.session, item)
        duration = time.perf_counter() - start
        with lock:
            latencies.append(duration)

    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, items))
    return latencies, time.perf_counter() - start


def integrator_user(registry):
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    password = uuid.uuid4().hex
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        user = create_integration_user(env, "Benchmark integrator", password)
        facility = env.ref("healthcare_billing_core.demo_facility_lab").id
        payer = env.ref("healthcare_billing_core.payer_commercial").id
        products = {
            product.hc_service_code: product.id
            for product in env["product.product"].search([("hc_code_system", "=", "CPT")])
        }
        return user.id, password, facility, payer, products


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--lines", type=int, default=5)
    options = parser.parse_args()

    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    args = ["-c", options.config, "-d", options.database]
    for option, variable in (("--db_host", "PGHOST"), ("--db_port", "PGPORT"), ("--db_user", "PGUSER")):
        if os.environ.get(variable):
            args += [option, os.environ[variable]]
    config.parse_config(args)
    odoo.service.server.load_server_wide_modules()
    registry = Registry(options.database)
    public_id, secret = create_client(registry, f"Benchmark LIS {uuid.uuid4().hex[:6]}")
    uid, password, facility_id, payer_id, products = integrator_user(registry)
    run = uuid.uuid4().hex[:6]

    with running_server(options.database, options.config, workers=2) as base:
        print(
            f"Odoo with 2 HTTP workers at {base}; {options.clients} concurrent clients, {options.lines} lines per event"
        )
        # Warm both workers up.
        for index in range(4):
            body = charge_event(f"W-{run}-{index}", f"WACC-{run}-{index}", f"WMRN-{run}-{index}", options.lines)
            signed_post(requests.Session(), base, public_id, secret, body, f"w-{run}-{index}")

        events = [
            (charge_event(f"E-{run}-{i}", f"ACC-{run}-{i}", f"MRN-{run}-{i}", options.lines), f"k-{run}-{i}")
            for i in range(options.events)
        ]

        def post(session, item):
            response = signed_post(session, base, public_id, secret, item[0], item[1])
            if response.status_code != 201:
                raise RuntimeError(f"{response.status_code}: {response.text[:300]}")

        api_latencies, api_elapsed = run_concurrently(post, events, options.clients)
        api_rate = report("event API (POST /events)", api_latencies, api_elapsed)

        def replay(session, item):
            response = signed_post(session, base, public_id, secret, item[0], item[1])
            if response.headers.get("Idempotent-Replayed") != "true":
                raise RuntimeError(f"not a replay: {response.status_code}")

        replay_latencies, replay_elapsed = run_concurrently(replay, events, options.clients)
        report("idempotent replay (same key)", replay_latencies, replay_elapsed)

        def execute_kw(session, item):
            body = item[0]
            proxy = xmlrpc.client.ServerProxy(base + "/xmlrpc/2/object", allow_none=True)
            db = options.database

            def call(model, method, *args):
                return proxy.execute_kw(db, uid, password, model, method, list(args))

            patient = call(
                "res.partner",
                "create",
                {"name": "Test Patient", "hc_is_patient": True, "hc_birth_date": "1975-03-04", "hc_sex": "U"},
            )
            mrn = body["patient"]["identifiers"][0]["value"].replace("MRN", "XMRN")
            call("hc.patient.identifier", "create", {"partner_id": patient, "facility_id": facility_id, "value": mrn})
            call(
                "hc.coverage",
                "create",
                {"patient_id": patient, "payer_id": payer_id, "member_id": "M" + mrn, "date_from": "2025-06-02"},
            )
            call(
                "hc.encounter",
                "create",
                {
                    "patient_id": patient,
                    "facility_id": facility_id,
                    "date_of_service": "2025-06-02",
                    "source_system": "XMLRPC",
                    "external_id": body["encounter"]["external_id"],
                    "diagnosis_codes": "Z00.00",
                    "line_ids": [
                        (0, 0, {"product_id": products[line["code"]], "units": 1, "external_line_id": line["line_id"]})
                        for line in body["charges"]
                    ],
                },
            )

        rpc_latencies, rpc_elapsed = run_concurrently(execute_kw, events, options.clients)
        rpc_rate = report("execute_kw creates (4 calls/event)", rpc_latencies, rpc_elapsed)
        print(f"ratio event API / execute_kw: {api_rate / rpc_rate:.2f}x the throughput")


if __name__ == "__main__":
    main()
