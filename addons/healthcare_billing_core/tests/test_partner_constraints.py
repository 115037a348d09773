from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import HealthcareBillingCommon


@tagged("post_install", "-at_install")
class TestPartnerConstraints(HealthcareBillingCommon):
    def test_provider_npi_check_digit(self):
        with self.assertRaises(ValidationError):
            self.env["res.partner"].create({"name": "Dr. Typo", "hc_is_provider": True, "hc_npi": "1234567890"})
        provider = self.env["res.partner"].create({"name": "Dr. Ok", "hc_is_provider": True, "hc_npi": "1245319599"})
        self.assertEqual(provider.hc_npi, "1245319599")

    def test_facility_npi_check_digit(self):
        with self.assertRaises(ValidationError):
            self.facility.npi = "1111111111"

    def test_payer_code_unique(self):
        with self.assertRaises(ValidationError):
            self._create_payer("Copy Plan", "THP01", "commercial")

    def test_patient_identifier_unique_per_facility_and_type(self):
        other = self._create_patient("Other Patient")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["hc.patient.identifier"].create(
                {"partner_id": other.id, "facility_id": self.facility.id, "id_type": "MR", "value": "T-0001"}
            )
        # The same value is fine at another facility or as another type.
        other_facility = self.env["hc.facility"].create({"code": "T2", "name": "Second Lab"})
        self.env["hc.patient.identifier"].create(
            {"partner_id": other.id, "facility_id": other_facility.id, "id_type": "MR", "value": "T-0001"}
        )
        self.env["hc.patient.identifier"].create(
            {"partner_id": other.id, "facility_id": self.facility.id, "id_type": "AN", "value": "T-0001"}
        )

    def test_match_patient_by_identifier(self):
        partner = self.env["res.partner"]
        self.assertEqual(partner._hc_match_patient(self.facility, "MR", "T-0001"), self.patient)
        self.assertFalse(partner._hc_match_patient(self.facility, "MR", "T-9999"))
        self.assertFalse(partner._hc_match_patient(self.facility, "AN", "T-0001"))

    def test_guarantor_defaults_to_patient(self):
        self.assertEqual(self.patient.hc_guarantor_id, self.patient)
        parent = self._create_patient("Parent")
        child = self._create_patient("Child", hc_guarantor_id=parent.id)
        self.assertEqual(child._hc_get_guarantor(), parent)

    def test_service_code_unique_per_code_system(self):
        with self.assertRaises(ValidationError):
            self._create_service("85027", "Duplicate CBC", 10.0)
        hcpcs = self._create_service("85027", "Same code, other system", 10.0, hc_code_system="HCPCS")
        self.assertEqual(self.env["product.product"]._hc_find_service("HCPCS", "85027"), hcpcs)
        self.assertEqual(self.env["product.product"]._hc_find_service("CPT", "85027"), self.cbc)

    def test_service_default_modifiers_validated(self):
        with self.assertRaises(ValidationError):
            self.cbc.hc_default_modifiers = "QWX"
