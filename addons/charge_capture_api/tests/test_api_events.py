from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DATE_OF_SERVICE, ChargeCaptureCommon

EVENT_LOGGER = "odoo.addons.charge_capture_api.models.hc_inbound_event"


@tagged("post_install", "-at_install")
class TestApiRequests(ChargeCaptureCommon):
    """Status codes of refused requests; a refused request creates nothing."""

    def test_wrong_content_type_is_415(self):
        before = self._record_counts()
        response = self._post(self._charge_event(), content_type="text/plain")
        self.assertApiError(response, 415, "unsupported_media_type")
        self.assertEqual(self._record_counts(), before)

    def test_malformed_json_and_missing_key_are_400(self):
        before = self._record_counts()
        error = self.assertApiError(self._post(None, raw=b'{"event_id": '), 400, "malformed_json")
        self.assertIn("line 1", error["message"])
        self.assertApiError(self._post(None, raw=b'{"amount": NaN}'), 400, "malformed_json")
        self.assertApiError(self._post(self._charge_event(), key=None), 400, "idempotency_key_missing")
        self.assertApiError(self._post(self._charge_event(), key="x" * 129), 400, "idempotency_key_invalid")
        self.assertEqual(self._record_counts(), before)

    def test_body_over_one_mebibyte_is_413(self):
        body = self._charge_event()
        body["padding"] = "x" * (1024 * 1024)
        self.assertApiError(self._post(body), 413, "body_too_large")
        self.assertFalse(self._events())

    def test_schema_and_semantic_errors_are_422_with_every_path(self):
        before = self._record_counts()
        body = self._charge_event(
            facility={"code": "NOPE"},
            charges=[
                {"line_id": "L1", "code_system": "CPT", "code": "99999", "units": 1},
                {"line_id": "L2", "code_system": "CPT", "code": "85027", "units": 0},
                {"line_id": "L3", "code_system": "CPT", "code": "85027", "units": 1, "charge_amount": 1.005},
            ],
        )
        body["patient"]["birth_date"] = "1980-02-30"
        body["encounter"]["ordering_provider"]["npi"] = "123"
        error = self.assertApiError(self._post(body), 422, "invalid_event")
        paths = {item["path"] for item in error["details"]}
        self.assertEqual(
            paths,
            {
                "patient.birth_date",
                "encounter.ordering_provider.npi",
                "charges[1].units",
                "charges[2].charge_amount",
            },
        )
        # Once the structure is valid, lookups are checked: unknown facility, code, bad NPI check digit.
        body = self._charge_event(facility={"code": "NOPE"})
        body["charges"][0]["code"] = "99999"
        body["encounter"]["ordering_provider"]["npi"] = "1234567890"
        body["encounter"]["diagnosis_codes"] = ["NOT-ICD"]
        body["coverages"][0]["payer_id"] = "UNKNOWN"
        error = self.assertApiError(self._post(body, key="key-2"), 422, "invalid_event")
        self.assertEqual(
            {item["path"] for item in error["details"]},
            {
                "facility.code",
                "charges[0].code",
                "encounter.ordering_provider.npi",
                "encounter.diagnosis_codes",
                "coverages[0].payer_id",
            },
        )
        self.assertEqual(self._record_counts(), before)

    def test_unknown_event_type_and_field_are_422(self):
        error = self.assertApiError(self._post({"event_type": "lab.exploded"}), 422, "invalid_event")
        self.assertEqual(error["details"][0]["path"], "event_type")
        body = self._charge_event()
        body["charges"][0]["unit"] = 1
        error = self.assertApiError(self._post(body), 422, "invalid_event")
        self.assertIn({"path": "charges[0].unit", "message": "is not a known field"}, error["details"])

    def test_forbidden_event_type_and_facility_are_403(self):
        client, secret = self._create_client("Gateway only", types=("payment.received",))
        error = self.assertApiError(
            self._post(self._charge_event(), client=client, secret=secret), 403, "event_type_forbidden"
        )
        self.assertEqual(error["details"]["path"], "event_type")
        other = self.env["hc.facility"].create({"code": "OTHER", "name": "Other lab"})
        self.api_client.facility_ids = other
        self.assertApiError(self._post(self._charge_event()), 403, "facility_forbidden")
        self.assertFalse(self._events() | self._events(client))

    def test_unknown_event_is_404_and_events_are_scoped_to_their_client(self):
        self.assertEqual(self._post(self._charge_event()).status_code, 201)
        self.assertApiError(self._get("/events/NOPE"), 404, "not_found")
        client, secret = self._create_client("Other LIS")
        self.assertApiError(self._get("/events/EVT-1", client=client, secret=secret), 404, "not_found")


