from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PayerContractsCommon


@tagged("post_install", "-at_install")
class TestOverride(PayerContractsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = cls._create_user("pc_clerk", "group_hc_clerk")
        cls.supervisor = cls._create_user("pc_supervisor", "group_hc_supervisor")

    def _exception_invoice(self):
        invoice = self._invoice(lines=[{"product_id": self.cmp.id}, {"product_id": self.cbc.id}])
        self.assertTrue(invoice.hc_pricing_exception)
        return invoice, invoice.invoice_line_ids.filtered(lambda line: line.product_id == self.cmp)

    def _override(self, user, line, price, reason="Payer confirmed the rate in writing"):
        wizard = (
            self.env["hc.price.override"]
            .with_user(user)
            .with_context(active_model="account.move.line", active_id=line.id)
            .create({"price_unit": price, "reason": reason})
        )
        return wizard.action_apply()

    def test_reprice_after_fixing_the_fee_schedule(self):
        invoice, cmp_line = self._exception_invoice()
        self.contract.write({"line_ids": [(0, 0, {"product_id": self.cmp.id, "method": "per_unit", "amount": 10.56})]})
        invoice.action_hc_reprice()
        self.assertFalse(invoice.hc_pricing_exception)
        self.assertAlmostEqual(cmp_line.hc_expected_amount, 10.56)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_supervisor_override_releases_the_exception_and_is_audited(self):
        invoice, cmp_line = self._exception_invoice()
        self._override(self.supervisor, cmp_line, 30.0)
        self.assertFalse(invoice.hc_pricing_exception)
        self.assertTrue(cmp_line.hc_price_overridden)
        self.assertAlmostEqual(cmp_line.price_unit, 30.0)
        log = self.env["hc.audit.log"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", invoice.id), ("action", "=", "price.override")]
        )
        self.assertEqual(log.user_id, self.supervisor)
        self.assertEqual((log.details["old"], log.details["new"]), (42.24, 30.0))
        self.assertEqual(log.details["reason"], "Payer confirmed the rate in writing")
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_clerk_cannot_override(self):
        invoice, cmp_line = self._exception_invoice()
        with self.assertRaises(AccessError):
            self._override(self.clerk, cmp_line, 30.0)
        self.assertTrue(invoice.hc_pricing_exception)

    def test_manual_price_change_is_recorded_as_override(self):
        invoice = self._invoice(lines=[{"product_id": self.cbc.id}])
        line = invoice.invoice_line_ids
        line.with_user(self.clerk).price_unit = 25.0
        self.assertTrue(line.hc_price_overridden)
        log = self.env["hc.audit.log"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", invoice.id), ("action", "=", "price.manual_change")]
        )
        self.assertEqual(log.user_id, self.clerk)
        self.assertEqual((log.details["old"], log.details["new"]), (31.08, 25.0))
