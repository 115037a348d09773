from odoo.tests import tagged
from odoo.tests.common import BaseCase

from ..codes import is_valid_npi, parse_diagnosis_codes, parse_modifiers


@tagged("post_install", "-at_install")
class TestCodes(BaseCase):
    """The pure checks as the addon imports them (the full cases are in tests/unit)."""

    def test_npi_check_digit(self):
        self.assertTrue(is_valid_npi("1234567893"))
        self.assertFalse(is_valid_npi("1234567890"))

    def test_diagnosis_and_modifiers(self):
        self.assertEqual(parse_diagnosis_codes("e119, Z00.00"), (["E11.9", "Z00.00"], []))
        self.assertEqual(parse_modifiers("qw")[0], ["QW"])