@tagged("post_install", "-at_install")
class TestApiIdempotency(ChargeCaptureCommon):
    def test_same_key_same_body_replays_the_first_answer(self):
        first = self._post(self._charge_event())
        body = self.assertApiResponse(first, 201)
        self.assertNotIn("Idempotent-Replayed", first.headers)
        before = self._record_counts()
        again = self._post(self._charge_event())
        self.assertEqual(again.status_code, 201)
        self.assertEqual(again.headers["Idempotent-Replayed"], "true")
        self.assertEqual(again.json(), body)
        self.assertEqual(self._record_counts(), before)

    def test_same_key_other_body_is_409(self):
        self.assertEqual(self._post(self._charge_event()).status_code, 201)
        before = self._record_counts()
        response = self._post(
            self._charge_event(charges=[{"line_id": "L9", "code_system": "CPT", "code": "36416", "units": 1}])
        )
        self.assertApiError(response, 409, "idempotency_key_reused")
        self.assertEqual(self._record_counts(), before)

    def test_same_event_id_under_another_key_is_409(self):
        self.assertEqual(self._post(self._charge_event()).status_code, 201)
        before = self._record_counts()
        self.assertApiError(self._post(self._charge_event(), key="key-2"), 409, "duplicate_event")
        self.assertEqual(self._record_counts(), before)


