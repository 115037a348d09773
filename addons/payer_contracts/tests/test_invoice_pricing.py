from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PayerContractsCommon


@tagged("post_install", "-at_install")
class TestInvoicePricing(PayerContractsCommon):
    def test_gross_basis_bills_charges_and_expects_contract_rate(self):
        invoice = self._invoice(lines=[{"product_id": self.cbc.id, "units": 2}, {"product_id": self.draw.id}])
        self.assertEqual(invoice.hc_contract_id, self.contract)
        cbc = invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.cbc)
        draw = invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.draw)
        self.assertAlmostEqual(cbc.price_subtotal, 62.16)  # chargemaster 31.08 x 2
        self.assertAlmostEqual(cbc.hc_expected_amount, 15.54)  # 7.77 x 2
        self.assertEqual(cbc.hc_pricing_method, "per_unit")
        self.assertEqual(cbc.hc_fee_line_id.modifier, False)
        self.assertAlmostEqual(draw.hc_expected_amount, 3.00)
        self.assertAlmostEqual(invoice.amount_total, 98.52)
        self.assertAlmostEqual(invoice.hc_expected_total, 18.54)
        self.assertFalse(invoice.hc_pricing_exception)

    def test_contracted_basis_bills_the_rate(self):
        self.contract.invoice_basis = "contracted"
        invoice = self._invoice(lines=[{"product_id": self.cbc.id, "units": 3, "modifiers": "QW"}])
        self.assertAlmostEqual(invoice.amount_total, 19.50)  # 6.50 x 3, QW rule
        self.assertAlmostEqual(invoice.hc_expected_total, 19.50)
        self.assertEqual(invoice.invoice_line_ids.hc_fee_line_id.modifier, "QW")

    def test_unit_cap_through_invoicing(self):
        cap = self.contract.line_ids.filtered(lambda line: line.product_id == self.cbc and not line.modifier)
        cap.max_units = 1
        invoice = self._invoice(lines=[{"product_id": self.cbc.id, "units": 4}])
        self.assertAlmostEqual(invoice.hc_expected_total, 7.77)

    def test_no_rate_is_a_pricing_exception_that_blocks_posting(self):
        invoice = self._invoice(lines=[{"product_id": self.cmp.id}, {"product_id": self.cbc.id}])
        cmp_line = invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.cmp)
        self.assertTrue(invoice.hc_pricing_exception)
        self.assertIn("80047", cmp_line.hc_pricing_exception)
        with self.assertRaises(UserError):
            invoice.action_post()
        self.assertEqual(invoice.state, "draft")

    def test_unlisted_percentage(self):
        self.contract.write({"unlisted_method": "percent", "unlisted_percent": 40})
        invoice = self._invoice(lines=[{"product_id": self.cmp.id}])
        self.assertAlmostEqual(invoice.hc_expected_total, 16.90)  # 40% of 42.24
        self.assertEqual(invoice.invoice_line_ids.hc_pricing_method, "unlisted_percent")
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_estimated_patient_responsibility(self):
        self.contract.write({"copay_amount": 10.0, "coinsurance_percent": 20})
        invoice = self._invoice(lines=[{"product_id": self.cbc.id, "units": 4}])  # expected 31.08
        self.assertAlmostEqual(invoice.hc_patient_responsibility, 14.22)  # 10 + 20% x 21.08

    def test_no_contract_bills_charges_without_expectation(self):
        self.contract.action_cancel()
        invoice = self._invoice()
        self.assertFalse(invoice.hc_contract_id)
        self.assertFalse(invoice.hc_pricing_exception)
        self.assertAlmostEqual(invoice.amount_total, 67.44)
        self.assertEqual(invoice.hc_expected_total, 0.0)
