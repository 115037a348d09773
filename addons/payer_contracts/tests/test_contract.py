from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PayerContractsCommon


@tagged("post_install", "-at_install")
class TestContract(PayerContractsCommon):
    def test_overlapping_active_contracts_refused(self):
        overlapping = self._create_contract(name="Overlap", date_from=date(2025, 12, 1), date_to=date(2026, 6, 30))
        with self.assertRaises(ValidationError):
            overlapping.action_activate()
        after = self._create_contract(name="Next year", date_from=date(2026, 1, 1), date_to=False)
        after.action_activate()
        self.assertEqual(after.state, "active")

    def test_facility_contract_may_coexist_and_wins(self):
        specific = self._create_contract(name="Facility", facility_id=self.facility.id)
        specific.action_activate()
        Contract = self.env["hc.payer.contract"]
        self.assertEqual(
            Contract._hc_find_contract(self.payer, self.facility, date(2025, 6, 1), self.company), specific
        )
        other = self.env["hc.facility"].create({"code": "OTH", "name": "Other"})
        self.assertEqual(Contract._hc_find_contract(self.payer, other, date(2025, 6, 1), self.company), self.contract)

    def test_find_contract_respects_dates_and_state(self):
        Contract = self.env["hc.payer.contract"]
        self.assertEqual(
            Contract._hc_find_contract(self.payer, self.facility, date(2025, 12, 31), self.company), self.contract
        )
        self.assertFalse(Contract._hc_find_contract(self.payer, self.facility, date(2026, 1, 1), self.company))
        self.contract.action_cancel()
        self.assertFalse(Contract._hc_find_contract(self.payer, self.facility, date(2025, 6, 1), self.company))

    def test_only_draft_contracts_activate(self):
        with self.assertRaises(UserError):
            self.contract.action_activate()

    def test_renewal_copies_lines_into_next_period(self):
        action = self.contract.action_renew()
        renewal = self.env["hc.payer.contract"].browse(action["res_id"])
        self.assertEqual(renewal.state, "draft")
        self.assertEqual((renewal.date_from, renewal.date_to), (date(2026, 1, 1), date(2026, 12, 31)))
        self.assertEqual(len(renewal.line_ids), 3)
        self.assertEqual(sorted(renewal.line_ids.mapped("amount")), [3.0, 6.5, 7.77])
        renewal.action_activate()  # adjacent: no overlap

    def test_fee_line_code_from_service_and_validation(self):
        line = self.contract.line_ids.filtered(lambda x: x.modifier == "QW")
        self.assertEqual(line.code, "85027")
        with self.assertRaises(ValidationError):
            line.amount = -1
        with self.assertRaises(ValidationError):
            line.modifier = "Q"

    def test_activation_is_audited(self):
        log = self.env["hc.audit.log"].search(
            [("res_model", "=", "hc.payer.contract"), ("res_id", "=", self.contract.id)]
        )
        self.assertEqual(log.mapped("action"), ["contract.activated"])