@tagged("post_install", "-at_install")
class TestApiEventEffects(ChargeCaptureCommon):
    def test_charge_created_upserts_patient_coverage_encounter_and_lines(self):
        body = self.assertApiResponse(self._post(self._charge_event()), 201)
        self.assertEqual(body["state"], "processed")
        refs = body["references"]
        patient = self.env["res.partner"].browse(refs["patient"]["id"])
        self.assertEqual(patient.name, "Ada Lovelace")
        self.assertTrue(patient.hc_is_patient)
        self.assertEqual(str(patient.hc_birth_date), "1980-12-10")
        self.assertEqual(patient.hc_identifier_ids.mapped("value"), ["MRN-API-1"])
        self.assertEqual(patient.hc_coverage_ids.payer_id, self.payer)
        encounter = self.env["hc.encounter"].browse(refs["encounter"]["id"])
        self.assertEqual((encounter.source_system, encounter.external_id), ("TESTLIS", "ACC-1"))
        self.assertEqual(encounter.date_of_service, DATE_OF_SERVICE)
        self.assertEqual(encounter.state, "draft")
        self.assertEqual(encounter.coverage_id.member_id, "MEM-API-1")
        self.assertEqual(encounter.ordering_provider_id, self.provider)
        self.assertEqual(encounter.diagnosis_codes, "E11.9, Z00.00")
        self.assertEqual(encounter.hc_api_client_id, self.api_client)
        lines = {line.external_line_id: line for line in encounter.line_ids}
        self.assertEqual(set(lines), {"L1", "L2"})
        self.assertEqual(lines["L1"].charge_amount, 31.08)  # chargemaster price
        self.assertEqual(lines["L2"].charge_amount, 40.5)  # given by the LIS
        self.assertEqual([line["line_id"] for line in refs["lines"]], ["L1", "L2"])

        # A second event for the same accession adds only the new line and matches the patient.
        charges = [
            {"line_id": "L2", "code_system": "CPT", "code": "80047", "units": 1},
            {"line_id": "L3", "code_system": "CPT", "code": "36416", "units": 2, "modifiers": ["91"]},
        ]
        body = self.assertApiResponse(self._post(self._charge_event("EVT-2", charges=charges), key="key-2"), 201)
        self.assertEqual(body["references"]["encounter"]["id"], encounter.id)
        self.assertEqual(body["references"]["patient"]["id"], patient.id)
        self.assertEqual(sorted(encounter.line_ids.mapped("external_line_id")), ["L1", "L2", "L3"])
        self.assertEqual(lines["L2"].charge_amount, 40.5)
        new_line = encounter.line_ids.filtered(lambda line: line.external_line_id == "L3")
        self.assertEqual((new_line.units, new_line.modifiers, new_line.charge_amount), (2, "91", 72.72))
        self.assertEqual(self.env["res.partner"].search_count([("name", "=", "Ada Lovelace")]), 1)
        self.assertEqual(len(patient.hc_coverage_ids), 1)

    def test_encounter_completed_bills_when_automatic_billing_is_on(self):
        self.company.hc_auto_billing = True
        self._post(self._charge_event())
        body = self.assertApiResponse(
            self._post(self._encounter_event("encounter.completed", "EVT-2"), key="key-2"), 201
        )
        self.assertEqual(body["references"]["encounter"]["state"], "invoiced")
        invoice = self.env["account.move"].browse(body["references"]["invoice"]["id"])
        self.assertEqual(invoice.amount_total, 71.58)
        self.assertEqual(body["references"]["invoice"]["claim_number"], invoice.hc_claim_number)
        self.assertEqual(invoice.partner_id, self.payer)

    def test_encounter_completed_without_automatic_billing_leaves_it_ready(self):
        self.company.hc_auto_billing = False
        self._post(self._charge_event())
        body = self.assertApiResponse(self._post(self._encounter_event("encounter.completed", "EVT-2"), key="k2"), 201)
        self.assertEqual(body["references"]["encounter"]["state"], "ready")
        self.assertNotIn("invoice", body["references"])

    def test_charge_cancelled_before_invoicing_cancels_the_lines(self):
        self._post(self._charge_event())
        body = self.assertApiResponse(
            self._post(self._encounter_event("charge.cancelled", "EVT-2", line_ids=["L2"]), key="key-2"), 201
        )
        encounter = self.env["hc.encounter"].browse(body["references"]["encounter"]["id"])
        cancelled = encounter.line_ids.filtered("cancelled")
        self.assertEqual(cancelled.mapped("external_line_id"), ["L2"])
        self.assertEqual(encounter.amount_total, 31.08)
        self.assertNotIn("billing_exception", body["references"])

    def test_charge_cancelled_after_invoicing_opens_a_billing_exception(self):
        self.company.hc_auto_billing = True
        self._post(self._charge_event())
        self._post(self._encounter_event("encounter.completed", "EVT-2"), key="key-2")
        encounter = self.env["hc.encounter"].search([("external_id", "=", "ACC-1")])
        invoice = encounter.invoice_id
        total = invoice.amount_total
        body = self.assertApiResponse(
            self._post(self._encounter_event("charge.cancelled", "EVT-3", line_ids=["L1"]), key="key-3"), 201
        )
        self.assertEqual(body["state"], "processed")
        exception = self.env["hc.billing.exception"].browse(body["references"]["billing_exception"]["id"])
        self.assertEqual(exception.state, "open")
        self.assertEqual(exception.invoice_id, invoice)
        self.assertEqual(exception.encounter_line_ids.mapped("external_line_id"), ["L1"])
        self.assertTrue(exception.activity_ids)
        # The invoice and the lines are untouched until a clerk decides.
        self.assertEqual(invoice.amount_total, total)
        self.assertFalse(encounter.line_ids.filtered("cancelled"))
        exception.resolution = "Credit note issued for the cancelled CBC."
        exception.action_resolve()
        self.assertEqual(exception.state, "resolved")
        self.assertFalse(exception.activity_ids)

    def _posted_invoice(self):
        self.company.hc_auto_billing = True
        self._post(self._charge_event())
        self._post(self._encounter_event("encounter.completed", "EVT-2"), key="key-2")
        invoice = self.env["hc.encounter"].search([("external_id", "=", "ACC-1")]).invoice_id
        invoice.action_post()
        return invoice

    def _payment_event(self, invoice, amount, payment_id="PAY-1", event_id="PAY-EVT-1"):
        return {
            "event_id": event_id,
            "event_type": "payment.received",
            "occurred_at": "2025-06-10T09:00:00Z",
            "source_system": "GATEWAY",
            "facility": {"code": "TLAB"},
            "payment_id": payment_id,
            "claim_number": invoice.hc_claim_number,
            "amount": amount,
            "currency": invoice.currency_id.name,
            "paid_at": "2025-06-10T08:59:00Z",
            "method": "card",
        }

    def test_payment_received_registers_and_reconciles(self):
        invoice = self._posted_invoice()
        body = self.assertApiResponse(self._post(self._payment_event(invoice, 30.00), key="pay-1"), 201)
        self.assertEqual(invoice.payment_state, "partial")
        self.assertAlmostEqual(invoice.amount_residual, 41.58, places=2)
        self.assertEqual(body["references"]["payment"]["reconciled_amount"], 30.0)
        self.assertEqual(body["references"]["payment"]["unapplied_amount"], 0.0)
        payment = self.env["account.payment"].browse(body["references"]["payment"]["id"])
        self.assertEqual(payment.hc_external_payment_id, "PAY-1")
        self.assertEqual(payment.move_id.state, "posted")
        # The same gateway payment under a new event is refused.
        response = self._post(self._payment_event(invoice, 30.00, event_id="PAY-EVT-2"), key="pay-2")
        self.assertApiError(response, 409, "duplicate_payment")
        self.assertEqual(invoice.amount_residual, 41.58)

    def test_payment_above_the_balance_leaves_a_customer_credit(self):
        invoice = self._posted_invoice()
        body = self.assertApiResponse(self._post(self._payment_event(invoice, 100.00), key="pay-1"), 201)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertEqual(body["references"]["payment"]["reconciled_amount"], 71.58)
        self.assertEqual(body["references"]["payment"]["unapplied_amount"], 28.42)
        self.assertIn("28.42", body["message"])
        payment = self.env["account.payment"].browse(body["references"]["payment"]["id"])
        credit = payment.move_id.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        self.assertAlmostEqual(credit.amount_residual, -28.42, places=2)
        self.assertEqual(credit.partner_id, invoice.commercial_partner_id)

    def test_payment_for_an_unknown_or_wrong_currency_invoice_is_422(self):
        invoice = self._posted_invoice()
        body = self._payment_event(invoice, 10.0)
        body["claim_number"] = "CLM-NOPE"
        error = self.assertApiError(self._post(body, key="pay-1"), 422, "invalid_event")
        self.assertEqual(error["details"][0]["path"], "claim_number")
        body = self._payment_event(invoice, 10.0)
        body["currency"] = "EUR" if invoice.currency_id.name != "EUR" else "USD"
        error = self.assertApiError(self._post(body, key="pay-2"), 422, "invalid_event")
        self.assertEqual(error["details"][0]["path"], "currency")
        self.assertFalse(self.env["account.payment"].search([("hc_api_client_id", "=", self.api_client.id)]))


