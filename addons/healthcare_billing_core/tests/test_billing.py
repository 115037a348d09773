from datetime import date

from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import HealthcareBillingCommon


@tagged("post_install", "-at_install")
class TestBilling(HealthcareBillingCommon):
    def _ready_encounter(self, **kwargs):
        encounter = self._create_encounter(**kwargs)
        encounter.action_ready()
        return encounter

    def test_invoice_billed_to_payer_with_links_and_amounts(self):
        encounter = self._ready_encounter(
            lines=[{"product_id": self.cbc.id, "units": 2}, {"product_id": self.draw.id}],
            external_id="ACC-77",
            source_system="LIS",
        )
        encounter.action_create_invoice()
        invoice = encounter.invoice_id
        self.assertEqual(encounter.state, "invoiced")
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.partner_id, self.payer)
        self.assertEqual(invoice.hc_encounter_id, encounter)
        self.assertEqual(invoice.hc_patient_id, self.patient)
        self.assertEqual(invoice.hc_coverage_id, self.coverage)
        self.assertTrue(invoice.hc_claim_number.startswith("CLM"))
        self.assertEqual(encounter.claim_number, invoice.hc_claim_number)
        self.assertEqual(invoice.invoice_line_ids.hc_encounter_line_id, encounter.line_ids)
        cbc_line = invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.cbc)
        self.assertEqual((cbc_line.quantity, cbc_line.price_unit), (2.0, 31.08))
        self.assertAlmostEqual(invoice.amount_total, 98.52)
        self.assertEqual(self.patient.hc_patient_invoice_count, 1)

    def test_no_coverage_bills_the_guarantor(self):
        parent = self._create_patient("Parent Guarantor")
        child = self._create_patient("Uninsured Child", hc_guarantor_id=parent.id)
        encounter = self._ready_encounter(patient=child)
        self.assertFalse(encounter.coverage_id)
        encounter.action_create_invoice()
        self.assertEqual(encounter.invoice_id.partner_id, parent)
        self.assertFalse(encounter.invoice_id.hc_coverage_id)

    def test_coverage_not_in_force_on_date_of_service_bills_guarantor(self):
        self.coverage.date_to = date(2025, 5, 31)
        encounter = self._ready_encounter()  # date of service 2025-06-02
        encounter.action_create_invoice()
        self.assertEqual(encounter.invoice_id.partner_id, self.patient)

    def test_cancelled_lines_are_not_billed(self):
        encounter = self._create_encounter(
            lines=[{"product_id": self.cbc.id}, {"product_id": self.cmp.id, "cancelled": True}]
        )
        encounter.action_ready()
        encounter.action_create_invoice()
        self.assertEqual(encounter.invoice_id.invoice_line_ids.product_id, self.cbc)
        self.assertAlmostEqual(encounter.invoice_id.amount_total, 31.08)

    def test_billing_twice_never_duplicates(self):
        encounter = self._ready_encounter()
        first = encounter._hc_create_invoices()
        second = encounter._hc_create_invoices()
        self.assertEqual(first, second)
        self.assertEqual(len(encounter.invoice_ids), 1)
        self.assertEqual(self.env["account.move"].search_count([("hc_encounter_id", "=", encounter.id)]), 1)

    def test_database_refuses_a_second_active_invoice(self):
        encounter = self._ready_encounter()
        invoice = encounter._hc_create_invoices()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.payer.id,
                    "hc_encounter_id": encounter.id,
                    "invoice_line_ids": [Command.create({"product_id": self.cbc.id, "price_unit": 1.0})],
                }
            )
            self.env.flush_all()
        self.assertEqual(encounter.invoice_id, invoice)

    def test_only_ready_encounters_are_billed(self):
        encounter = self._create_encounter()
        with self.assertRaises(UserError):
            encounter.action_create_invoice()
        self.assertFalse(encounter.invoice_ids)

    def test_invoiced_encounter_is_locked(self):
        encounter = self._ready_encounter()
        encounter.action_create_invoice()
        with self.assertRaises(UserError):
            encounter.line_ids[0].cancelled = True
        with self.assertRaises(UserError):
            encounter.date_of_service = date(2025, 6, 3)
        with self.assertRaises(UserError):
            encounter.action_cancel()

    def test_cancelling_the_invoice_frees_the_encounter_with_a_new_claim(self):
        encounter = self._ready_encounter()
        encounter.action_create_invoice()
        first = encounter.invoice_id
        first.action_post()
        first.button_draft()
        first.button_cancel()
        self.assertEqual(encounter.state, "ready")
        self.assertFalse(encounter.invoice_id)
        encounter.action_create_invoice()
        self.assertNotEqual(encounter.invoice_id, first)
        self.assertNotEqual(encounter.invoice_id.hc_claim_number, first.hc_claim_number)
        self.assertEqual(first.hc_claim_number, first.hc_claim_number)  # stable: the old claim keeps its number

    def test_deleting_a_draft_invoice_frees_the_encounter(self):
        encounter = self._ready_encounter()
        encounter.action_create_invoice()
        encounter.invoice_id.unlink()
        self.assertEqual(encounter.state, "ready")

    def test_charge_not_divisible_by_units_is_billed_exactly(self):
        encounter = self._ready_encounter(lines=[{"product_id": self.cbc.id, "units": 3, "charge_amount": 100.0}])
        encounter.action_create_invoice()
        line = encounter.invoice_id.invoice_line_ids
        self.assertAlmostEqual(line.price_subtotal, 100.0)
        self.assertEqual(line.quantity, 1.0)

    def test_invoice_creation_is_audited(self):
        encounter = self._ready_encounter()
        encounter.action_create_invoice()
        log = self.env["hc.audit.log"].search(
            [("res_model", "=", "hc.encounter"), ("res_id", "=", encounter.id), ("action", "=", "encounter.invoiced")]
        )
        self.assertEqual(len(log), 1)
        self.assertEqual(log.details["claim_number"], encounter.invoice_id.hc_claim_number)
        self.assertEqual(log.details["invoice_id"], encounter.invoice_id.id)

    def test_pricing_hook_prices_the_lines(self):
        encounter = self._ready_encounter()
        priced = encounter._hc_price_lines(encounter.line_ids)
        self.assertEqual(set(priced), set(encounter.line_ids))
        self.assertEqual(priced[encounter.line_ids[0]], {"quantity": 1.0, "price_unit": 31.08})

    def test_services_carry_no_default_sales_tax(self):
        """A service created without taxes does not get the company's default sales tax."""
        self.assertTrue(self.company.account_sale_tax_id, "the test company has a default sales tax")
        vals = {"name": "Lipid panel", "type": "service", "hc_code_system": "CPT", "list_price": 18.0}
        untaxed = self.env["product.product"].create({**vals, "hc_service_code": "85998"})
        self.assertFalse(untaxed.taxes_id)
        taxed = self.env["product.product"].create(
            {**vals, "hc_service_code": "85999", "taxes_id": [Command.set(self.company.account_sale_tax_id.ids)]}
        )
        self.assertEqual(taxed.taxes_id, self.company.account_sale_tax_id, "a tax set on purpose is kept")
        plain = self.env["product.product"].create({"name": "Gift card", "type": "service"})
        self.assertEqual(plain.taxes_id, self.company.account_sale_tax_id, "other products keep Odoo's default")
        encounter = self._create_encounter(lines=[{"product_id": untaxed.id}])
        encounter.action_ready()
        invoice = encounter._hc_create_invoices()
        self.assertFalse(invoice.invoice_line_ids.tax_ids)
        self.assertEqual(invoice.amount_tax, 0.0)
        self.assertEqual(invoice.amount_total, 18.0)
