"""Two workers billing the same encounter at once create one invoice."""

import threading

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.service.model import retrying


def _env(cr):
    return api.Environment(cr, SUPERUSER_ID, {})


def _ready_encounter(registry):
    with registry.cursor() as cr:
        env = _env(cr)
        env.company.hc_auto_billing = False
        patient = env.ref("healthcare_billing_core.patient_01")
        encounter = env["hc.encounter"].create(
            {
                "patient_id": patient.id,
                "facility_id": env.ref("healthcare_billing_core.demo_facility_lab").id,
                "line_ids": [Command.create({"product_id": env.ref("healthcare_billing_core.service_85025").id})],
            }
        )
        encounter.action_ready()
        return encounter.id


def _invoices_of(registry, encounter_id):
    with registry.cursor() as cr:
        return _env(cr)["account.move"].search([("hc_encounter_id", "=", encounter_id)]).ids


def test_user_and_scheduled_action_racing_bill_once(registry):
    """Worker A bills and holds its transaction open; B (a user) and C (the
    scheduled action) try meanwhile. B waits for A's lock then finds A's
    invoice; C, claiming with SKIP LOCKED, passes over it. One invoice exists at the end."""
    encounter_id = _ready_encounter(registry)
    a_billed, a_may_commit = threading.Event(), threading.Event()
    results = {}

    def worker_a():
        with registry.cursor() as cr:
            results["a"] = _env(cr)["hc.encounter"].browse(encounter_id)._hc_create_invoices().ids
            a_billed.set()
            a_may_commit.wait(30)

    def worker_b():
        # As an HTTP request would: Odoo retries a transaction that hits a
        # serialization failure (A updated the row B was waiting for).
        with registry.cursor() as cr:
            env = _env(cr)
            results["b"] = retrying(lambda: env["hc.encounter"].browse(encounter_id)._hc_create_invoices().ids, env)

    thread_a = threading.Thread(target=worker_a)
    thread_a.start()
    assert a_billed.wait(30)
    with registry.cursor() as cr:  # C: the scheduled action, while A holds the row
        results["c"] = _env(cr)["hc.encounter"]._cron_bill_ready_encounters()
    thread_b = threading.Thread(target=worker_b)
    thread_b.start()
    thread_b.join(1)
    assert thread_b.is_alive(), "B must wait for A's lock on the encounter"
    a_may_commit.set()
    thread_a.join(30)
    thread_b.join(30)

    assert "c" in results  # C ran (billing other ready encounters, if any) without error
    assert results["a"] == results["b"]
    assert _invoices_of(registry, encounter_id) == results["a"]


def test_concurrent_scheduled_runs_bill_each_encounter_once(registry):
    encounter_ids = [_ready_encounter(registry) for _i in range(6)]
    with registry.cursor() as cr:
        ready_before = _env(cr)["hc.encounter"].search_count([("state", "=", "ready"), ("billing_error", "=", False)])
    assert 6 <= ready_before <= 12
    barrier = threading.Barrier(3)
    done = []

    def run():
        with registry.cursor() as cr:
            barrier.wait(30)
            done.append(_env(cr)["hc.encounter"]._cron_bill_ready_encounters(batch_size=4))

    threads = [threading.Thread(target=run) for _i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(done) == ready_before  # each ready encounter billed by exactly one run
    for encounter_id in encounter_ids:
        assert len(_invoices_of(registry, encounter_id)) == 1