@tagged("post_install", "-at_install")
class TestApiQueue(ChargeCaptureCommon):
    def test_deferred_client_answers_202_and_the_scheduled_action_processes(self):
        self.api_client.processing_mode = "deferred"
        body = self.assertApiResponse(self._post(self._charge_event()), 202)
        self.assertEqual(body["state"], "queued")
        self.assertEqual(body["status_url"], "/api/healthcare/v1/events/EVT-1")
        self.assertFalse(self.env["hc.encounter"].search([("external_id", "=", "ACC-1")]))
        self.env["hc.inbound.event"]._cron_process_events()
        status = self.assertApiResponse(self._get("/events/EVT-1"), 200)
        self.assertEqual(status["state"], "processed")
        self.assertEqual(status["attempts"], 1)
        self.assertTrue(self.env["hc.encounter"].search([("external_id", "=", "ACC-1")]))
        # The replay still gives the first answer (202 queued).
        replay = self._post(self._charge_event())
        self.assertEqual((replay.status_code, replay.json()["state"]), (202, "queued"))

    @mute_logger(EVENT_LOGGER)
    def test_failed_processing_is_retried_with_backoff_then_dead(self):
        self.company.hc_auto_billing = True
        self.api_client.max_attempts = 3
        self._post(self._charge_event())
        self._post(self._encounter_event("encounter.completed", "EVT-2"), key="key-2")
        # New charges on an invoiced encounter cannot be applied: the event fails.
        late = self._charge_event(
            "EVT-3", charges=[{"line_id": "L9", "code_system": "CPT", "code": "36416", "units": 1}]
        )
        body = self.assertApiResponse(self._post(late, key="key-3"), 202)
        self.assertEqual((body["state"], body["attempts"]), ("failed", 1))
        self.assertIn("is Invoiced: new charges cannot be added", body["last_error"])
        event = self._events().filtered(lambda ev: ev.event_id == "EVT-3")
        self.assertEqual(event.facility_id, self.facility)
        first_delay = event.next_attempt_at - fields.Datetime.now()
        self.assertAlmostEqual(first_delay.total_seconds(), 60, delta=10)
        # Not due yet: the Scheduled Action leaves it.
        self.env["hc.inbound.event"]._cron_process_events()
        self.assertEqual(event.attempts, 1)
        event.sudo().next_attempt_at = "2000-01-01 00:00:00"
        self.env["hc.inbound.event"]._cron_process_events()
        self.assertEqual((event.state, event.attempts), ("failed", 2))
        self.assertAlmostEqual((event.next_attempt_at - fields.Datetime.now()).total_seconds(), 120, delta=10)
        event.sudo().next_attempt_at = "2000-01-01 00:00:00"
        self.env["hc.inbound.event"]._cron_process_events()
        self.assertEqual((event.state, event.attempts), ("dead", 3))
        activity = event.activity_ids
        self.assertEqual(activity.user_id, self.api_client.responsible_id)
        self.assertEqual(self._get("/events/EVT-3").json()["state"], "dead")
        # The invoice was never touched by the failed attempts.
        encounter = self.env["hc.encounter"].search([("external_id", "=", "ACC-1")])
        self.assertEqual(len(encounter.line_ids), 2)

    @mute_logger(EVENT_LOGGER)
    def test_replay_from_the_ui_after_the_cause_is_fixed(self):
        self.company.hc_auto_billing = True
        self.api_client.max_attempts = 1
        self._post(self._charge_event())
        self._post(self._encounter_event("encounter.completed", "EVT-2"), key="key-2")
        late = self._charge_event(
            "EVT-3", charges=[{"line_id": "L9", "code_system": "CPT", "code": "36416", "units": 1}]
        )
        self.assertEqual(self._post(late, key="key-3").json()["state"], "dead")
        event = self._events().filtered(lambda ev: ev.event_id == "EVT-3")
        # A clerk cancels the invoice (the encounter goes back to ready, then draft) and replays.
        encounter = self.env["hc.encounter"].search([("external_id", "=", "ACC-1")])
        self.company.hc_auto_billing = False
        encounter.invoice_id.button_cancel()
        encounter.action_reset_draft()
        clerk = self._create_user("hc_clerk_replay", "group_hc_clerk")
        event.with_user(clerk).action_replay()
        self.assertEqual(event.state, "processed")
        self.assertFalse(event.activity_ids)
        self.assertEqual(sorted(encounter.line_ids.mapped("external_line_id")), ["L1", "L2", "L9"])
        # Replaying a processed event is refused; nothing is added twice.
        with self.assertRaises(UserError):
            event.with_user(clerk).action_replay()
        self.assertEqual(len(encounter.line_ids), 3)

    @mute_logger(EVENT_LOGGER)
    def test_ignore_with_a_reason(self):
        self.api_client.processing_mode = "deferred"
        self._post(self._charge_event())
        event = self._events()
        clerk = self._create_user("hc_clerk_ignore", "group_hc_clerk")
        wizard = (
            self.env["hc.inbound.event.ignore"]
            .with_user(clerk)
            .create({"event_ids": event.ids, "reason": "Test order"})
        )
        wizard.action_confirm()
        self.assertEqual((event.state, event.ignore_reason), ("ignored", "Test order"))
        self.env["hc.inbound.event"]._cron_process_events()
        self.assertEqual(event.state, "ignored")
        self.assertFalse(self.env["hc.encounter"].search([("external_id", "=", "ACC-1")]))

    def test_events_are_processed_with_the_technical_users_rights(self):
        # Without the Integration role the technical user cannot read encounters:
        # the request is refused (403) and nothing is stored; once fixed, the same
        # request succeeds and its records are created by the technical user.
        integration = self.env.ref("healthcare_billing_core.group_hc_integration")
        self.tech_user.groups_id = [(3, integration.id)]
        self.env.flush_all()
        before = self._record_counts()
        self.assertApiError(self._post(self._charge_event()), 403, "technical_user_forbidden")
        self.assertEqual(self._record_counts(), before)
        self.tech_user.groups_id = [(4, integration.id)]
        body = self.assertApiResponse(self._post(self._charge_event()), 201)
        encounter = self.env["hc.encounter"].browse(body["references"]["encounter"]["id"])
        self.assertEqual(encounter.create_uid, self.tech_user)
        self.assertEqual(encounter.line_ids.create_uid, self.tech_user)

    def test_technical_user_cannot_read_secrets_or_delete_records(self):
        client = self.api_client.with_user(self.tech_user)
        with self.assertRaises(AccessError):
            client.read(["name"])
        self._post(self._charge_event())
        encounter = self.env["hc.encounter"].search([("external_id", "=", "ACC-1")])
        with self.assertRaises(AccessError):
            encounter.with_user(self.tech_user).unlink()

    def test_client_constraints(self):
        admin_like = self._create_user("hc_api_admin", "base.group_system")
        admin_like.groups_id = [(4, self.env.ref("healthcare_billing_core.group_hc_integration").id)]
        with self.assertRaises(ValidationError):
            self.env["hc.api.client"].create({"name": "Bad", "user_id": admin_like.id})
        with self.assertRaises(ValidationError):
            self.api_client.user_id = self._create_user("hc_api_plain", "base.group_user")


