"""Pricing benchmark: prints lines per second; asserts nothing.

Engine alone (no database):
    python3 tests/benchmarks/bench_pricing.py engine

Through the ORM, on a database with payer_contracts installed (all work is
rolled back at the end):
    python3 tests/benchmarks/bench_pricing.py orm -c .local/odoo.conf -d healthcare_billing_test \
        [--db_host 127.0.0.1 --db_port PORT --db_user odoo]

Setup: a contract with 5,000 fee schedule lines (codes B00000..B04999, a
quarter of them with a QW line too); lines are priced with random codes of the
schedule, 1 to 3 units, with and without modifier.
"""

import argparse
import pathlib
import random
import sys
import time
from datetime import date
from decimal import Decimal

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "addons" / "payer_contracts"))

from pricing import ContractTerms, FeeRule, PriceIndex, PricingLine

FEE_LINES = 5000
DOS = date(2025, 6, 2)


def codes():
    return [f"B{i:05d}" for i in range(FEE_LINES)]


def engine(lines=100_000):
    rules = []
    for i, code in enumerate(codes()):
        rules.append(FeeRule(i, code, "per_unit", Decimal("10.00")))
        if i % 4 == 0:
            rules.append(FeeRule(100000 + i, code, "percent", Decimal("60"), modifier="QW"))
    rng = random.Random(1)
    work = [
        PricingLine(
            DOS,
            rng.choice(codes()),
            Decimal(rng.randint(1, 3)),
            Decimal("40.00"),
            ("QW",) if rng.random() < 0.3 else (),
        )
        for _i in range(lines)
    ]
    started = time.perf_counter()
    index = PriceIndex(ContractTerms(tuple(rules), "none", Decimal(0), Decimal("0.01")))
    built = time.perf_counter()
    priced = sum(1 for line in work if index.price(line).has_rate)
    done = time.perf_counter()
    print(f"engine: index of {len(rules)} fee lines built in {built - started:.3f} s")
    print(
        f"engine: {lines} lines priced in {done - built:.3f} s = {lines / (done - built):,.0f} lines/s "
        f"({priced} with a rate)"
    )
    # Lookups do not grow with the schedule: the same work against a 50-line schedule.
    small = PriceIndex(ContractTerms(tuple(r for r in rules if int(r.code[1:]) < 50), "percent", Decimal(50)))
    started = time.perf_counter()
    for line in work:
        small.price(line)
    elapsed = time.perf_counter() - started
    print(f"engine: same lines against a 50-line schedule: {lines / elapsed:,.0f} lines/s")


def orm(argv):
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415
    from odoo.fields import Command  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(argv)
    odoo.service.server.load_server_wide_modules()
    registry = Registry(config["db_name"])
    with registry.cursor() as cr:
        env = api.Environment(
            cr, SUPERUSER_ID, {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}
        )
        env.company.hc_auto_billing = False
        facility = env["hc.facility"].search([], limit=1)
        payer = env["res.partner"].create({"name": "Bench payer", "hc_is_payer": True, "hc_payer_code": "BENCH"})
        patient = env["res.partner"].create({"name": "Bench patient", "hc_is_patient": True})
        env["hc.coverage"].create(
            {"patient_id": patient.id, "payer_id": payer.id, "member_id": "B1", "date_from": date(2025, 1, 1)}
        )
        products = env["product.product"].create(
            [
                {
                    "name": f"Bench {c}",
                    "type": "service",
                    "hc_code_system": "internal",
                    "hc_service_code": c,
                    "list_price": 40.0,
                    "taxes_id": [Command.clear()],
                }
                for c in codes()[:200]
            ]
        )
        contract = env["hc.payer.contract"].create(
            {
                "name": "Bench",
                "payer_id": payer.id,
                "date_from": date(2025, 1, 1),
                "line_ids": [Command.create({"code": c, "method": "per_unit", "amount": 10.0}) for c in codes()],
            }
        )
        contract.action_activate()
        env.flush_all()
        rng = random.Random(1)

        def encounter(n_lines):
            return env["hc.encounter"].create(
                {
                    "patient_id": patient.id,
                    "facility_id": facility.id,
                    "date_of_service": DOS,
                    "line_ids": [
                        Command.create({"product_id": rng.choice(products).id, "units": rng.randint(1, 3)})
                        for _i in range(n_lines)
                    ],
                }
            )

        big = encounter(1000)
        big.action_ready()
        started = time.perf_counter()
        big._hc_create_invoices()
        env.flush_all()
        elapsed = time.perf_counter() - started
        print(f"orm: one invoice of 1000 lines in {elapsed:.2f} s = {1000 / elapsed:,.0f} lines/s")
        small = env["hc.encounter"].concat(*[encounter(1) for _i in range(1000)])
        small.action_ready()
        started = time.perf_counter()
        for enc in small:
            enc._hc_create_invoices()
        env.flush_all()
        elapsed = time.perf_counter() - started
        print(f"orm: 1000 invoices of one line in {elapsed:.2f} s = {1000 / elapsed:,.0f} lines/s")
        cr.rollback()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["engine", "orm"])
    args, rest = parser.parse_known_args()
    if args.mode == "engine":
        engine()
    else:
        orm(rest)
