from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import HealthcareBillingCommon


@tagged("post_install", "-at_install")
class TestSecurity(HealthcareBillingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = cls._create_user("hc_clerk", "group_hc_clerk")
        cls.supervisor = cls._create_user("hc_supervisor", "group_hc_supervisor")
        cls.integration = cls._create_user("hc_integration", "group_hc_integration")
        cls.plain_user = cls._create_user("hc_plain", "base.group_user")

    def test_roles_imply_each_other(self):
        self.assertTrue(self.supervisor.has_group("healthcare_billing_core.group_hc_clerk"))
        manager = self.env.ref("healthcare_billing_core.group_hc_manager")
        self.assertIn(self.env.ref("healthcare_billing_core.group_hc_supervisor"), manager.implied_ids)

    def test_clerk_bills_but_cannot_delete_encounters(self):
        encounter = self._create_encounter().with_user(self.clerk)
        encounter.action_ready()
        encounter.action_create_invoice()
        self.assertEqual(encounter.state, "invoiced")
        with self.assertRaises(AccessError):
            encounter.unlink()
        with self.assertRaises(AccessError):
            self._create_encounter().with_user(self.clerk).unlink()

    def test_nobody_deletes_an_invoiced_encounter(self):
        encounter = self._create_encounter()
        encounter.action_ready()
        encounter.action_create_invoice()
        with self.assertRaises(UserError):
            encounter.with_user(self.supervisor).unlink()
        draft = self._create_encounter().with_user(self.supervisor)
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_audit_records_are_append_only(self):
        encounter = self._create_encounter()
        encounter.action_ready()
        log = self.env["hc.audit.log"].search([("res_id", "=", encounter.id), ("res_model", "=", "hc.encounter")])
        self.assertTrue(log)
        for user in (self.clerk, self.supervisor, self.env.user):  # env.user is a Billing Manager
            with self.assertRaises(AccessError):
                log.with_user(user).write({"action": "tampered"})
            with self.assertRaises(AccessError):
                log.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.env["hc.audit.log"].with_user(user).create({"action": "forged"})
        self.assertEqual(log.with_user(self.env.user).action, "encounter.state")
        log.sudo().unlink()  # superuser mode only
        self.assertFalse(log.exists())

    def test_audit_trail_is_read_by_managers_only(self):
        """Clerks, supervisors and technical users cannot read the trail, over RPC (what its menu and URL load)."""
        encounter = self._create_encounter()
        encounter.with_user(self.clerk).action_ready()  # a clerk's own step is still recorded
        log = self.env["hc.audit.log"].search([("res_id", "=", encounter.id), ("res_model", "=", "hc.encounter")])
        self.assertEqual(log.user_id, self.clerk)
        for user in (self.clerk, self.supervisor, self.integration, self.plain_user):
            AuditLog = self.env["hc.audit.log"].with_user(user)
            with self.assertRaises(AccessError):
                AuditLog.search_read([("id", "=", log.id)], ["action", "details"])
            with self.assertRaises(AccessError):
                log.with_user(user).read(["action"])
        self.assertEqual(log.with_user(self.env.user).read(["action"])[0]["action"], "encounter.state")

    def test_plain_employee_sees_no_encounter(self):
        self._create_encounter()
        with self.assertRaises(AccessError):
            self.env["hc.encounter"].with_user(self.plain_user).search([])

    def test_integration_user_creates_patients_and_encounters(self):
        env = self.env(user=self.integration)
        patient = env["res.partner"].create({"name": "API Patient", "hc_is_patient": True})
        env["hc.patient.identifier"].create(
            {"partner_id": patient.id, "facility_id": self.facility.id, "id_type": "MR", "value": "API-1"}
        )
        encounter = env["hc.encounter"].create(
            {
                "patient_id": patient.id,
                "facility_id": self.facility.id,
                "line_ids": [(0, 0, {"product_id": self.cbc.id})],
            }
        )
        encounter.action_ready()
        encounter.action_create_invoice()
        self.assertEqual(encounter.state, "invoiced")
        with self.assertRaises(AccessError):
            encounter.unlink()
        with self.assertRaises(AccessError):
            env["hc.facility"].create({"code": "X", "name": "Not allowed"})

    def test_other_company_records_are_invisible(self):
        other_company = self.env["res.company"].create({"name": "Other Lab Company"})
        other_facility = (
            self.env["hc.facility"].sudo().create({"code": "OTH", "name": "Other Lab", "company_id": other_company.id})
        )
        other_encounter = (
            self.env["hc.encounter"]
            .sudo()
            .create(
                {
                    "patient_id": self.patient.id,
                    "facility_id": other_facility.id,
                    "company_id": other_company.id,
                    "coverage_id": False,
                    "line_ids": [(0, 0, {"product_id": self.cbc.id})],
                }
            )
        )
        clerk_env = self.env(user=self.clerk)
        self.assertFalse(clerk_env["hc.encounter"].search([("id", "=", other_encounter.id)]))
        self.assertFalse(clerk_env["hc.facility"].search([("code", "=", "OTH")]))
        with self.assertRaises(AccessError):
            clerk_env["hc.encounter"].browse(other_encounter.id).name  # noqa: B018
        own = self._create_encounter()
        self.assertEqual(clerk_env["hc.encounter"].search([("id", "in", (own | other_encounter).ids)]), own)