@tagged("post_install", "-at_install")
class TestApiCrashSafety(ChargeCaptureCommon):
    @mute_logger(EVENT_LOGGER)
    def test_a_crash_in_processing_leaves_only_a_failed_event(self):
        from unittest.mock import patch  # noqa: PLC0415

        from ..models.hc_inbound_event import HcInboundEvent  # noqa: PLC0415

        original = HcInboundEvent._hc_upsert_coverage

        def crash_after_the_patient(self, *args):
            original(self, *args)
            raise RuntimeError("worker lost")

        before = self._record_counts()
        with patch.object(HcInboundEvent, "_hc_upsert_coverage", crash_after_the_patient):
            body = self.assertApiResponse(self._post(self._charge_event()), 202)
        self.assertEqual((body["state"], body["last_error"]), ("failed", "worker lost"))
        after = self._record_counts()
        self.assertEqual(after.pop("hc.inbound.event"), before.pop("hc.inbound.event") + 1)
        self.assertEqual(after, before)  # the patient and coverage were rolled back
        event = self._events()
        event.sudo().next_attempt_at = "2000-01-01 00:00:00"
        self.env["hc.inbound.event"]._cron_process_events()
        self.assertEqual(event.state, "processed")
        self.assertEqual(self.env["hc.encounter"].search_count([("external_id", "=", "ACC-1")]), 1)

    @mute_logger(EVENT_LOGGER)
    def test_sql_errors_while_processing_do_not_reach_the_log(self):
        import logging  # noqa: PLC0415

        from ..models.hc_inbound_event import HcInboundEvent  # noqa: PLC0415

        def violate(self, *args):
            self.env.cr.execute("INSERT INTO hc_api_event_type (code, name, direction) VALUES ('MRN-SECRET', 'x', 'x')")
            self.env.cr.execute("INSERT INTO hc_api_event_type (code, name, direction) VALUES ('MRN-SECRET', 'x', 'x')")

        from unittest.mock import patch  # noqa: PLC0415

        with (
            self.assertLogs("odoo.sql_db", logging.INFO) as captured,
            patch.object(HcInboundEvent, "_hc_upsert_patient", violate),
        ):
            logging.getLogger("odoo.sql_db").info("marker")
            body = self._post(self._charge_event()).json()
        self.assertEqual(body["state"], "failed")
        self.assertFalse([line for line in captured.output if "MRN-SECRET" in line], captured.output)


