from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import HealthcareBillingCommon


@tagged("post_install", "-at_install")
class TestCoverage(HealthcareBillingCommon):
    def test_same_priority_may_not_overlap(self):
        # self.coverage: primary from 2025-01-01, open-ended
        with self.assertRaises(ValidationError):
            self._create_coverage(self.patient, self.medicare, date_from=date(2026, 1, 1))
        with self.assertRaises(ValidationError):
            self._create_coverage(self.patient, self.medicare, date_from=date(2024, 1, 1), date_to=date(2025, 1, 1))

    def test_adjacent_periods_and_other_priorities_are_allowed(self):
        self.coverage.date_to = date(2025, 12, 31)
        nxt = self._create_coverage(self.patient, self.medicare, date_from=date(2026, 1, 1))
        secondary = self._create_coverage(self.patient, self.medicare, date_from=date(2025, 1, 1), priority="2")
        self.assertTrue(nxt and secondary)

    def test_end_before_start_refused(self):
        with self.assertRaises(ValidationError):
            self._create_coverage(
                self._create_patient("X"), self.payer, date_from=date(2025, 5, 1), date_to=date(2025, 4, 30)
            )

    def test_coverage_in_force(self):
        self.coverage.date_to = date(2025, 6, 30)
        later = self._create_coverage(self.patient, self.medicare, date_from=date(2025, 7, 1))
        secondary = self._create_coverage(self.patient, self.medicare, date_from=date(2025, 3, 1), priority="2")
        self.assertEqual(self.patient._hc_coverage_in_force(date(2024, 12, 31)), self.env["hc.coverage"])
        self.assertEqual(self.patient._hc_coverage_in_force(date(2025, 1, 1)), self.coverage)
        self.assertEqual(self.patient._hc_coverage_in_force(date(2025, 6, 30)), self.coverage | secondary)
        self.assertEqual(self.patient._hc_coverage_in_force(date(2025, 6, 30))[:1], self.coverage)
        self.assertEqual(self.patient._hc_coverage_in_force(date(2025, 7, 1))[:1], later)
        self.assertEqual(self.patient._hc_coverage_in_force(date(2025, 7, 1), priority="2"), secondary)

    def test_archived_coverage_not_in_force(self):
        self.coverage.active = False
        self.assertFalse(self.patient._hc_coverage_in_force(date(2025, 6, 1)))
