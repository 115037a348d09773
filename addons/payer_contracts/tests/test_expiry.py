from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PayerContractsCommon


@tagged("post_install", "-at_install")
class TestExpiry(PayerContractsCommon):
    def _run(self):
        return self.env["hc.payer.contract"].sudo()._cron_expire_contracts()

    def _todo(self, contract):
        return contract.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
        )

    def test_reminder_30_days_before_the_end_once(self):
        self.contract.user_id = self.env.user
        with freeze_time(date(2025, 11, 30)):  # 31 days before 2025-12-31
            self._run()
        self.assertFalse(self._todo(self.contract))
        with freeze_time(date(2025, 12, 1)):
            self._run()
            self._run()
        activity = self._todo(self.contract)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.env.user)
        self.assertEqual(activity.date_deadline, date(2025, 12, 31))
        self.assertEqual(self.contract.state, "active")

    def test_ended_contracts_expire(self):
        with freeze_time(date(2025, 12, 31)):
            self._run()
        self.assertEqual(self.contract.state, "active")  # its last day
        with freeze_time(date(2026, 1, 1)):
            expired, _reminded = self._run()
        self.assertEqual(self.contract.state, "expired")
        self.assertGreaterEqual(expired, 1)

    def test_scheduled_action_is_shipped(self):
        cron = self.env.ref("payer_contracts.cron_expire_contracts")
        self.assertTrue(cron.active)
        self.assertEqual(cron.code.strip(), "model._cron_expire_contracts()")
