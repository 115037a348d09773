from odoo import api, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(self.env["product.template"]._hc_no_default_sales_tax(vals_list))

    @api.model
    def _hc_find_service(self, code_system, code, company=None):
        """Return the billable service with this code visible for ``company``."""
        company = company or self.env.company
        return self.search(
            [
                ("hc_code_system", "=", code_system),
                ("hc_service_code", "=", code),
                ("company_id", "in", [False, company.id]),
            ],
            limit=1,
        )
