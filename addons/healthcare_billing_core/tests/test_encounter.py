from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import HealthcareBillingCommon


@tagged("post_install", "-at_install")
class TestEncounter(HealthcareBillingCommon):
    def test_defaults_sequence_and_coverage(self):
        encounter = self._create_encounter()
        self.assertTrue(encounter.name.startswith("ENC/"))
        self.assertEqual(encounter.state, "draft")
        self.assertEqual(encounter.coverage_id, self.coverage)
        self.assertEqual(encounter.payer_id, self.payer)

    def test_charge_is_chargemaster_price_times_units_unless_given(self):
        encounter = self._create_encounter(
            lines=[
                {"product_id": self.cbc.id, "units": 2},
                {"product_id": self.cmp.id, "charge_amount": 50.0},
            ]
        )
        cbc_line, cmp_line = encounter.line_ids
        self.assertEqual(cbc_line.code, "85027")
        self.assertAlmostEqual(cbc_line.charge_amount, 62.16)
        self.assertAlmostEqual(cmp_line.charge_amount, 50.0)
        self.assertAlmostEqual(encounter.amount_total, 112.16)
        cmp_line.cancelled = True
        self.assertAlmostEqual(encounter.amount_total, 62.16)

    def test_diagnosis_codes_validated_and_normalized(self):
        encounter = self._create_encounter(diagnosis_codes="e119 z0000")
        self.assertEqual(encounter.diagnosis_codes, "E11.9, Z00.00")
        with self.assertRaises(ValidationError):
            encounter.diagnosis_codes = "E11.9, 123"

    def test_source_external_id_unique(self):
        self._create_encounter(source_system="LIS", external_id="ACC-1")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self._create_encounter(source_system="LIS", external_id="ACC-1")
        self._create_encounter(source_system="EHR", external_id="ACC-1")

    def test_external_line_id_unique_within_encounter(self):
        encounter = self._create_encounter(lines=[{"product_id": self.cbc.id, "external_line_id": "L1"}])
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            encounter.write({"line_ids": [(0, 0, {"product_id": self.cmp.id, "external_line_id": "L1"})]})

    def test_units_must_be_positive(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self._create_encounter(lines=[{"product_id": self.cbc.id, "units": 0}])

    def test_state_transitions(self):
        encounter = self._create_encounter()
        with self.assertRaises(UserError):
            encounter.state = "invoiced"  # draft -> invoiced skips billing
        encounter.action_ready()
        self.assertEqual(encounter.state, "ready")
        encounter.action_reset_draft()
        encounter.action_cancel()
        self.assertEqual(encounter.state, "cancelled")
        with self.assertRaises(UserError):
            encounter.state = "ready"  # cancelled -> ready must go back to draft first
        encounter.action_reset_draft()
        self.assertEqual(encounter.state, "draft")

    def test_ready_needs_a_billable_line(self):
        encounter = self._create_encounter(lines=[{"product_id": self.cbc.id, "cancelled": True}])
        with self.assertRaises(UserError):
            encounter.action_ready()
        self.assertEqual(encounter.state, "draft")

    def test_created_as_draft_only(self):
        with self.assertRaises(UserError):
            self._create_encounter(state="ready")

    def test_state_changes_are_audited(self):
        encounter = self._create_encounter()
        encounter.action_ready()
        logs = self.env["hc.audit.log"].search([("res_model", "=", "hc.encounter"), ("res_id", "=", encounter.id)])
        self.assertEqual(logs.mapped("action"), ["encounter.state"])
        self.assertEqual(logs.details, {"from": "draft", "to": "ready"})
        self.assertEqual(logs.user_id, self.env.user)

    def test_duplicate_does_not_revive_cancelled_lines(self):
        """A clerk duplicating an encounter (list Actions or form) gets only its billable services."""
        clerk = self._create_user("hc_dup_clerk", "group_hc_clerk")
        encounter = self._create_encounter()
        cancelled = encounter.line_ids.filtered(lambda line: line.product_id == self.draw)
        cancelled.cancelled = True
        copy = encounter.with_user(clerk).copy()
        self.assertEqual(copy.state, "draft")
        self.assertEqual(copy.line_ids.product_id, self.cbc)
        self.assertFalse(any(copy.line_ids.mapped("cancelled")))
        self.assertEqual(copy.amount_total, encounter.amount_total)
        self.assertEqual(len(encounter.line_ids), 2, "the original keeps its cancelled line")
        # A line given explicitly by the caller is taken as it is.
        explicit = encounter.copy({"line_ids": [Command.create({"product_id": self.draw.id})]})
        self.assertEqual(explicit.line_ids.product_id, self.draw)