@tagged("post_install", "-at_install")
class TestApiReviewedEdges(ChargeCaptureCommon):
    def test_an_event_only_touches_encounters_of_its_facility(self):
        self._post(self._charge_event())
        other = self.env["hc.facility"].create({"code": "OTHER", "name": "Other lab"})
        client, secret = self._create_client("Other lab LIS")
        client.facility_ids = other
        before = self._record_counts()
        for event_type, extra in (("charge.cancelled", {"line_ids": ["L1"]}), ("encounter.completed", {})):
            body = dict(self._encounter_event(event_type, f"X-{event_type}", **extra), facility={"code": "OTHER"})
            error = self.assertApiError(
                self._post(body, key=event_type, client=client, secret=secret), 422, "invalid_event"
            )
            self.assertEqual(error["details"][0]["path"], "encounter.external_id")
        moved = self._charge_event("X-3", facility={"code": "OTHER"})
        error = self.assertApiError(self._post(moved, key="x3", client=client, secret=secret), 422, "invalid_event")
        self.assertIn("encounter.external_id", [item["path"] for item in error["details"]])
        self.assertEqual(self._record_counts(), before)
        encounter = self.env["hc.encounter"].search([("external_id", "=", "ACC-1")])
        self.assertEqual((encounter.facility_id, encounter.state), (self.facility, "draft"))

    def test_control_characters_huge_numbers_and_bad_dates_are_refused_cleanly(self):
        before = self._record_counts()
        body = self._charge_event(source_system="LIS\u0000")
        error = self.assertApiError(self._post(body, key="k1"), 422, "invalid_event")
        self.assertEqual(
            error["details"][0], {"path": "source_system", "message": "must not contain control characters"}
        )
        self.assertApiError(self._post(None, raw=b'{"units": 1' + b"0" * 5000 + b"}", key="k2"), 400, "malformed_json")
        body = self._charge_event(occurred_at="0001-01-01T00:00:00+01:00")
        self.assertApiError(self._post(body, key="k3"), 422, "invalid_event")
        body = self._charge_event()
        body["coverages"][0]["priority"] = 1.0
        error = self.assertApiError(self._post(body, key="k4"), 422, "invalid_event")
        self.assertEqual(error["details"][0]["path"], "coverages[0].priority")
        body = self._charge_event()
        body["charges"][0]["units"] = 1e-300
        self.assertApiError(self._post(body, key="k5"), 422, "invalid_event")
        self.assertApiError(self._get("/events/bad'id"), 404, "not_found")
        self.assertEqual(self._record_counts(), before)

    def test_deferred_follow_up_events_wait_for_their_charges(self):
        self.company.hc_auto_billing = False
        self.api_client.processing_mode = "deferred"
        self.assertEqual(self._post(self._charge_event()).status_code, 202)
        completed = self._post(self._encounter_event("encounter.completed", "EVT-2"), key="key-2")
        self.assertEqual((completed.status_code, completed.json()["state"]), (202, "queued"))
        self.env["hc.inbound.event"]._cron_process_events()
        self.assertEqual(set(self._events().mapped("state")), {"processed"})
        encounter = self.env["hc.encounter"].search([("external_id", "=", "ACC-1")])
        self.assertEqual(encounter.state, "ready")
        # Without pending charges, an unknown encounter is still refused.
        error = self.assertApiError(
            self._post(self._encounter_event("encounter.completed", "EVT-3", accession="NOPE"), key="key-3"),
            422,
            "invalid_event",
        )
        self.assertEqual(error["details"][0]["path"], "encounter.external_id")

    def test_a_delivery_that_cannot_be_signed_does_not_block_the_others(self):
        client, _secret = self._create_client("No secret yet")
        client.sudo().secret_encrypted = False
        types = self.env["hc.api.event.type"].search([("direction", "=", "outbound")])
        subscriptions = self.env["hc.webhook.subscription"].create(
            [
                {
                    "client_id": client.id,
                    "url": "http://127.0.0.1:9/a",
                    "event_type_ids": [(6, 0, types.ids)],
                    "scope": "company",
                },
                {
                    "client_id": self.api_client.id,
                    "url": "http://127.0.0.1:9/b",
                    "event_type_ids": [(6, 0, types.ids)],
                    "scope": "company",
                },
            ]
        )
        self.env["hc.webhook.subscription"]._hc_notify("claim.denied", self.company, {"x": 1})
        self.env["hc.webhook.delivery"]._cron_deliver()
        unsigned, signed = (subscriptions[0].delivery_ids, subscriptions[1].delivery_ids)
        self.assertEqual((unsigned.attempts, unsigned.state), (1, "pending"))
        self.assertIn("Not sent", unsigned.last_answer)
        self.assertEqual(signed.attempts, 1)
        self.assertIn("ConnectionError", signed.last_answer)
