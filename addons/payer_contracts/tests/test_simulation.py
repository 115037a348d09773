from datetime import date

from odoo.tests import tagged

from .common import PayerContractsCommon


@tagged("post_install", "-at_install")
class TestContractSimulation(PayerContractsCommon):
    def test_new_version_shows_difference_per_invoice_and_total(self):
        first = self._invoice(lines=[{"product_id": self.cbc.id, "units": 2}])  # expected 15.54
        second = self._invoice(lines=[{"product_id": self.cbc.id}, {"product_id": self.cmp.id}])  # 7.77 + no rate
        # A new draft version raising CBC to 9.00 and pricing unlisted codes at 40%.
        self.contract.date_to = date(2025, 5, 31)
        new = self._create_contract(
            name="2025 rate change",
            date_from=date(2025, 6, 1),
            unlisted_method="percent",
            unlisted_percent=40,
            lines=[{"product_id": self.cbc.id, "method": "per_unit", "amount": 9.00}],
        )
        action = new.action_simulate_change()
        simulation = self.env["hc.contract.simulation"].browse(action["res_id"])
        by_invoice = {line.invoice_id: line for line in simulation.line_ids}
        self.assertEqual(set(by_invoice), {first, second})
        self.assertAlmostEqual(by_invoice[first].current_expected, 15.54)
        self.assertAlmostEqual(by_invoice[first].new_expected, 18.00)
        self.assertAlmostEqual(by_invoice[first].difference, 2.46)
        self.assertAlmostEqual(by_invoice[second].new_expected, 9.00 + 16.90)  # 40% of 42.24
        self.assertEqual(by_invoice[second].new_exceptions, 0)
        self.assertAlmostEqual(simulation.difference_total, 2.46 + (25.90 - 7.77))
        # Nothing changed on the invoices themselves.
        self.assertAlmostEqual(first.hc_expected_total, 15.54)
        self.assertEqual(new.state, "draft")

    def test_posted_and_other_payer_invoices_are_not_affected(self):
        posted = self._invoice(lines=[{"product_id": self.cbc.id}])
        posted.action_post()
        other_patient = self._create_patient("Medicare Patient")
        self._create_coverage(other_patient, self.medicare, date_from=date(2025, 1, 1))
        self._invoice(patient=other_patient, lines=[{"product_id": self.cbc.id}])
        simulation = self.env["hc.contract.simulation"]._hc_simulate(self.contract)
        self.assertFalse(simulation.line_ids)
