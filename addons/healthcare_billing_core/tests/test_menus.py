from odoo.tests import tagged

from .common import HealthcareBillingCommon


@tagged("post_install", "-at_install")
class TestMenus(HealthcareBillingCommon):
    def test_every_menu_opens_for_a_clerk(self):
        """Each Healthcare Billing menu a clerk sees loads its action and views."""
        clerk = self._create_user("hc_menu_clerk", "group_hc_clerk")
        env = self.env(user=clerk)
        root = self.env.ref("healthcare_billing_core.menu_hc_root")
        menus = env["ir.ui.menu"].search([("id", "child_of", root.id), ("action", "!=", False)])
        self.assertGreaterEqual(len(menus), 10)
        for menu in menus:
            action = menu.action
            if action._name != "ir.actions.act_window":
                continue
            data = env["ir.actions.act_window"]._for_xml_id(action.get_external_id()[action.id])
            views = [(view_id, view_type) for view_id, view_type in data["views"]]
            result = env[data["res_model"]].get_views(views, {"load_filters": True})
            self.assertTrue(result["views"], menu.complete_name)
            domain = data.get("domain") or []
            if isinstance(domain, str):
                domain = []
            env[data["res_model"]].search_read(domain, ["display_name"], limit=5)
        # Manager-only menus are hidden from a clerk.
        self.assertNotIn(self.env.ref("healthcare_billing_core.menu_hc_audit_log"), menus)
