from odoo.tests import tagged

from .common import HealthcareBillingCommon


@tagged("post_install", "-at_install")
class TestAutomation(HealthcareBillingCommon):
    def test_automation_rule_bills_when_auto_billing_is_on(self):
        rule = self.env.ref("healthcare_billing_core.automation_bill_ready_encounter")
        self.assertTrue(rule.active)
        self.company.hc_auto_billing = True
        encounter = self._create_encounter()
        encounter.action_ready()
        self.assertEqual(encounter.state, "invoiced")
        self.assertEqual(encounter.invoice_id.partner_id, self.payer)

    def test_automation_rule_waits_when_auto_billing_is_off(self):
        self.company.hc_auto_billing = False
        encounter = self._create_encounter()
        encounter.action_ready()
        self.assertEqual(encounter.state, "ready")
        self.assertFalse(encounter.invoice_ids)

    def test_automation_failure_keeps_ready_and_records_error(self):
        self.company.hc_auto_billing = True
        encounter = self._create_encounter()
        self.env["account.journal"].search([("company_id", "=", self.company.id), ("type", "=", "sale")]).active = False
        encounter.action_ready()
        self.assertEqual(encounter.state, "ready")
        self.assertTrue(encounter.billing_error)
        self.assertFalse(encounter.invoice_ids)

    def test_scheduled_action_bills_ready_encounters_in_batches(self):
        cron = self.env.ref("healthcare_billing_core.cron_bill_ready_encounters")
        self.assertTrue(cron.active)
        # The Scheduled Action runs as the superuser, across companies; demo
        # encounters may be ready too: set them aside to count only ours.
        Encounter = self.env["hc.encounter"].sudo()
        Encounter.search([("state", "=", "ready")]).write({"state": "draft"})
        ready = Encounter.browse([self._create_encounter().id for _i in range(3)])
        ready.action_ready()
        draft = self._create_encounter()
        done = Encounter._cron_bill_ready_encounters(batch_size=2)
        self.assertEqual(done, 2)
        self.assertEqual(ready.mapped("state").count("invoiced"), 2)
        done = Encounter._cron_bill_ready_encounters(batch_size=2)
        self.assertEqual(done, 1)
        self.assertEqual(set(ready.mapped("state")), {"invoiced"})
        self.assertEqual(len(ready.invoice_ids), 3)
        self.assertEqual(draft.state, "draft")
        self.assertEqual(Encounter._cron_bill_ready_encounters(batch_size=2), 0)

    def test_scheduled_action_runs_as_cron(self):
        Encounter = self.env["hc.encounter"].sudo()
        Encounter.search([("state", "=", "ready")]).write({"state": "draft"})
        encounter = self._create_encounter()
        encounter.action_ready()
        cron = self.env.ref("healthcare_billing_core.cron_bill_ready_encounters")
        cron.sudo().method_direct_trigger()
        self.assertEqual(encounter.state, "invoiced")
