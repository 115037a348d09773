from datetime import date

from odoo.fields import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class HealthcareBillingCommon(AccountTestInvoicingCommon):
    """A company with a chart of accounts, a facility, payers, a patient and services.

    Tests run as the accounting test user, given the Billing Manager role.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id = [Command.link(cls.env.ref("healthcare_billing_core.group_hc_manager").id)]
        cls.company = cls.env.company
        cls.facility = cls.env["hc.facility"].create({"code": "TLAB", "name": "Test Laboratory"})
        cls.payer = cls._create_payer("Test Health Plan", "THP01", "commercial")
        cls.medicare = cls._create_payer("Test Medicare", "TMCR1", "medicare")
        cls.patient = cls._create_patient("Pat Tester", mrn="T-0001")
        cls.coverage = cls._create_coverage(cls.patient, cls.payer, date_from=date(2025, 1, 1))
        cls.provider = cls.env["res.partner"].create(
            {"name": "Dr. Test", "hc_is_provider": True, "hc_npi": "1234567893"}
        )
        cls.cbc = cls._create_service("85027", "Complete blood count", 31.08)
        cls.cmp = cls._create_service("80047", "Comprehensive metabolic panel", 42.24)
        cls.draw = cls._create_service("36416", "Venipuncture", 36.36)

    @classmethod
    def _create_user(cls, login, group):
        """A user of the test company with one role, e.g. ``group_hc_clerk``."""
        return new_test_user(
            cls.env,
            login,
            groups=f"healthcare_billing_core.{group}" if "." not in group else group,
            company_id=cls.company.id,
            company_ids=cls.company.ids,
        )

    @classmethod
    def _create_payer(cls, name, code, payer_class):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "hc_is_payer": True,
                "hc_payer_code": code,
                "hc_payer_class": payer_class,
            }
        )

    @classmethod
    def _create_patient(cls, name, mrn=None, **values):
        patient = cls.env["res.partner"].create({"name": name, "hc_is_patient": True, **values})
        if mrn:
            cls.env["hc.patient.identifier"].create(
                {"partner_id": patient.id, "facility_id": cls.facility.id, "id_type": "MR", "value": mrn}
            )
        return patient

    @classmethod
    def _create_coverage(cls, patient, payer, **values):
        return cls.env["hc.coverage"].create(
            {"patient_id": patient.id, "payer_id": payer.id, "member_id": f"M-{patient.id}", **values}
        )

    @classmethod
    def _create_service(cls, code, name, price, **values):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "service",
                "hc_code_system": "CPT",
                "hc_service_code": code,
                "list_price": price,
                "taxes_id": [Command.clear()],
                **values,
            }
        )

    @classmethod
    def _create_encounter(cls, patient=None, lines=None, **values):
        lines = lines if lines is not None else [{"product_id": cls.cbc.id}, {"product_id": cls.draw.id}]
        return cls.env["hc.encounter"].create(
            {
                "patient_id": (patient or cls.patient).id,
                "facility_id": cls.facility.id,
                "date_of_service": date(2025, 6, 2),
                "line_ids": [Command.create(line) for line in lines],
                **values,
            }
        )
