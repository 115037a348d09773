from datetime import date

from odoo.tests import Form, tagged

from .common import PayerContractsCommon


@tagged("post_install", "-at_install")
class TestPriceSimulator(PayerContractsCommon):
    def test_simulator_shows_price_and_rule(self):
        form = Form(self.env["hc.price.simulator"])
        form.payer_id = self.payer
        form.date_of_service = date(2025, 6, 2)
        form.product_id = self.cbc
        form.units = 2
        form.modifiers = "qw"
        self.assertEqual(form.code, "85027")
        self.assertAlmostEqual(form.charge_amount, 62.16)
        self.assertEqual(form.contract_id, self.contract)
        self.assertAlmostEqual(form.expected_amount, 13.00)
        self.assertEqual(form.fee_line_id.modifier, "QW")
        self.assertAlmostEqual(form.billed_amount, 62.16)  # gross basis

    def test_simulator_explains_no_rate(self):
        form = Form(self.env["hc.price.simulator"])
        form.payer_id = self.payer
        form.date_of_service = date(2025, 6, 2)
        form.product_id = self.cmp
        self.assertIn("80047", form.no_rate_reason)
        form.date_of_service = date(2027, 1, 1)
        self.assertIn("No active contract", form.no_rate_reason)
        self.assertFalse(form.contract_id)
